package dev.assay.track;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of {@link TrackingStore#continueRun}: reopening a stopped run and cutting its metric
 * series back to a checkpoint, so that training continued from that checkpoint appends to the
 * same series without duplicate or orphaned steps.
 */
final class RunContinuation {

    private RunContinuation() {}

    /**
     * Sets the run back to {@code running} if it is {@code interrupted} or {@code failed}, and
     * adds the time since it stopped (its end time, or its last update if it has none) to its
     * paused time; returns whether it did. The status test is part of the update, so of two
     * processes continuing the same run only the first to commit reopens it.
     */
    static boolean reopen(Connection connection, String runId, long now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE runs SET status = ?, paused_millis = paused_millis"
                        + " + GREATEST(0, ? - COALESCE(end_millis, updated_millis)), end_millis = NULL,"
                        + " error_message = NULL, updated_millis = ? WHERE run_id = ? AND status IN (?, ?)")) {
            update.setString(1, RunStatus.RUNNING.label());
            update.setLong(2, now);
            update.setLong(3, now);
            update.setString(4, runId);
            update.setString(5, RunStatus.INTERRUPTED.label());
            update.setString(6, RunStatus.FAILED.label());
            return update.executeUpdate() == 1;
        }
    }

    /**
     * Whether the run is {@code running} and was last updated at exactly {@code now} (ms since the
     * epoch): {@link #reopen} by this process at that moment, when a retry cannot tell otherwise
     * whether its first attempt's commit reached the database.
     */
    static boolean reopenedAt(Connection connection, String runId, long now) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM runs WHERE run_id = ? AND status = ? AND updated_millis = ?")) {
            query.setString(1, runId);
            query.setString(2, RunStatus.RUNNING.label());
            query.setLong(3, now);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Whether a run with this id exists. */
    static boolean exists(Connection connection, String runId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM runs WHERE run_id = ?")) {
            query.setString(1, runId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Whether every series named in {@code lastSteps} is stored up to at least its last step. */
    static boolean holdsAll(Connection connection, String runId, Map<String, Long> lastSteps)
            throws SQLException {
        Map<String, Long> stored = lastStepsStored(connection, runId);
        for (Map.Entry<String, Long> e : lastSteps.entrySet()) {
            Long have = stored.get(e.getKey());
            if (have == null || have < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Cuts every series of a run back: a key absent from {@code lastSteps} loses all its points, a
     * present one keeps the points with step ≤ its last step. Returns the kept points of the
     * series that were cut (to be appended again, which rebuilds chunks and summaries).
     */
    static Map<String, PointColumns> truncate(Connection connection, String runId,
            Map<String, Long> lastSteps) throws SQLException {
        Map<String, PointColumns> rewrite = new LinkedHashMap<>();
        for (Map.Entry<String, Long> series : lastStepsStored(connection, runId).entrySet()) {
            String key = series.getKey();
            Long keepUpTo = lastSteps.get(key);
            if (keepUpTo != null && series.getValue() <= keepUpTo) {
                continue;
            }
            List<MetricPoint> kept = new ArrayList<>();
            if (keepUpTo != null) {
                for (MetricPoint p : RunReader.metric(connection, runId, key)) {
                    if (p.step() <= keepUpTo) {
                        kept.add(p);
                    }
                }
            }
            delete(connection, "metric_chunks", runId, key);
            delete(connection, "metric_summaries", runId, key);
            if (!kept.isEmpty()) {
                rewrite.put(key, PointColumns.of(kept));
            }
        }
        return rewrite;
    }

    private static Map<String, Long> lastStepsStored(Connection connection, String runId)
            throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT metric_key, MAX(last_step) FROM metric_chunks WHERE run_id = ?"
                        + " GROUP BY metric_key ORDER BY metric_key")) {
            query.setString(1, runId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    out.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return out;
    }

    private static void delete(Connection connection, String table, String runId, String key)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + table + " WHERE run_id = ? AND metric_key = ?")) {
            delete.setString(1, runId);
            delete.setString(2, key);
            delete.executeUpdate();
        }
    }
}
