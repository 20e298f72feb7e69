package dev.assay.bench;

import dev.assay.plugin.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the chosen benchmark sections in order (a, b, c, d) in a scratch directory, collects their
 * rows and the machine description, and writes the JSON results. A section that fails is reported
 * in {@link BenchResults#errors()} and the others still run; the scratch directory is then kept
 * (its path is in the error) for the child JVMs' logs, and deleted otherwise.
 */
public final class BenchSuite {

    /** How the name of a run's scratch directory (in the temporary directory) begins. */
    static final String SCRATCH_PREFIX = "assay-bench-";

    private static final Logger LOG = LoggerFactory.getLogger(BenchSuite.class);

    private BenchSuite() {}

    /** One section's work. */
    @FunctionalInterface
    private interface Section {
        List<BenchRow> run() throws Exception;
    }

    /**
     * Runs the benchmarks and writes {@code <outDir>/bench-<size>-<time>.json}.
     *
     * @param options what to run
     * @return the results (also written)
     * @throws UncheckedIOException if the output directory cannot be created or written (checked
     *     before any benchmark runs, so a bad {@code --out} does not cost a whole run), or the scratch
     *     directory or the results file cannot be written
     * @throws IllegalStateException if the run profiles ({@link BenchOptions#profile}) and
     *     async-profiler cannot start in this JVM (nothing was measured then)
     */
    public static Run run(BenchOptions options) {
        checkWritable(options.outDir());
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        MachineInfo machine = MachineInfo.current();
        Path work = scratch();
        List<BenchRow> rows = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        PluginRegistry registry = options.sections().contains("a") ? PluginRegistry.load(List.of()) : null;
        BenchSize size = options.size();
        ThroughputBench throughput = new ThroughputBench(size, work, options.engines());
        BenchResults.Profile profile = options.profile() == null ? null : new BenchResults.Profile(options.profile(),
                options.outDir().resolve("profile-" + size.name() + "-" + BenchResults.fileTime(started)).toString());
        BenchProfiler profiler = profile == null ? null
                : BenchProfiler.start(profile.event(), Path.of(profile.dir(), "bench"));
        BenchProfiler.profileChildren(profile);
        try {
            runSections(options.sections(), size, registry, work, throughput, rows, errors);
        } finally {
            BenchProfiler.profileChildren(null);
            if (profiler != null) {
                profiler.stop();
            }
        }
        if (options.sections().contains("a")) {
            machine = machine.withEngines(TrackingOverheadBench.engine());
        }
        machine = machine.withEngines(throughput.engineVersions()).finished();
        BenchResults results = new BenchResults(started.toString(), size.name(),
                List.copyOf(new TreeSet<>(options.sections())), options.command(),
                (System.nanoTime() - startNanos) / 1e9, machine, rows, errors, profile);
        Path file = results.write(options.outDir());
        if (errors.isEmpty()) {
            delete(work);
        }
        return new Run(results, file);
    }

    /** Runs each chosen section in turn, adding its rows, or a sentence to {@code errors} if it fails. */
    private static void runSections(Set<String> sections, BenchSize size, PluginRegistry registry, Path work,
            ThroughputBench throughput, List<BenchRow> rows, List<String> errors) {
        for (String s : new TreeSet<>(sections)) {
            Section section = switch (s) {
                case "a" -> new TrackingOverheadBench(size, registry, work)::run;
                case "b" -> new IngestionBench(size, work)::run;
                case "c" -> throughput::run;
                default -> new MemoryBench(size, work)::run;
            };
            LOG.info("Benchmark ({}) at {} size", s, size.name());
            try {
                rows.addAll(section.run());
            } catch (Exception | Error e) {
                LOG.debug("Benchmark ({}) failed", s, e);
                errors.add("(" + s + ") failed: " + e + " (logs kept in " + work + ")");
            }
        }
    }

    /**
     * A finished run.
     *
     * @param results what was measured
     * @param file the JSON file written
     */
    public record Run(BenchResults results, Path file) {}

    /** Creates the results directory if needed and checks that a file can be created in it. */
    static void checkWritable(Path outDir) {
        try {
            Files.createDirectories(outDir);
            Files.delete(Files.createTempFile(outDir, ".bench-", ".probe"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the benchmark results to " + outDir + " (" + e
                    + "); no benchmark was run.", e);
        }
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory(SCRATCH_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a scratch directory for the benchmarks: " + e.getMessage(), e);
        }
    }

    /** Deletes a directory tree, logging (not throwing) what cannot be deleted. */
    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Cannot delete the scratch directory {}: {}", dir, e.getMessage());
        }
    }
}
