package dev.assay.track;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The read side of the store: loads runs with their params, tags, metric summaries and artifacts
 * using one query per table for any number of runs (no N+1), and decodes metric series. Callers
 * hold the store's lock.
 */
final class RunReader {

    /** Selects the runs of one experiment by name. */
    static final String BY_EXPERIMENT = "e.name = ?";
    /** Selects one run by id. */
    static final String BY_RUN = "r.run_id = ?";

    private static final String RUNS =
            "SELECT r.run_id, e.name, r.run_name, r.trial_index, r.trial_key, r.seed, r.status, r.start_millis,"
                    + " r.end_millis, r.error_message, r.config_yaml, r.provenance_json, r.paused_millis, r.updated_millis"
                    + " FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE ";
    private static final String RUNS_ORDER = " ORDER BY r.trial_index, r.start_millis, r.run_id";
    private static final String JOIN = " JOIN runs r ON r.run_id = c.run_id JOIN experiments e ON e.id = r.experiment_id WHERE ";
    private static final String PARAMS = "SELECT c.run_id, c.param_key, c.param_value FROM params c" + JOIN;
    private static final String TAGS = "SELECT c.run_id, c.tag_key, c.tag_value FROM tags c" + JOIN;
    private static final String ARTIFACTS =
            "SELECT c.run_id, c.artifact_path, c.size_bytes FROM artifacts c" + JOIN;
    private static final String SUMMARIES =
            "SELECT c.run_id, c.metric_key, c.point_count, c.last_value, c.last_step, c.min_value, c.min_step,"
                    + " c.max_value, c.max_step, c.non_finite_count FROM metric_summaries c" + JOIN;
    private static final String CHUNKS =
            "SELECT point_count, steps, epochs, metric_values, wall_times FROM metric_chunks"
                    + " WHERE run_id = ? AND metric_key = ? ORDER BY chunk_no";

    private RunReader() {}

