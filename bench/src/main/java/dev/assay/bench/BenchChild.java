package dev.assay.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.run.EngineSelection;
import dev.assay.track.AsyncTracker;
import dev.assay.track.RunTracker;
import dev.assay.track.TrackingStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entry point of the benchmarks' child JVMs (started by {@link ChildJvm}); not for direct
 * use. Modes:
 * <ul>
 *   <li>{@code ingest-writer URL METRICS POINTS ARTIFACT_DIR}: opens the store, creates a run,
 *       answers {@code {runId}}, waits for a line on standard input, logs {@code METRICS × POINTS}
 *       points through the tracker, flushes, answers {@code {runId, points, seconds}};</li>
 *   <li>{@code throughput SIZE DIR}: answers {@link ThroughputBench#measure}, with DIR as scratch;</li>
 *   <li>{@code memory SIZE DIR}: answers {@link MemoryBench#measure};</li>
 *   <li>{@code overhead-arm ARM MODEL EPOCHS SIZE DIR}: one arm of (a) in a JVM of its own
 *       ({@link SeparateJvmOverhead#serve}).</li>
 * </ul>
 * Answers are single lines on standard output, prefixed {@value ChildJvm#RESULT_PREFIX}. A child
 * first claims the engine named by {@code ai.djl.default_engine} ({@link EngineSelection#claim}), so
 * it trains with the engine settings {@code assay run} uses. Where the benchmark run profiles
 * ({@code assay bench --profile}), the child profiles itself from start to exit ({@link
 * BenchProfiler#startIfAsked}).
 */
public final class BenchChild {

    /** Mode: one of the ingestion writer processes. */
    static final String INGEST_WRITER = "ingest-writer";
    /** Mode: throughput and GEMM on this JVM's engine. */
    static final String THROUGHPUT = "throughput";
    /** Mode: memory of a long trial. */
    static final String MEMORY = "memory";

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchChild() {}

    /**
     * Runs one mode and exits with 0, or prints the failure to standard error and exits with 1.
     *
     * @param args the mode and its arguments (see the class comment)
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        System.setOut(System.err); // only answers go to standard output
        try {
            BenchProfiler.startIfAsked();
            String engine = System.getProperty("ai.djl.default_engine");
            if (engine != null) {
                EngineSelection.claim(engine); // the engine settings assay run trains with
            }
            switch (args.length == 0 ? "" : args[0]) {
                case INGEST_WRITER -> ingestWriter(out, args[1], Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]), Path.of(args[4]));
                case THROUGHPUT -> answer(out, ThroughputBench.measure(BenchSize.parse(args[1]),
                        Files.createDirectories(Path.of(args[2]))));
                case MEMORY -> answer(out, MemoryBench.measure(BenchSize.parse(args[1]), Path.of(args[2])));
                case SeparateJvmOverhead.MODE -> SeparateJvmOverhead.serve(out, args[1], args[2],
                        Integer.parseInt(args[3]), BenchSize.parse(args[4]), Path.of(args[5]));
                default -> throw new IllegalArgumentException("Unknown benchmark child mode: " + Arrays.toString(args));
            }
            out.flush();
            System.exit(0);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void ingestWriter(PrintStream out, String url, int metrics, int points, Path artifacts)
            throws Exception {
        try (TrackingStore store = TrackingStore.open(url);
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(500))) {
            String runId = store.createRun(IngestionBench.newRun("bench-ingest-processes",
                    "writer-" + ProcessHandle.current().pid()));
            RunTracker run = tracker.tracker(runId, artifacts.resolve(runId));
            answer(out, Map.of("runId", runId));
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            long start = System.nanoTime();
            long logged = IngestionBench.logPoints(run, metrics, points);
            tracker.flush();
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("runId", runId);
            done.put("points", logged);
            done.put("seconds", (System.nanoTime() - start) / 1e9);
            answer(out, done);
        }
    }

    /**
     * Writes one answer line: {@value ChildJvm#RESULT_PREFIX} and the result as JSON.
     *
     * @param out the child's real standard output
     * @param result a value Jackson can write
     * @throws Exception if it cannot be written as JSON
     */
    static void answer(PrintStream out, Object result) throws Exception {
        out.println(ChildJvm.RESULT_PREFIX + JSON.writeValueAsString(result));
        out.flush();
    }
}
