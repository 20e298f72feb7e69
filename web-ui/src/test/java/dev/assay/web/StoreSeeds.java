package dev.assay.web;

import dev.assay.track.MetricPoint;
import dev.assay.track.NewRun;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes runs with known params and metrics straight through the tracking API. */
final class StoreSeeds {

    private StoreSeeds() {}

    static String run(TrackingStore store, String experiment, String name, int trial, Map<String, String> params,
            Map<String, double[]> metrics, RunStatus status) {
        String id = store.createRun(new NewRun(experiment, "seeded for tests", name, trial, "key-" + trial, trial,
                "a: 1\n", "{\"engine\":\"none\"}", params, Map.of("origin", "test")));
        Map<String, List<MetricPoint>> points = new java.util.LinkedHashMap<>();
        metrics.forEach((key, values) -> points.put(key, points(values)));
        store.appendMetrics(id, points);
        if (status != RunStatus.RUNNING) {
            store.finishRun(id, status, status == RunStatus.FAILED ? "boom <b>bold</b>" : null);
        }
        return id;
    }

    static List<MetricPoint> points(double[] values) {
        List<MetricPoint> list = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            list.add(new MetricPoint(i + 1L, 1 + i / 10, values[i], 1_700_000_000_000L + i * 10L));
        }
        return list;
    }

    /**
     * Makes a run look as if its process died two minutes ago: its last update (heartbeat) then.
     *
     * @param url the store's JDBC URL
     * @param runId the run
     */
    static void lastHeardTwoMinutesAgo(String url, String runId) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.PreparedStatement old = c.prepareStatement("UPDATE runs SET updated_millis = ? WHERE run_id = ?")) {
            old.setLong(1, System.currentTimeMillis() - 120_000);
            old.setString(2, runId);
            old.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