    /** Loads the runs matching {@code filter} (one of the constants above) with everything attached. */
    static List<RunRecord> runs(Connection connection, String filter, String argument) throws SQLException {
        Map<String, RunRecord> bare = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(RUNS + filter + RUNS_ORDER)) {
            statement.setString(1, argument);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    RunRecord run = bareRun(rows);
                    bare.put(run.runId(), run);
                }
            }
        }
        if (bare.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, String>> params = strings(connection, PARAMS + filter, argument);
        Map<String, Map<String, String>> tags = strings(connection, TAGS + filter, argument);
        Map<String, Map<String, MetricSummary>> summaries = summaries(connection, filter, argument);
        Map<String, List<ArtifactRecord>> artifacts = artifacts(connection, filter, argument);
        List<RunRecord> runs = new ArrayList<>(bare.size());
        for (RunRecord run : bare.values()) {
            String id = run.runId();
            runs.add(new RunRecord(id, run.experiment(), run.runName(), run.trialIndex(), run.trialKey(),
                    run.seed(), run.status(), run.startTimeMillis(), run.endTimeMillis(), run.pausedMillis(),
                    run.updatedMillis(), run.errorMessage(),
                    run.configYaml(), run.provenanceJson(), params.get(id), tags.get(id), summaries.get(id),
                    artifacts.get(id)));
        }
        return runs;
    }

    /** Reads a whole series as columns, in step order (stable for equal steps). */
    static MetricSeries series(Connection connection, String runId, String key) throws SQLException {
        List<MetricPoint> points = null;
        PointColumns columns = columns(connection, runId, key);
        if (!isSortedByStep(columns)) {
            points = columns.toPoints();
            points.sort((a, b) -> Long.compare(a.step(), b.step()));
            columns = PointColumns.of(points);
        }
        int n = columns.size;
        return new MetricSeries(java.util.Arrays.copyOf(columns.steps, n),
                java.util.Arrays.copyOf(columns.epochs, n), java.util.Arrays.copyOf(columns.values, n),
                java.util.Arrays.copyOf(columns.wallTimes, n));
    }

    private static PointColumns columns(Connection connection, String runId, String key)
            throws SQLException {
        PointColumns columns = new PointColumns(MetricAppender.CHUNK_SIZE);
        try (PreparedStatement statement = connection.prepareStatement(CHUNKS)) {
            statement.setString(1, runId);
            statement.setString(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    appendChunk(columns, rows);
                }
            }
        }
        return columns;
    }

    /** Reads a whole series in step order (stable for equal steps). */
    static List<MetricPoint> metric(Connection connection, String runId, String key) throws SQLException {
        PointColumns columns = new PointColumns(MetricAppender.CHUNK_SIZE);
        try (PreparedStatement statement = connection.prepareStatement(CHUNKS)) {
            statement.setString(1, runId);
            statement.setString(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    appendChunk(columns, rows);
                }
            }
        }
        List<MetricPoint> points = columns.toPoints();
        if (!isSortedByStep(columns)) {
            points.sort((a, b) -> Long.compare(a.step(), b.step()));
        }
        return points;
    }

    private static void appendChunk(PointColumns columns, ResultSet rows) throws SQLException {
        int count = rows.getInt(1);
        PointColumns chunk = new PointColumns(count);
        ChunkCodec.decodeLongs(rows.getBytes(2), count, chunk.steps, 0);
        ChunkCodec.decodeInts(rows.getBytes(3), count, chunk.epochs, 0);
        ChunkCodec.decodeDoubles(rows.getBytes(4), count, chunk.values, 0);
        ChunkCodec.decodeLongs(rows.getBytes(5), count, chunk.wallTimes, 0);
        for (int i = 0; i < count; i++) {
            columns.add(chunk.steps[i], chunk.epochs[i], chunk.values[i], chunk.wallTimes[i]);
        }
    }

    private static boolean isSortedByStep(PointColumns columns) {
        for (int i = 1; i < columns.size; i++) {
            if (columns.steps[i] < columns.steps[i - 1]) {
                return false;
            }
        }
        return true;
    }

    private static RunRecord bareRun(ResultSet rows) throws SQLException {
        long end = rows.getLong(9);
        Long endMillis = rows.wasNull() ? null : end;
        return new RunRecord(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4),
                rows.getString(5), rows.getLong(6), RunStatus.fromLabel(rows.getString(7)), rows.getLong(8),
                endMillis, rows.getLong(13), rows.getLong(14), rows.getString(10), rows.getString(11), rows.getString(12),
                null, null, null, null);
    }

    private static Map<String, Map<String, String>> strings(Connection connection, String sql, String argument)
            throws SQLException {
        Map<String, Map<String, String>> byRun = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, argument);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    byRun.computeIfAbsent(rows.getString(1), id -> new TreeMap<>())
                            .put(rows.getString(2), rows.getString(3));
                }
            }
        }
        return byRun;
    }

    private static Map<String, Map<String, MetricSummary>> summaries(
            Connection connection, String filter, String argument) throws SQLException {
        Map<String, Map<String, MetricSummary>> byRun = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(SUMMARIES + filter)) {
            statement.setString(1, argument);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    MetricSummary summary = new MetricSummary(rows.getString(2), rows.getLong(3),
                            rows.getDouble(4), rows.getLong(5), rows.getDouble(6), rows.getLong(7),
                            rows.getDouble(8), rows.getLong(9), rows.getLong(10));
                    byRun.computeIfAbsent(rows.getString(1), id -> new TreeMap<>()).put(summary.key(), summary);
                }
            }
        }
        return byRun;
    }

    private static Map<String, List<ArtifactRecord>> artifacts(Connection connection, String filter, String argument)
            throws SQLException {
        Map<String, List<ArtifactRecord>> byRun = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(ARTIFACTS + filter + " ORDER BY c.artifact_path")) {
            statement.setString(1, argument);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    byRun.computeIfAbsent(rows.getString(1), id -> new ArrayList<>())
                            .add(new ArtifactRecord(rows.getString(2), rows.getLong(3)));
                }
            }
        }
        return byRun;
    }
}
