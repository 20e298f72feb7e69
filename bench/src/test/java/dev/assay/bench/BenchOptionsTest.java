package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The options of a benchmark run, checked before any child JVM starts. */
class BenchOptionsTest {

    private static BenchOptions withEngines(String... engines) {
        return new BenchOptions(Set.of("c"), BenchSize.TINY, Path.of("out"), List.of(engines), "assay bench");
    }

    @Test
    void engineNamesAreTakenInAnyCaseAsExperimentFilesWriteThem() {
        // --engines pytorch crashed its child JVM ("Unknown default engine: pytorch") and wrote a file of no figures
        assertThat(withEngines("pytorch", "MXNET", "PyTorch").engines()).containsExactly("PyTorch", "MXNet");
    }

    @Test
    void anUnknownEngineIsRefusedNamingTheTwo() {
        assertThatThrownBy(() -> withEngines("MXNet", "tensorflow")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown engine 'tensorflow'; use MXNet or PyTorch (any case).");
    }

    @Test
    void aProfilingEventIsTakenInAnyCaseAndAnUnknownOneIsRefusedNamingThoseThatExist() {
        BenchOptions wall = new BenchOptions(Set.of("a"), BenchSize.TINY, Path.of("out"), List.of("MXNet"), "x", " Wall");
        assertThat(wall.profile()).isEqualTo("wall");
        assertThat(withEngines("MXNet").profile()).isNull();
        assertThatThrownBy(() -> new BenchOptions(Set.of("a"), BenchSize.TINY, Path.of("out"), List.of("MXNet"), "x",
                "cycles")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown profiling event 'cycles'; use one of cpu, wall, itimer, alloc, lock.");
    }
}
