package dev.assay.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the store holds for some runs, counted series by series against what was logged.
 *
 * @param stored points in the runs' chunks
 * @param summarized points counted by the runs' summary rows (-1 for the references, which have none)
 * @param missing points logged but not stored: the sum over the series of (logged − stored) where
 *     positive
 * @param excess points stored beyond those logged: the sum over the series of (stored − logged) where
 *     positive (a series written twice); never subtracted from {@code missing}
 */
record StoredCounts(long stored, long summarized, long missing, long excess) {

    /**
     * Counts the points stored for the runs, each of which logged {@code pointsPerMetric} points to
     * each of {@code metrics} series ({@code metric_0} ...), series by series.
     *
     * @param url the store's JDBC URL
     * @param runIds the runs
     * @param metrics series per run
     * @param pointsPerMetric points logged to each series
     * @return the counts
     * @throws SQLException if the store cannot be read
     */
    static StoredCounts read(String url, List<String> runIds, int metrics, long pointsPerMetric)
            throws SQLException {
        Map<String, Long> stored = new LinkedHashMap<>();
        Map<String, Long> logged = new LinkedHashMap<>();
        long summaries = 0;
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement chunkSums = c.prepareStatement(
                        "SELECT metric_key, SUM(point_count) FROM metric_chunks WHERE run_id = ? GROUP BY metric_key");
                PreparedStatement summarySum = c.prepareStatement(
                        "SELECT COALESCE(SUM(point_count), 0) FROM metric_summaries WHERE run_id = ?")) {
            for (String runId : runIds) {
                for (String key : IngestionBench.keys(metrics)) {
                    logged.put(runId + "/" + key, pointsPerMetric);
                }
                chunkSums.setString(1, runId);
                try (ResultSet rows = chunkSums.executeQuery()) {
                    while (rows.next()) {
                        stored.put(runId + "/" + rows.getString(1), rows.getLong(2));
                    }
                }
                summaries += single(summarySum, runId);
            }
        }
        return StoredCounts.compare(stored, logged, summaries);
    }

    private static long single(PreparedStatement statement, String runId) throws SQLException {
        statement.setString(1, runId);
        try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Compares the points stored per series with those logged per series.
     *
     * @param storedBySeries points found per series, over every run (series absent: none stored)
     * @param loggedBySeries points logged per series
     * @param summarized the summary rows' count, or -1
     * @return the counts
     */
    static StoredCounts compare(Map<String, Long> storedBySeries, Map<String, Long> loggedBySeries,
            long summarized) {
        long stored = 0;
        long missing = 0;
        long excess = 0;
        Set<String> series = new TreeSet<>(storedBySeries.keySet());
        series.addAll(loggedBySeries.keySet());
        for (String s : series) {
            long got = storedBySeries.getOrDefault(s, 0L);
            long want = loggedBySeries.getOrDefault(s, 0L);
            stored += got;
            missing += Math.max(0, want - got);
            excess += Math.max(0, got - want);
        }
        return new StoredCounts(stored, summarized, missing, excess);
    }
}
