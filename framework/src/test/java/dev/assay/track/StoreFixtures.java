package dev.assay.track;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Helpers shared by the tracking tests: run definitions and direct SQL on the store's database. */
final class StoreFixtures {

    private StoreFixtures() {}

    static NewRun newRun(String experiment, int trialIndex) {
        return new NewRun(experiment, "what it shows", "trial-" + trialIndex, trialIndex, "key-" + trialIndex,
                42L + trialIndex, "training:\n  epochs: 2\n", "{\"java\":\"17\"}",
                Map.of("training.optimizer.learning_rate", "1.0e-3", "model.params.activation", "relu"),
                Map.of("source", "unit-test"));
    }

    /** Runs a query returning one long (e.g. a count). */
    static long queryLong(String url, String sql, Object... args) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement statement = prepare(connection, sql, args);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Runs a query and returns its rows, binary columns as hex strings. */
    static List<List<Object>> queryRows(String url, String sql, Object... args) throws SQLException {
        List<List<Object>> result = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement statement = prepare(connection, sql, args);
                ResultSet rows = statement.executeQuery()) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rows.getObject(i);
                    row.add(value instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : value);
                }
                result.add(row);
            }
        }
        return result;
    }

    static void execute(String url, String sql, Object... args) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement statement = prepare(connection, sql, args)) {
            statement.executeUpdate();
        }
    }

    static String url(Path dir) {
        return TrackingStore.defaultUrl(dir);
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }
}
