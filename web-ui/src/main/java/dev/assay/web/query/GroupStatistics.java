package dev.assay.web.query;

import dev.assay.stats.Welch;
import dev.assay.track.RunStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The statistics of a group of runs ({@link Rows.Group}): the SQL aggregates over a metric's last
 * values, reading them back, and the comparison of every group with the best one. Only completed
 * runs' values enter the statistics (a pruned, interrupted, failed or running run's last value is
 * from the epoch it stopped at or has reached); a diverged run's NaN or ±Inf counts as non-finite;
 * a run that ended without logging the metric counts as missing, whatever status it ended with, one
 * still running that has not logged it yet as running; the runs that did not complete are counted
 * by status.
 */
final class GroupStatistics {

    /** The statuses a group counts apart ({@link Rows.Group#statuses}): all but completed. */
    private static final List<RunStatus> NOT_COMPLETED = java.util.Arrays.stream(RunStatus.values())
            .filter(st -> st != RunStatus.COMPLETED).toList();

    private GroupStatistics() {}

    /**
     * The aggregate columns that follow a group query's group value: the run count, the counts of
     * finite values (completed runs'), of non-finite ones (completed and diverged runs'), of runs
     * that ended without a value (any status but running) and of running runs without one yet, mean,
     * sample standard deviation, min and max of the finite ones, then one count for each status in
     * {@link #NOT_COMPLETED}.
     *
     * @param value the SQL expression of a run's metric value, e.g. {@code m.last_value}, null for a
     *     run that never logged the metric (a {@code LEFT JOIN} without a row)
     * @param finite the SQL condition, appended to a value, that it is finite (e.g. a {@code BETWEEN})
     * @return the columns, starting with a comma
     */
    static String aggregates(String value, String finite, long staleBeforeMillis) {
        // finite values of completed runs only: a pruned, interrupted, failed or running run's last value is from
        // the epoch it stopped at (or has reached); a diverged run's NaN or ±Inf is counted as non-finite
        String v = "CASE WHEN r.status = '" + RunStatus.COMPLETED.label() + "' THEN " + value + " END";
        String fin = "CASE WHEN " + v + finite + " THEN " + v + " END";
        String ended = "CASE WHEN r.status IN ('" + RunStatus.COMPLETED.label() + "', '" + RunStatus.DIVERGED.label()
                + "') THEN " + value + " END";
        StringBuilder statuses = new StringBuilder();
        for (String condition : statusConditions(staleBeforeMillis)) {
            statuses.append(", SUM(CASE WHEN ").append(condition).append(" THEN 1 ELSE 0 END)");
        }
        // a run that ended without the metric (a diverged run stopped before its test) is missing, not NaN/Inf; one
        // still running has not logged it yet (a sweep in progress read "missing" for every running run); one left
        // running by a process that died (no heartbeat) will not log it: missing, and counted as stale
        String running = live(staleBeforeMillis);
        return ", COUNT(*), COUNT(" + fin + "), SUM(CASE WHEN " + ended + " IS NOT NULL AND NOT " + ended + finite
                + " THEN 1 ELSE 0 END), SUM(CASE WHEN " + value + " IS NULL AND NOT " + running + " THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN " + value + " IS NULL AND " + running + " THEN 1 ELSE 0 END), AVG(" + fin + "),"
                + " STDDEV_SAMP(" + fin + "), MIN(" + fin + "), MAX(" + fin + ")" + statuses;
    }

    /** The label a running run without a heartbeat is counted under ({@link Rows.Group#statuses}). */
    static final String STALE = "stale";

    /** A running run with a heartbeat since the cut-off, as SQL: its process is alive. */
    private static String live(long staleBeforeMillis) {
        return "(r.status = '" + RunStatus.RUNNING.label() + "' AND r.updated_millis >= " + staleBeforeMillis + ")";
    }

    /**
     * The SQL conditions of the statuses counted apart, in {@link #statusLabels()}'s order: each of
     * {@link #NOT_COMPLETED}, a running run only with a heartbeat since the cut-off, then {@link
     * #STALE}: a running run without (its process died; the next sweep marks it interrupted). A
     * killed run read "1 running" in the groups while its own badge said "no heartbeat".
     */
    private static List<String> statusConditions(long staleBeforeMillis) {
        List<String> conditions = new ArrayList<>();
        for (RunStatus status : NOT_COMPLETED) {
            conditions.add(status == RunStatus.RUNNING ? live(staleBeforeMillis) : "r.status = '" + status.label() + "'");
        }
        conditions.add("(r.status = '" + RunStatus.RUNNING.label() + "' AND r.updated_millis < " + staleBeforeMillis + ")");
        return conditions;
    }

    /** The labels of {@link #statusConditions}. */
    private static List<String> statusLabels() {
        List<String> labels = new ArrayList<>(NOT_COMPLETED.stream().map(RunStatus::label).toList());
        labels.add(STALE);
        return labels;
    }

    /**
     * Reads the groups a query selected with {@link #aggregates} after its group value.
     *
     * @param s the prepared query
     * @return the groups, none marked best yet
     * @throws SQLException if the query fails
     */
    static List<Rows.Group> read(PreparedStatement s) throws SQLException {
        List<Rows.Group> groups = new ArrayList<>();
        try (ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                Map<String, Long> statuses = new LinkedHashMap<>();
                List<String> labels = statusLabels();
                for (int i = 0; i < labels.size(); i++) {
                    long n = rows.getLong(11 + i);
                    if (n > 0) {
                        statuses.put(labels.get(i), n);
                    }
                }
                groups.add(new Rows.Group(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                        rows.getLong(5), rows.getLong(6), doubleOrNaN(rows, 7), doubleOrNaN(rows, 8),
                        doubleOrNaN(rows, 9), doubleOrNaN(rows, 10), statuses, false, null));
            }
        }
        return groups;
    }

    /**
     * Marks the group with the best mean (the first of equal ones) and gives every other group
     * Welch's p-value against it, from the means, sample standard deviations and counts of finite
     * values.
     */
    static List<Rows.Group> againstBest(List<Rows.Group> groups, boolean minimize) {
        Rows.Group best = null;
        for (Rows.Group g : groups) {
            if (g.finiteCount() > 0 && (best == null || (minimize ? g.mean() < best.mean() : g.mean() > best.mean()))) {
                best = g;
            }
        }
        List<Rows.Group> out = new ArrayList<>(groups.size());
        for (Rows.Group g : groups) {
            if (g == best) {
                out.add(g.compared(true, null));
                continue;
            }
            OptionalDouble p = best == null ? OptionalDouble.empty()
                    : Welch.pValue(best.mean(), best.std(), best.finiteCount(), g.mean(), g.std(), g.finiteCount());
            out.add(g.compared(false, p.isPresent() ? p.getAsDouble() : null));
        }
        return out;
    }

    private static double doubleOrNaN(ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? Double.NaN : value;
    }
}
