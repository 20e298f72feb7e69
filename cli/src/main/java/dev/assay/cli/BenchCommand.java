package dev.assay.cli;

import dev.assay.bench.BenchOptions;
import dev.assay.bench.BenchSize;
import dev.assay.bench.BenchSuite;
import dev.assay.bench.BenchTable;
import dev.assay.bench.ThroughputBench;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code assay bench [--only a,b,c,d] [--size tiny|full] [--out bench/results]}: runs the
 * benchmarks of the {@code bench} module ((a) tracking overhead, (b) metric ingestion, (c) training
 * throughput against the GEMM ceiling, (d) memory of a long trial), prints a table and writes the
 * results as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure Assay: (a) tracking overhead vs a bare DJL loop, (b) metric ingestion"
                + " into H2, (c) training throughput vs the engine's GEMM rate, (d) memory of a"
                + " 10-epoch trial (3 epochs with --size tiny). Prints a table and writes JSON.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--only", split = ",", paramLabel = "SECTION",
            description = "sections to run, among a (overhead), b (ingestion), c (throughput),"
                    + " d (memory); comma-separated (default: all)")
    List<String> only = new ArrayList<>(List.of("a", "b", "c", "d"));

    @Option(names = "--size", defaultValue = "full", paramLabel = "tiny|full",
            description = "tiny: about a minute, proves the harness works; full: the published figures,"
                    + " about 15 minutes on 2 idle cores (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--out", defaultValue = "bench/results", paramLabel = "DIR",
            description = "directory for the JSON results (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--engines", split = ",", paramLabel = "ENGINE",
            description = "engines for (c), each in its own JVM; comma-separated (default: MXNet,PyTorch)")
    List<String> engines = new ArrayList<>(ThroughputBench.ENGINES);

    @Option(names = "--profile", paramLabel = "EVENT",
            description = "profile the benchmark JVM and each child JVM with async-profiler: cpu, wall, itimer,"
                    + " alloc or lock; writes a flame graph (.html) and collapsed stacks per JVM under"
                    + " OUT/profile-SIZE-TIME/; the figures then carry the profiler's cost and are not judged")
    String profile;

    @Spec
    CommandSpec spec;

    /**
     * Runs the benchmarks.
     *
     * @return 0 when every section ran (targets missed or not), 1 if a section failed
     */
    @Override
    public Integer call() {
        // --engines only where (c), the one section that uses it, runs
        String command = "assay bench --only " + String.join(",", only) + " --size " + size
                + " --out " + out + (only.contains("c") ? " --engines " + String.join(",", engines) : "")
                + (profile != null ? " --profile " + profile : "");
        BenchOptions options = new BenchOptions(new LinkedHashSet<>(only), BenchSize.parse(size), out,
                engines, command, profile);
        BenchSuite.Run run = BenchSuite.run(options);
        spec.commandLine().getOut().print(BenchTable.render(run.results()));
        spec.commandLine().getOut().println("Results written to " + run.file());
        spec.commandLine().getOut().flush();
        return run.results().errors().isEmpty() ? 0 : 1;
    }
}
