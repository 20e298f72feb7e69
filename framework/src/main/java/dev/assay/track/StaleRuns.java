package dev.assay.track;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The SQL of {@link TrackingStore#interruptStaleRuns}: finding the runs of an experiment still
 * {@code running} whose process died (no write or heartbeat since a cut-off), marking them
 * {@code interrupted}, and telling, in a retry after a connection lost at commit time, which of
 * the runs an earlier attempt marked are marked now.
 */
final class StaleRuns {

    /** The error message of a run marked interrupted here; a retry recognizes its marks by it. */
    static final String MESSAGE = "interrupted: its process stopped without finishing the run"
            + " (no heartbeat since end time)";

    private StaleRuns() {}

    /**
     * Marks the experiment's stale runs {@code interrupted}, their end time their last update (ms
     * since the epoch) and their error message {@link #MESSAGE}.
     *
     * @param connection the transaction's connection
     * @param experiment the experiment name
     * @param staleBeforeMillis runs last updated before this time (ms since the epoch) are stale
     * @return the ids of the runs marked, in no particular order; empty if none
     * @throws SQLException if the database fails
     */
    static List<String> interrupt(Connection connection, String experiment, long staleBeforeMillis)
            throws SQLException {
        List<String> stale = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id FROM runs WHERE status = ?"
                + " AND updated_millis < ? AND experiment_id = (SELECT id FROM experiments WHERE name = ?)")) {
            select.setString(1, RunStatus.RUNNING.label());
            select.setLong(2, staleBeforeMillis);
            select.setString(3, experiment);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stale.add(rows.getString(1));
                }
            }
        }
        return mark(connection, stale, staleBeforeMillis);
    }

    /**
     * Marks the given runs interrupted where they are still running and stale (the test is part of
     * each update: a heartbeat committed since the select keeps its run running).
     */
    private static List<String> mark(Connection connection, List<String> stale, long staleBeforeMillis)
            throws SQLException {
        List<String> marked = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("UPDATE runs SET status = ?,"
                + " end_millis = updated_millis, error_message = ? WHERE run_id = ? AND status = ? AND updated_millis < ?")) {
            for (String runId : stale) {
                update.setString(1, RunStatus.INTERRUPTED.label());
                update.setString(2, MESSAGE);
                update.setString(3, runId);
                update.setString(4, RunStatus.RUNNING.label());
                update.setLong(5, staleBeforeMillis);
                if (update.executeUpdate() == 1) {
                    marked.add(runId);
                }
            }
        }
        return marked;
    }

    /**
     * Counts the given runs that are now {@code interrupted} with {@link #MESSAGE}: in a retry, the
     * runs an earlier attempt marked whose commit reached the database, and those the retry marked.
     *
     * @param connection the transaction's connection
     * @param runIds the runs marked by any attempt of one call
     * @return how many of them are marked now
     * @throws SQLException if the database fails
     */
    static int countMarked(Connection connection, Collection<String> runIds) throws SQLException {
        int n = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM runs WHERE run_id = ? AND status = ? AND error_message = ?")) {
            for (String runId : runIds) {
                select.setString(1, runId);
                select.setString(2, RunStatus.INTERRUPTED.label());
                select.setString(3, MESSAGE);
                try (ResultSet rows = select.executeQuery()) {
                    n += rows.next() ? 1 : 0;
                }
            }
        }
        return n;
    }
}
