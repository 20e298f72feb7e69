package dev.assay.bench.jmh;

import dev.assay.track.AsyncTracker;
import dev.assay.track.NewRun;
import dev.assay.track.RunTracker;
import dev.assay.track.TrackingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of logging to the calling (training) thread, in nanoseconds per point: each point is
 * stamped and appended to an in-memory column buffer while the tracker's writer thread drains the
 * buffers into a real H2 file store in a temporary directory. Three ways, steps increasing: one
 * series through {@link RunTracker#logMetric}; {@value #SERIES} series, one {@code logMetric}
 * call per point; the same {@value #SERIES} series, one {@link RunTracker#logMetrics} call per
 * step (one clock read and one lock for the step's points).
 *
 * <p>Each measurement is one shot of {@value #BATCH} points starting from empty buffers (the
 * tracker is flushed before every shot): a training loop logs a few points per step, far below
 * what the writer drains, so the buffers stay small. A producer that logs faster than the writer
 * stores, sustained, fills a run's buffer to {@link AsyncTracker#maxBufferedPoints()} and then
 * waits for the writer (back-pressure); bench (b) measures that regime.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(LogMetricBenchmark.BATCH)
@Warmup(iterations = 500)
@Measurement(iterations = 500)
@Fork(1)
public class LogMetricBenchmark {

    /** Points per measured shot: one chunk of points. */
    public static final int BATCH = 1024;

    /** Series of the many-series benchmarks, each logged once per step. */
    public static final int SERIES = 8;

    private static final String[] KEYS = java.util.stream.IntStream.range(0, SERIES)
            .mapToObj(k -> "metric_" + k).toArray(String[]::new);
    private final java.util.Map<String, Double> stepValues = new java.util.LinkedHashMap<>();

    private Path dir;
    private TrackingStore store;
    private AsyncTracker tracker;
    private RunTracker run;
    private long step;

    /**
     * Opens a store in a temporary directory and creates the run.
     *
     * @throws IOException if the directory cannot be created
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("assay-jmh-");
        store = TrackingStore.open(TrackingStore.defaultUrl(dir));
        tracker = new AsyncTracker(store, Duration.ofMillis(500));
        String runId = store.createRun(new NewRun("jmh", null, "logMetric", 0, null, 0, null, null, null, null));
        run = tracker.tracker(runId, dir.resolve("artifacts"));
    }

    /** Empties the buffers before each shot. */
    @Setup(Level.Iteration)
    public void flush() {
        tracker.flush();
    }

    /** Logs {@value #BATCH} points. */
    @Benchmark
    public void logMetric() {
        for (int i = 0; i < BATCH; i++) {
            long s = step++;
            run.logMetric("batch_loss", s, 1, s * 1e-6);
        }
    }

    /** Logs {@value #BATCH} points: {@value #SERIES} series, one {@code logMetric} call per point. */
    @Benchmark
    public void logMetricPerPoint() {
        for (int i = 0; i < BATCH / SERIES; i++) {
            long s = step++;
            for (int k = 0; k < SERIES; k++) {
                run.logMetric(KEYS[k], s, 1, k + s * 1e-6);
            }
        }
    }

    /**
     * Logs {@value #BATCH} points: {@value #SERIES} series, one {@code logMetrics} call per step
     * with a map reused from step to step.
     */
    @Benchmark
    public void logMetricsPerStep() {
        for (int i = 0; i < BATCH / SERIES; i++) {
            long s = step++;
            for (int k = 0; k < SERIES; k++) {
                stepValues.put(KEYS[k], k + s * 1e-6);
            }
            run.logMetrics(stepValues, s, 1);
        }
    }

    /**
     * Flushes, closes and deletes the store.
     *
     * @throws IOException if the directory cannot be listed
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        tracker.close();
        store.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
