package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MemoryBenchTest {

    @Test
    void theMemoryChildStartsWithTheLaunchersDefaultJvmOptions() throws Exception {
        // (d) judges the trial "as assay run starts the JVM": the options must be the launcher's
        String launcher = Files.readString(Path.of("..", "assay"));
        assertThat(launcher).contains("${ASSAY_JAVA_OPTS:-" + String.join(" ", MemoryBench.LAUNCHER_OPTIONS) + "}");
    }
}
