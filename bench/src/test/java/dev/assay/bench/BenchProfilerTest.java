package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code assay bench --profile}: every benchmark JVM writes its own profile, named after what it ran. */
class BenchProfilerTest {

    private static final List<String> MXNET = List.of("java", "-Xmx2g", "-Dai.djl.default_engine=MXNet");

    @TempDir
    Path dir;

    @AfterEach
    void stopProfilingChildren() {
        BenchProfiler.profileChildren(null);
    }

    @Test
    void childrenGetNoProfilingOptionsUnlessTheRunProfiles() {
        assertThat(BenchProfiler.childOptions(dir.resolve("separate-mlp-3/runner.log"), List.of())).isEmpty();
        assertThat(BenchProfiler.profilesChildren()).isFalse();
    }

    @Test
    void eachChildIsNamedAfterItsLogAndItsDirectoryAndNoNameIsGivenTwice() {
        BenchProfiler.profileChildren(new BenchResults.Profile("wall", dir.toString()));
        assertThat(BenchProfiler.childOptions(dir.resolve("work/separate-mlp-3/runner.log"), MXNET)).containsExactly(
                "-Dassay.bench.profile=wall", "-Dassay.bench.profile_file=" + dir.resolve("separate-mlp-3-runner"));
        // a log named after its directory is not named twice
        assertThat(BenchProfiler.childOptions(dir.resolve("work/memory/memory.log"), MXNET))
                .contains("-Dassay.bench.profile_file=" + dir.resolve("memory"));
        // a log right in the run's scratch directory is named after itself
        assertThat(BenchProfiler.childOptions(dir.resolve("assay-bench-123/throughput-MXNet.log"), MXNET))
                .contains("-Dassay.bench.profile_file=" + dir.resolve("throughput-MXNet"));
        // the same log again (a second run of the same child in one benchmark run) gets its own file
        assertThat(BenchProfiler.childOptions(dir.resolve("work/other/memory/memory.log"), MXNET))
                .contains("-Dassay.bench.profile_file=" + dir.resolve("memory-2"));
        assertThat(BenchProfiler.profilesChildren()).isTrue();
        // a PyTorch child is left alone: async-profiler's sampling corrupts its C heap
        assertThat(BenchProfiler.childOptions(dir.resolve("work/throughput-PyTorch.log"),
                List.of("java", "-Dai.djl.default_engine=PyTorch"))).isEmpty();
    }

    @Test
    void aProfiledRunWritesAFlameGraphAndCollapsedStacksForItselfAndEachChildJvm() throws IOException {
        BenchSuite.Run run = BenchSuite.run(new BenchOptions(Set.of("d"), BenchSize.TINY, dir, List.of("MXNet"),
                "test", "wall"));

        assertThat(run.results().errors()).isEmpty();
        assertThat(run.results().profile().event()).isEqualTo("wall");
        Path profiles = Path.of(run.results().profile().dir());
        assertThat(profiles.getFileName().toString()).startsWith("profile-tiny-");
        try (Stream<Path> files = Files.list(profiles)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "bench.html", "bench.collapsed", "memory.html", "memory.collapsed",
                    "memory-pretouch.html", "memory-pretouch.collapsed");
        }
        // the children's profiles hold the memory benchmark's own frames, split by thread
        String child = Files.readString(profiles.resolve("memory.collapsed"));
        assertThat(child).contains("dev/assay/bench/MemoryBench.measure").containsPattern("(?m)^\\[main tid=\\d+\\];");
        assertThat(Files.readString(profiles.resolve("memory-pretouch.html"))).startsWith("<!DOCTYPE html>");
        // the benchmark JVM's own profile (wall time: every thread sampled, running or waiting): its main
        // thread waited in the memory benchmark for the children's answers
        assertThat(Files.readString(profiles.resolve("bench.collapsed")))
                .containsPattern("(?m)^\\[main tid=\\d+\\];.*dev/assay/bench/MemoryBench.run;");
        // and the figures are still there, read back from the file
        assertThat(BenchResults.read(run.file()).profile()).isEqualTo(run.results().profile());
        assertThat(BenchTable.render(run.results())).contains("Profiled with async-profiler (event wall)");
    }
}
