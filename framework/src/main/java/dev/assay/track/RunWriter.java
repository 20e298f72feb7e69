package dev.assay.track;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SQL of the store's run-level writes (experiments, runs, params, tags, artifacts). Statements
 * only; the caller commits. Upserts are an UPDATE followed by an INSERT when no row matched, which
 * works on H2 and PostgreSQL alike.
 */
final class RunWriter {

    /** The longest error message kept, in characters; longer ones are cut. */
    static final int MAX_ERROR_LENGTH = 10_000;

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private RunWriter() {}

    /** SQLSTATE of a unique-constraint violation (SQL standard; H2 and PostgreSQL use it). */
    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * Returns the id of the named experiment, inserting its row when missing. Processes creating
     * the same new experiment at the same moment (parallel workers on a fresh store) both miss it
     * and insert; the loser's insert fails on the unique name, is rolled back to a savepoint and
     * reads the winner's row instead. Runs inside a transaction (auto-commit off).
     */
    static long experimentId(Connection connection, String name, String description, long now)
            throws SQLException {
        Long existing = findExperiment(connection, name);
        if (existing != null) {
            return existing;
        }
        Savepoint beforeInsert = connection.setSavepoint();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO experiments (name, description, created_millis) VALUES (?, ?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, description);
            insert.setLong(3, now);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(beforeInsert);
            Long theirs = findExperiment(connection, name);
            if (theirs == null) {
                throw e;
            }
            return theirs;
        }
        return findExperiment(connection, name);
    }

    private static Long findExperiment(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM experiments WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    /**
     * Locks the experiment's row until the transaction ends and counts the runs of one of its
     * trials: a second transaction doing the same waits, then counts the first one's run.
     */
    static int lockAndCountTrialRuns(Connection connection, long experimentId, String trialKey) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM experiments WHERE id = ? FOR UPDATE")) {
            lock.setLong(1, experimentId);
            lock.executeQuery().close();
        }
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM runs WHERE experiment_id = ? AND trial_key = ?")) {
            count.setLong(1, experimentId);
            count.setString(2, trialKey);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Inserts the run row with status running. */
    static void insertRun(Connection connection, String runId, long experimentId, NewRun run, long now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO runs (run_id, experiment_id, run_name, trial_index, trial_key, seed, status,"
                        + " start_millis, updated_millis, config_yaml, provenance_json)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, runId);
            insert.setLong(2, experimentId);
            insert.setString(3, run.runName());
            insert.setInt(4, run.trialIndex());
            insert.setString(5, run.trialKey());
            insert.setLong(6, run.seed());
            insert.setString(7, RunStatus.RUNNING.label());
            insert.setLong(8, now);
            insert.setLong(9, now);
            insert.setString(10, run.configYaml());
            insert.setString(11, run.provenanceJson());
            insert.executeUpdate();
        }
    }

    /** Sets status, end time and error message; returns whether the run exists. */
    static boolean finishRun(Connection connection, String runId, RunStatus status, String error, long now)
            throws SQLException {
        String message = error != null && error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE runs SET status = ?, end_millis = ?, updated_millis = ?, error_message = ? WHERE run_id = ?")) {
            update.setString(1, status.label());
            update.setLong(2, now);
            update.setLong(3, now);
            update.setString(4, message);
            update.setString(5, runId);
            return update.executeUpdate() == 1;
        }
    }

    /** Marks the run as written to now; returns whether it exists. */
    static boolean touchRun(Connection connection, String runId, long now) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE runs SET updated_millis = ? WHERE run_id = ?")) {
            update.setLong(1, now);
            update.setString(2, runId);
            return update.executeUpdate() == 1;
        }
    }

    /** Upserts key/value rows with a numeric value into {@code params} or {@code tags}. */
    static void upsertKeyValues(Connection connection, String runId, Map<String, String> values, boolean params)
            throws SQLException {
        String table = params ? "params" : "tags";
        String prefix = params ? "param" : "tag";
        String update = "UPDATE " + table + " SET " + prefix + "_value = ?, numeric_value = ? WHERE run_id = ? AND "
                + prefix + "_key = ?";
        try (PreparedStatement updates = connection.prepareStatement(update);
                PreparedStatement inserts = connection.prepareStatement(insertKeyValue(params))) {
            for (Map.Entry<String, String> entry : values.entrySet()) {
                Double number = numericValue(entry.getValue());
                bindKeyValue(updates, runId, entry.getKey(), entry.getValue(), number);
                if (updates.executeUpdate() == 0) {
                    bindKeyValue(inserts, runId, entry.getKey(), entry.getValue(), number);
                    inserts.addBatch();
                }
            }
            inserts.executeBatch();
        }
    }

    /**
     * Inserts params or tags of a run that has none yet (a run created in the same transaction),
     * in one batch: no per-key update is tried first, as {@link #upsertKeyValues} does.
     */
    static void insertKeyValues(Connection connection, String runId, Map<String, String> values, boolean params)
            throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement inserts = connection.prepareStatement(insertKeyValue(params))) {
            for (Map.Entry<String, String> entry : values.entrySet()) {
                bindKeyValue(inserts, runId, entry.getKey(), entry.getValue(), numericValue(entry.getValue()));
                inserts.addBatch();
            }
            inserts.executeBatch();
        }
    }

    private static String insertKeyValue(boolean params) {
        String table = params ? "params" : "tags";
        String prefix = params ? "param" : "tag";
        return "INSERT INTO " + table + " (" + prefix + "_value, numeric_value, run_id, " + prefix
                + "_key) VALUES (?, ?, ?, ?)";
    }

    private static void bindKeyValue(PreparedStatement statement, String runId, String key, String text, Double number)
            throws SQLException {
        statement.setString(1, text);
        if (number == null) {
            statement.setNull(2, java.sql.Types.DOUBLE);
        } else {
            statement.setDouble(2, number);
        }
        statement.setString(3, runId);
        statement.setString(4, key);
    }

    /** Upserts artifact rows by path. */
    /** Deletes the run's artifact rows whose path is not among {@code artifacts}. */
    static void removeArtifactsOtherThan(Connection connection, String runId, List<ArtifactRecord> artifacts)
            throws SQLException {
        java.util.Set<String> keep = new java.util.HashSet<>();
        artifacts.forEach(a -> keep.add(a.path()));
        List<String> gone = new java.util.ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT artifact_path FROM artifacts WHERE run_id = ?")) {
            query.setString(1, runId);
            try (java.sql.ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    if (!keep.contains(rs.getString(1))) {
                        gone.add(rs.getString(1));
                    }
                }
            }
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM artifacts WHERE run_id = ? AND artifact_path = ?")) {
            for (String path : gone) {
                delete.setString(1, runId);
                delete.setString(2, path);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    static void upsertArtifacts(Connection connection, String runId, List<ArtifactRecord> artifacts)
            throws SQLException {
        try (PreparedStatement updates = connection.prepareStatement(
                        "UPDATE artifacts SET size_bytes = ? WHERE run_id = ? AND artifact_path = ?");
                PreparedStatement inserts = connection.prepareStatement(
                        "INSERT INTO artifacts (size_bytes, run_id, artifact_path) VALUES (?, ?, ?)")) {
            for (ArtifactRecord artifact : artifacts) {
                for (PreparedStatement statement : List.of(updates, inserts)) {
                    statement.setLong(1, artifact.sizeBytes());
                    statement.setString(2, runId);
                    statement.setString(3, artifact.path());
                }
                if (updates.executeUpdate() == 0) {
                    inserts.addBatch();
                }
            }
            inserts.executeBatch();
        }
    }

    /**
     * Parses text as a finite decimal number ({@code 0.3}, {@code -2}, {@code 1e-4}); anything else
     * (including {@code NaN}, {@code Infinity}, hex and overflowing numbers) gives null.
     */
    static Double numericValue(String text) {
        String trimmed = text.trim();
        if (!DECIMAL.matcher(trimmed).matches()) {
            return null;
        }
        double value = Double.parseDouble(trimmed);
        return Double.isFinite(value) ? value : null;
    }
}
