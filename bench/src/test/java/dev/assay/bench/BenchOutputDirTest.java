package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A results directory that cannot be written is refused before any benchmark runs, not after. */
class BenchOutputDirTest {

    @TempDir
    Path tmp;

    @Test
    void anOutputPathUnderAFileIsRefusedBeforeTheBenchmarksRun() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "");
        BenchOptions options = new BenchOptions(Set.of("b"), BenchSize.TINY, file.resolve("results"),
                ThroughputBench.ENGINES, "test");
        long start = System.nanoTime();
        assertThatThrownBy(() -> BenchSuite.run(options)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.resolve("results").toString()).hasMessageContaining("no benchmark was run");
        // (b) at tiny size takes seconds; refusing the directory first takes none
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2);
    }

    @Test
    void aMissingOutputDirectoryIsCreatedAndLeftEmpty() throws Exception {
        Path out = tmp.resolve("a/b");
        BenchSuite.checkWritable(out);
        assertThat(out).isDirectory();
        try (var files = Files.list(out)) {
            assertThat(files.toList()).isEqualTo(List.of());
        }
    }
}
