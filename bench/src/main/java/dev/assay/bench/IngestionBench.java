package dev.assay.bench;

import dev.assay.track.AsyncTracker;
import dev.assay.track.NewRun;
import dev.assay.track.RunTracker;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * (b) Metric ingestion into embedded H2 (file database, {@link TrackingStore#defaultUrl} URL):
 * <ol>
 *   <li>chunk bound: the same points packed 1,024 to a row in Assay's {@code metric_chunks}
 *       table and byte layout ({@link PackedColumns}: delta-varint steps, epochs and wall times,
 *       raw values) by plain JDBC batch inserts of 64 chunks, a commit per batch, series after
 *       series: what Assay's layout allows at best;</li>
 *   <li>row-per-point reference: one row per point with MLflow's {@code metrics} layout and primary
 *       key, plain JDBC batches of 10,000 rows, a commit per batch;</li>
 *   <li>one writer: points logged through {@link RunTracker#logMetric} (every series once per step,
 *       as a training loop does) into an {@link AsyncTracker} with a 500 ms flush interval, timed
 *       from the first call to the end of {@link AsyncTracker#flush()}; and the same points logged
 *       a step at a time, one {@link RunTracker#logMetrics} call with every series' value (one
 *       reused map, as a loop that logs a dictionary per step does);</li>
 *   <li>writer processes: {@link BenchSize#ingestWriters()} child JVMs, each logging its own run
 *       through its own tracker into the one store, which this process holds open (as {@code assay
 *       run --parallel} does: the children connect through H2's {@code AUTO_SERVER}); they start
 *       together on a signal, and the aggregate rate is all points over the time from the signal to
 *       the last writer's flush.</li>
 * </ol>
 * After each Assay run the stored points are counted series by series (sum of the chunks' point
 * counts per metric) and compared with the points logged to that series: every point must be there.
 * A series holding fewer points than were logged to it counts the difference as lost; one holding
 * more (a chunk written twice) is reported apart and never offsets another series' loss. Each timed part of this process starts once
 * the JIT compiler has been idle ({@link CompilerIdle}): opening a tracking store runs Flyway's
 * migration, whose compilation would otherwise run on the two cores during the writer's timed
 * window but not during the bound's, which creates its one table with a plain statement.
 */
public final class IngestionBench {

    private static final int ROW_BATCH = 10_000;
    private static final int CHUNK_BATCH = 64;
    private static final int CHUNK = TrackingStore.CHUNK_SIZE;

    private final BenchSize size;
    private final Path workDir;

    /**
     * Creates the benchmark.
     *
     * @param size how many series, points and writer processes
     * @param workDir a scratch directory; each part gets its own database under it
     */
    public IngestionBench(BenchSize size, Path workDir) {
        this.size = size;
        this.workDir = workDir;
    }

    /**
     * Runs the four parts: the chunk bound and the two one-writer runs (a {@code logMetric} call
     * per point, a {@code logMetrics} call per step) {@link BenchSize#ingestRepeats()} times each,
     * after one untimed round (warm-up), in turns: the bound first in the even rounds, last in the
     * odd ones, so that what one part leaves behind (file writes, garbage) falls on each side; then
     * the row-per-point reference and the writer processes once. Each writer run is set against the
     * bound of its own round (per-round ratios, their median and its interval), so that the bound's
     * drift from round to round does not decide the comparison. Each round's stores are deleted once
     * counted.
     *
     * @return the references, the one-writer and multi-writer rates against the chunk bound (per
     *     wall-clock second and per second of this process's CPU time), and the lost-point counts
     * @throws Exception if a database or a child fails
     */
    public List<BenchRow> run() throws Exception {
        int metrics = size.ingestMetrics();
        int points = size.ingestPointsPerMetric();
        List<Measured> bounds = new ArrayList<>();
        List<Measured> ones = new ArrayList<>();
        List<Measured> steps = new ArrayList<>();
        // one untimed round first, as (a) warms up: the JIT compiles the tracker's larger code
        // path later than the bound's loop (on the Intel machine of 30 Nov the first writer run took
        // twice the third's), so the first timed runs measured compilation as much as ingestion
        for (int r = -1; r < size.ingestRepeats(); r++) {
            Measured bound;
            Measured one;
            Measured step;
            if (r % 2 == 0 || r < 0) {
                bound = chunkBound(metrics, points, r);
                one = singleWriter(metrics, points, r, false);
                step = singleWriter(metrics, points, r, true);
            } else {
                step = singleWriter(metrics, points, r, true);
                one = singleWriter(metrics, points, r, false);
                bound = chunkBound(metrics, points, r);
            }
            if (r >= 0) {
                bounds.add(bound);
                ones.add(one);
                steps.add(step);
            }
        }
        Repeated rows = Repeated.once(rowPerPoint(metrics, size.rowReferencePoints() / metrics));
        Repeated many = Repeated.once(writerProcesses(metrics, size.ingestProcessPointsPerMetric()));
        return rows(new Repeated(bounds), rows, new Repeated(ones), new Repeated(steps), many);
    }

    private List<BenchRow> rows(Repeated bound, Repeated rows, Repeated one, Repeated step, Repeated many) {
        String boundName = "chunk bound";
        List<BenchRow> out = new ArrayList<>();
        out.add(BenchRow.of("b", "plain JDBC, chunks of 1,024 points (bound)", bound.rate(), "points/s", bound.note()));
        out.add(BenchRow.of("b", "plain JDBC, row per point (MLflow layout)", rows.rate(), "points/s",
                rows.note() + ", batches of " + ROW_BATCH).against(boundName, bound.rate()));
        out.add(BenchRow.of("b", "Tracker API, one writer", one.rate(), "points/s", one.note())
                .target(Target.valueAtLeast(2_000_000)));
        out.add(vsBound("Tracker API, one writer vs chunk bound", one, bound, boundName));
        if (Double.isFinite(one.cpuRate()) && Double.isFinite(bound.cpuRate())) {
            // at tiny sizes a run can take less CPU time than the clock's resolution (0 s)
            out.add(BenchRow.of("b", "Tracker API, one writer vs chunk bound, per CPU-second",
                    one.cpuRate(), "points/CPU-s", "points per second of this process's CPU time"
                            + " (all threads), which load from other processes does not change")
                    .against(boundName, bound.cpuRate()));
        }
        out.add(BenchRow.of("b", "Tracker API, one writer, a logMetrics call per step", step.rate(), "points/s",
                step.note() + "; one call with all " + size.ingestMetrics() + " series' values a step")
                .target(Target.valueAtLeast(2_000_000)));
        out.add(vsBound("Tracker API, one writer, a logMetrics call per step, vs chunk bound", step, bound, boundName));
        out.add(BenchRow.of("b", "Tracker API, one writer vs row per point", one.rate(), "points/s",
                "speed-up over MLflow's layout").against("row per point", rows.rate()));
        out.add(BenchRow.of("b", "Tracker API, " + size.ingestWriters() + " writer processes, one store",
                many.rate(), "points/s", many.note()).against(boundName, bound.rate()));
        out.add(BenchRow.of("b", "lost points, one writer", one.lost(), "points", one.countNote())
                .target(Target.valueAtMost(0)));
        out.add(BenchRow.of("b", "lost points, one writer, a logMetrics call per step", step.lost(), "points",
                step.countNote()).target(Target.valueAtMost(0)));
        out.add(BenchRow.of("b", "lost points, " + size.ingestWriters() + " writer processes", many.lost(),
                "points", many.countNote()).target(Target.valueAtMost(0)));
        return out;
    }

    /**
     * A writer's rate against the chunk bound, judged by the median of the per-round ratios (each
     * writer run over the bound of its own round) against ≥ 0.5.
     */
    private static BenchRow vsBound(String name, Repeated writer, Repeated bound, String boundName) {
        double[] ratios = new double[writer.runs().size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = writer.runs().get(i).rate() / bound.runs().get(i).rate();
        }
        String perRound = java.util.Arrays.stream(ratios).mapToObj(r -> String.format(Locale.ROOT, "%.3f", r))
                .collect(Collectors.joining(", "));
        return BenchRow.of("b", name, writer.rate(), "points/s", writer.note() + "; ratio = median of the per-round"
                + " ratios (" + perRound + "); " + TrackingOverheadBench.interval(ratios))
                .withRatio(boundName, bound.rate(), TrackingOverheadBench.median(ratios))
                .target(Target.ratioAtLeast(0.5));
    }

    /**
     * A timed ingestion.
     *
     * @param logged points written
     * @param stored points found in the database afterwards
     * @param summarized points counted by the summary rows (-1 for the references, which have none)
     * @param seconds wall-clock time
     * @param cpuSeconds this process's CPU time over the same interval (NaN where child processes did
     *     the work)
     * @param how what was written
     */
    private record Measured(long logged, long stored, long summarized, long missing, long excess, double seconds,
            double cpuSeconds, String how) {

        Measured(StoredCounts counts, long logged, double seconds, double cpuSeconds, String how) {
            this(logged, counts.stored(), counts.summarized(), counts.missing(), counts.excess(), seconds, cpuSeconds,
                    how);
        }

        /** Points per second of wall-clock time. */
        double rate() {
            return logged / seconds;
        }
    }

    /** Repetitions of one measurement: medians of the rates, sums of the counts. */
    private record Repeated(List<Measured> runs) {

        static Repeated once(Measured m) {
            return new Repeated(List.of(m));
        }

        double rate() {
            return TrackingOverheadBench.median(runs.stream().mapToDouble(Measured::rate).toArray());
        }

        double cpuRate() {
            return TrackingOverheadBench.median(runs.stream().mapToDouble(m -> m.logged() / m.cpuSeconds()).toArray());
        }

        /** Points logged but not stored, series by series: a series stored twice offsets none. */
        double lost() {
            return runs.stream().mapToLong(Measured::missing).sum();
        }

        String note() {
            String times = runs.stream().map(m -> String.format(Locale.ROOT, "%.2f s (%.2f CPU-s)", m.seconds(),
                    m.cpuSeconds())).collect(Collectors.joining(", "));
            return runs.get(0).how() + (runs.size() == 1 ? ", " + times
                    : "; median of " + runs.size() + " runs: " + times);
        }

        String countNote() {
            return String.format(Locale.ROOT, "logged %,d; stored in chunks %,d; summary counts %,d;"
                    + " stored beyond those logged (series by series) %,d%s",
                    runs.stream().mapToLong(Measured::logged).sum(), runs.stream().mapToLong(Measured::stored).sum(),
                    runs.stream().mapToLong(Measured::summarized).sum(),
                    runs.stream().mapToLong(Measured::excess).sum(),
                    runs.size() == 1 ? "" : " (" + runs.size() + " runs together)");
        }
    }

    private Measured singleWriter(int metrics, int pointsPerMetric, int repeat, boolean perStep) throws SQLException {
        Path dir = workDir.resolve("ingest-" + (perStep ? "step-" : "one-") + repeat);
        String url = TrackingStore.defaultUrl(dir);
        String runId;
        long logged;
        double seconds;
        double cpu;
        try (TrackingStore store = TrackingStore.open(url);
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(500))) {
            runId = store.createRun(newRun("bench-ingest-one", "writer"));
            RunTracker run = tracker.tracker(runId, workDir.resolve("ingest-one/artifacts"));
            CompilerIdle.await();
            long cpuStart = CpuClock.processCpuNanos();
            long start = System.nanoTime();
            logged = perStep ? logSteps(run, metrics, pointsPerMetric) : logPoints(run, metrics, pointsPerMetric);
            tracker.flush();
            seconds = (System.nanoTime() - start) / 1e9;
            cpu = (CpuClock.processCpuNanos() - cpuStart) / 1e9;
        }
        StoredCounts counts = StoredCounts.read(url, List.of(runId), metrics, pointsPerMetric);
        BenchSuite.delete(dir);
        return new Measured(counts, logged, seconds, cpu,
                metrics + " series × " + String.format(Locale.ROOT, "%,d", pointsPerMetric)
                        + (perStep ? ", a logMetrics call per step" : ", a logMetric call per point"));
    }

    private Measured writerProcesses(int metrics, int pointsPerMetric) throws Exception {
        Path dir = workDir.resolve("ingest-processes");
        String url = TrackingStore.defaultUrl(dir);
        int writers = size.ingestWriters();
        try (TrackingStore host = TrackingStore.open(url)) { // held open: this process serves the file
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < writers; i++) {
                    children.add(ChildJvm.start(List.of("-Xmx512m"), dir.resolve("writer-" + i + ".log"),
                            List.of(BenchChild.INGEST_WRITER, host.url(), String.valueOf(metrics),
                                    String.valueOf(pointsPerMetric), dir.resolve("artifacts").toString())));
                }
                List<String> runIds = new ArrayList<>();
                for (ChildJvm c : children) {
                    runIds.add(c.nextResult().get("runId").asText());
                }
                long start = System.nanoTime();
                children.forEach(c -> c.send("go"));
                long logged = 0;
                for (ChildJvm c : children) {
                    logged += c.nextResult().get("points").asLong();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                for (ChildJvm c : children) {
                    c.awaitSuccess(60);
                }
                StoredCounts counts = StoredCounts.read(url, runIds, metrics, pointsPerMetric);
                return new Measured(counts, logged, seconds, Double.NaN, writers + " processes × "
                        + metrics + " series × " + String.format(Locale.ROOT, "%,d", pointsPerMetric));
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    /**
     * Logs {@code metrics × pointsPerMetric} points: at every step one point per series, with
     * the epoch advancing every 1,000 steps.
     *
     * @param run where to log
     * @param metrics series, named {@code metric_0} ...
     * @param pointsPerMetric steps
     * @return the points logged
     */
    static long logPoints(RunTracker run, int metrics, int pointsPerMetric) {
        String[] keys = keys(metrics);
        for (int step = 0; step < pointsPerMetric; step++) {
            int epoch = step / 1000 + 1;
            for (int k = 0; k < keys.length; k++) {
                run.logMetric(keys[k], step, epoch, k + step * 1e-6);
            }
        }
        return (long) metrics * pointsPerMetric;
    }

    /**
     * Logs the points of {@link #logPoints} a step at a time: one {@link RunTracker#logMetrics}
     * call per step with every series' value, in one map reused from step to step.
     *
     * @param run where to log
     * @param metrics series, named {@code metric_0} ...
     * @param pointsPerMetric steps
     * @return the points logged
     */
    static long logSteps(RunTracker run, int metrics, int pointsPerMetric) {
        String[] keys = keys(metrics);
        Map<String, Double> values = new LinkedHashMap<>();
        for (int step = 0; step < pointsPerMetric; step++) {
            int epoch = step / 1000 + 1;
            for (int k = 0; k < keys.length; k++) {
                values.put(keys[k], k + step * 1e-6);
            }
            run.logMetrics(values, step, epoch);
        }
        return (long) metrics * pointsPerMetric;
    }

    /**
     * The run every ingestion writer creates.
     *
     * @param experiment the experiment name
     * @param name the run name
     * @return the new-run record
     */
    static NewRun newRun(String experiment, String name) {
        return new NewRun(experiment, "assay bench (b) ingestion", name, 0, null, 0, null, null, null, null);
    }

    static String[] keys(int metrics) {
        String[] keys = new String[metrics];
        for (int k = 0; k < metrics; k++) {
            keys[k] = "metric_" + k;
        }
        return keys;
    }

    private Measured rowPerPoint(int metrics, int steps) throws SQLException {
        String url = TrackingStore.defaultUrl(workDir.resolve("rows"));
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement ddl = c.createStatement()) {
                ddl.execute("CREATE TABLE metrics (metric_key VARCHAR(250) NOT NULL, metric_value DOUBLE PRECISION"
                        + " NOT NULL, timestamp_ms BIGINT NOT NULL, run_uuid VARCHAR(32) NOT NULL, step BIGINT NOT NULL,"
                        + " is_nan BOOLEAN NOT NULL, PRIMARY KEY (metric_key, timestamp_ms, step, run_uuid,"
                        + " metric_value, is_nan))");
            }
            c.setAutoCommit(false);
            String[] keys = keys(metrics);
            CompilerIdle.await();
            long cpuStart = CpuClock.processCpuNanos();
            long start = System.nanoTime();
            long n = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int step = 0; step < steps; step++) {
                    for (int k = 0; k < keys.length; k++) {
                        double value = k + step * 1e-6;
                        insert.setString(1, keys[k]);
                        insert.setDouble(2, value);
                        insert.setLong(3, System.currentTimeMillis());
                        insert.setString(4, "0123456789abcdef0123456789abcdef");
                        insert.setLong(5, step);
                        insert.setBoolean(6, Double.isNaN(value));
                        insert.addBatch();
                        if (++n % ROW_BATCH == 0) {
                            insert.executeBatch();
                            c.commit();
                        }
                    }
                }
                insert.executeBatch();
                c.commit();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (CpuClock.processCpuNanos() - cpuStart) / 1e9;
            long stored = count(c, "SELECT COUNT(*) FROM metrics");
            return new Measured(n, stored, -1, Math.max(0, n - stored), Math.max(0, stored - n), seconds, cpu,
                    String.format(Locale.ROOT, "%,d rows in %d series", n, metrics));
        }
    }

    private Measured chunkBound(int metrics, int pointsPerMetric, int repeat) throws SQLException {
        Path dir = workDir.resolve("chunks-" + repeat);
        String url = TrackingStore.defaultUrl(dir);
        Measured measured;
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement ddl = c.createStatement()) {
                ddl.execute("CREATE TABLE metric_chunks (run_id VARCHAR(32) NOT NULL, metric_key VARCHAR(250) NOT NULL,"
                        + " chunk_no INTEGER NOT NULL, first_step BIGINT NOT NULL, last_step BIGINT NOT NULL,"
                        + " point_count INTEGER NOT NULL, steps VARBINARY NOT NULL, epochs VARBINARY NOT NULL,"
                        + " metric_values VARBINARY NOT NULL, wall_times VARBINARY NOT NULL,"
                        + " PRIMARY KEY (run_id, metric_key, chunk_no))");
            }
            c.setAutoCommit(false);
            String[] keys = keys(metrics);
            CompilerIdle.await();
            long cpuStart = CpuClock.processCpuNanos();
            long start = System.nanoTime();
            long chunks = 0;
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO metric_chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int k = 0; k < keys.length; k++) {
                    for (int first = 0, no = 0; first < pointsPerMetric; first += CHUNK, no++) {
                        bindChunk(insert, keys[k], k, no, first, Math.min(CHUNK, pointsPerMetric - first));
                        insert.addBatch();
                        if (++chunks % CHUNK_BATCH == 0) {
                            insert.executeBatch();
                            c.commit();
                        }
                    }
                }
                insert.executeBatch();
                c.commit();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (CpuClock.processCpuNanos() - cpuStart) / 1e9;
            long logged = (long) metrics * pointsPerMetric;
            long stored = count(c, "SELECT COALESCE(SUM(point_count), 0) FROM metric_chunks");
            measured = new Measured(logged, stored, -1, Math.max(0, logged - stored), Math.max(0, stored - logged),
                    seconds, cpu,
                    String.format(Locale.ROOT, "%d series × %,d points", metrics, pointsPerMetric));
        }
        BenchSuite.delete(dir);
        return measured;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void bindChunk(PreparedStatement insert, String key, int k, int chunkNo, int first, int count)
            throws SQLException {
        long[] steps = new long[count];
        long[] epochs = new long[count];
        double[] values = new double[count];
        long[] times = new long[count];
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            int step = first + i;
            steps[i] = step;
            epochs[i] = step / 1000 + 1;
            values[i] = k + step * 1e-6;
            times[i] = now;
        }
        insert.setString(1, "0123456789abcdef0123456789abcdef");
        insert.setString(2, key);
        insert.setInt(3, chunkNo);
        insert.setLong(4, first);
        insert.setLong(5, first + count - 1L);
        insert.setInt(6, count);
        insert.setBytes(7, PackedColumns.deltaVarint(steps, 0, count));
        insert.setBytes(8, PackedColumns.deltaVarint(epochs, 0, count));
        insert.setBytes(9, PackedColumns.rawDoubles(values, 0, count));
        insert.setBytes(10, PackedColumns.deltaVarint(times, 0, count));
    }
}
