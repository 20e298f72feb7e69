package dev.assay.web.query;

import dev.assay.spec.EarlyStoppingSpec;
import dev.assay.spec.MetricDirection;
import dev.assay.track.DefaultMetrics;
import dev.assay.track.MetricSummary;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The web UI's read-only queries over the tracking schema (see {@code V1__tracking_schema.sql}).
 * Filtering, sorting and paging happen in SQL; params and summaries are then loaded for the page's
 * runs only, one query per table. Every value from a request is bound as a parameter.
 *
 * <p>Thread-safe. Methods throw {@link dev.assay.track.TrackingException} when the database fails.
 */
public final class StoreQueries {

    private static final String EXPERIMENTS =
            "SELECT e.name, e.description, e.created_millis, COUNT(r.run_id),"
                    + " SUM(CASE WHEN r.status = 'running' AND r.updated_millis >= ? THEN 1 ELSE 0 END),"
                    + " MAX(r.updated_millis), SUM(CASE WHEN r.status = 'running' AND r.updated_millis < ? THEN 1 ELSE 0 END)"
                    + " FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.id"
                    + " GROUP BY e.id, e.name, e.description, e.created_millis ORDER BY e.name";
    private static final String RUN_COLUMNS = "r.run_id, r.run_name, r.trial_index, r.trial_key, r.seed, r.status,"
            + " r.start_millis, r.end_millis, r.updated_millis, r.error_message, r.paused_millis";
    private static final String FINITE = " BETWEEN -1.7976931348623157E308 AND 1.7976931348623157E308";
    /**
     * Keeps run {@code r} only if it is the run its trial counts by (a trial run again with {@code
     * --rerun} has the same configuration and seed: it counts once in group statistics): its newest
     * completed, diverged or pruned run, else its newest run ({@code RunRecord.countedPerTrial}).
     */
    private static final String FINISHED = " IN ('completed', 'diverged', 'pruned')";
    private static final String NEWEST_OF_TRIAL = "(r.trial_key IS NULL OR NOT EXISTS (SELECT 1 FROM runs n"
            + " WHERE n.experiment_id = r.experiment_id AND n.trial_key = r.trial_key AND ("
            + "(n.status" + FINISHED + " AND r.status NOT" + FINISHED + ")"
            + " OR ((n.status" + FINISHED + ") = (r.status" + FINISHED + ") AND (n.start_millis > r.start_millis"
            + " OR (n.start_millis = r.start_millis AND n.run_id > r.run_id))))))";
    private static final int MAX_SCATTER_POINTS = 20_000;

    private final ReadConnections connections;

    /**
     * Creates the queries.
     *
     * @param connections where to run them
     */
    public StoreQueries(ReadConnections connections) {
        this.connections = connections;
    }

    /**
     * Lists experiments by name with run counts.
     *
     * @return the experiments
     * @throws TrackingException if the store cannot be read (after the pool's retries)
     * @throws IllegalStateException if the connection pool is closed
     */
    public List<Rows.Experiment> experiments() {
        return connections.with("list experiments", c -> {
            List<Rows.Experiment> list = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(EXPERIMENTS)) {
                // a running run with no heartbeat for a minute counts as stale, not running (see RunRecord.stale)
                long heartbeatSince = System.currentTimeMillis() - dev.assay.run.SweepRunner.STALE_AFTER.toMillis();
                s.setLong(1, heartbeatSince);
                s.setLong(2, heartbeatSince);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        long created = rows.getLong(3);
                        long last = rows.getLong(6);
                        boolean noRuns = rows.wasNull();
                        list.add(new Rows.Experiment(rows.getString(1), rows.getString(2), created, rows.getLong(4),
                                rows.getLong(5), noRuns ? created : last, rows.getLong(7)));
                    }
                }
            }
            return list;
        });
    }

    /**
     * Returns one page of an experiment's runs.
     *
     * @param experiment the experiment name
     * @param filter the parsed filter
     * @param sort the order
     * @param offset how many matching runs to skip, ≥ 0
     * @param limit the page size, ≥ 1
     * @return the page, or empty if no experiment has that name
     * @throws TrackingException if the store cannot be read (after the pool's retries)
     * @throws IllegalStateException if the connection pool is closed
     */
    public Optional<Rows.RunsPage> runs(String experiment, SqlCondition filter, RunSort sort, int offset, int limit) {
        return connections.with("list the runs of experiment '" + experiment + "'", c -> {
            Long id = experimentId(c, experiment);
            if (id == null) {
                return Optional.<Rows.RunsPage>empty();
            }
            long total = count(c, id, filter);
            List<Rows.Run> bare = page(c, id, filter, sort, offset, limit);
            return Optional.of(new Rows.RunsPage(experiment, total, offset, limit, attach(c, bare)));
        });
    }

    /**
     * Lists an experiment's param and metric keys, marking the params that vary.
     *
     * @param experiment the experiment name
     * @return the columns, or empty if no experiment has that name
     * @throws TrackingException if the store cannot be read (after the pool's retries)
     * @throws IllegalStateException if the connection pool is closed
     */
    public Optional<Rows.Columns> columns(String experiment) {
        return connections.with("list the columns of experiment '" + experiment + "'", c -> {
            Long id = experimentId(c, experiment);
            if (id == null) {
                return Optional.<Rows.Columns>empty();
            }
            long runs = count(c, id, SqlCondition.TRUE);
            List<Rows.ParamColumn> params = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT p.param_key, COUNT(DISTINCT p.param_value), COUNT(*)"
                    + " FROM params p JOIN runs r ON r.run_id = p.run_id WHERE r.experiment_id = ?"
                    + " GROUP BY p.param_key ORDER BY p.param_key")) {
                s.setLong(1, id);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        long distinct = rows.getLong(2);
                        long having = rows.getLong(3);
                        params.add(new Rows.ParamColumn(rows.getString(1), distinct, having,
                                distinct > 1 || having < runs));
                    }
                }
            }
            List<String> metrics = strings(c, "SELECT DISTINCT s.metric_key FROM metric_summaries s"
                    + " JOIN runs r ON r.run_id = s.run_id WHERE r.experiment_id = ? ORDER BY s.metric_key", id);
            return Optional.of(new Rows.Columns(experiment, runs, params, metrics, DefaultMetrics.of(metrics),
                    metrics.stream().filter(m -> MetricDirection.of(m) == MetricDirection.HIGHER_IS_BETTER).toList()));
        });
    }

    /**
     * Lists the tag keys the runs of an experiment have.
     *
     * @param experiment the experiment name
     * @return the keys in order, or empty if no experiment has that name
     * @throws TrackingException if the store cannot be read (after the pool's retries)
     * @throws IllegalStateException if the connection pool is closed
     */
    public Optional<List<String>> tagKeys(String experiment) {
        return connections.with("list the tags of experiment '" + experiment + "'", c -> {
            Long id = experimentId(c, experiment);
            return id == null ? Optional.<List<String>>empty() : Optional.of(strings(c, "SELECT DISTINCT t.tag_key"
                    + " FROM tags t JOIN runs r ON r.run_id = t.run_id WHERE r.experiment_id = ? ORDER BY t.tag_key", id));
        });
    }

    /**
     * The cut-off of a live run's heartbeat, in ms since the epoch: a run still {@code running} last
     * updated before it has most likely lost its process ({@link dev.assay.run.SweepRunner#STALE_AFTER}).
     */
    private static long staleBefore() {
        return System.currentTimeMillis() - dev.assay.run.SweepRunner.STALE_AFTER.toMillis();
    }

    /**
     * Groups an experiment's runs by the value of a field and summarizes a metric's last values per
     * group (mean ± sample standard deviation over the finite values, e.g. over seeds). A trial run
     * more than once ({@code --rerun}) counts once, by its newest completed, diverged or pruned run,
     * else its newest run.
     *
     * @param experiment the experiment name
     * @param by the group-by field (a param, tag or run attribute)
     * @param metric the metric key
     * @param filter which runs to include
     * @return the groups (numeric values in numeric order), the one with the best mean marked and
     *     every other one with Welch's p-value against it ({@link Rows.Group}), or empty if no
     *     experiment has that name
     * @throws TrackingException if the store cannot be read (after the pool's retries)
     * @throws IllegalStateException if the connection pool is closed
     */
    public Optional<List<Rows.Group>> groups(String experiment, RunField by, String metric, SqlCondition filter) {
        return connections.with("group the runs of experiment '" + experiment + "'", c -> {
            Long id = experimentId(c, experiment);
            if (id == null) {
                return Optional.<List<Rows.Group>>empty();
            }
            String sql = "SELECT " + by.textValue("g") + GroupStatistics.aggregates("m.last_value", FINITE, staleBefore())
                    + " FROM runs r" + by.join("g") + " LEFT JOIN metric_summaries m ON m.run_id = r.run_id"
                    + " AND m.metric_key = ? WHERE r.experiment_id = ? AND " + NEWEST_OF_TRIAL + " AND " + filter.sql()
                    + " GROUP BY " + by.textValue("g") + " ORDER BY MIN(" + by.orderValue("g") + ") NULLS LAST, "
                    + by.textValue("g");
            List<Object> args = new ArrayList<>();
            if (by.kind() != RunField.Kind.COLUMN) {
                args.add(by.key());
            }
            args.add(metric);
            args.add(id);
            args.addAll(filter.args());
            try (PreparedStatement s = c.prepareStatement(sql)) {
                bind(s, args);
                List<Rows.Group> groups = GroupStatistics.againstBest(GroupStatistics.read(s),
                        EarlyStoppingSpec.minimize(metric, "auto"));
                if (by.isConfig()) {
                    List<String> labels = RunField.shortConfigs(groups.stream().map(Rows.Group::value).toList());
                    for (int i = 0; i < groups.size(); i++) {
                        groups.set(i, groups.get(i).relabelled(labels.get(i)));
                    }
                }
                return Optional.of(groups);
            }
        });
    }

    /**
     * Returns one point per run: a field against a metric's last value, for a scatter plot. As in
     * {@link #groups}, which the page shows beside it, a trial run more than once counts once, by
     * the run its trial counts by (an older run superseded by a {@code --rerun} is not drawn). Each
     * point carries its run's status: the page draws completed runs only, as the groups average
     * them only, and counts the others by status under the plot.
     *
     * @param experiment the experiment name
     * @param x the x field (a param, tag or run attribute)
     * @param metric the y metric key
     * @param filter which runs to include
     * @return up to 20,000 points in trial order, a run without the metric with a null y (the page
     *     counts it under the plot; it was left out, and a diverged run without a test metric went
     *     unmentioned while the groups beside the plot counted it), or empty if no experiment has
     *     that name
     * @throws TrackingException if the store cannot be read (after the pool's retries)
     * @throws IllegalStateException if the connection pool is closed
     */
    public Optional<List<Rows.ScatterPoint>> scatter(String experiment, RunField x, String metric,
            SqlCondition filter) {
        return connections.with("read a scatter of experiment '" + experiment + "'", c -> {
            Long id = experimentId(c, experiment);
            if (id == null) {
                return Optional.<List<Rows.ScatterPoint>>empty();
            }
            String sql = "SELECT r.run_id, r.run_name, " + x.textValue("g") + ", " + x.numberValue("g")
                    + ", m.last_value, CASE WHEN r.status = '" + RunStatus.RUNNING.label() + "' AND r.updated_millis < "
                    + staleBefore() + " THEN '" + GroupStatistics.STALE + "' ELSE r.status END FROM runs r" + x.join("g") + " LEFT JOIN metric_summaries m ON m.run_id = r.run_id"
                    + " AND m.metric_key = ? WHERE r.experiment_id = ? AND " + NEWEST_OF_TRIAL + " AND "
                    + filter.sql() + " ORDER BY r.trial_index, r.run_id FETCH FIRST " + MAX_SCATTER_POINTS
                    + " ROWS ONLY";
            List<Object> args = new ArrayList<>();
            if (x.kind() != RunField.Kind.COLUMN) {
                args.add(x.key());
            }
            args.add(metric);
            args.add(id);
            args.addAll(filter.args());
            try (PreparedStatement s = c.prepareStatement(sql)) {
                bind(s, args);
                List<Rows.ScatterPoint> points = scatterRows(s);
                if (x.isConfig()) {
                    List<String> labels = RunField.shortConfigs(points.stream().map(Rows.ScatterPoint::x).toList());
                    for (int i = 0; i < points.size(); i++) {
                        Rows.ScatterPoint p = points.get(i);
                        points.set(i, new Rows.ScatterPoint(p.runId(), p.runName(), labels.get(i), p.xNumber(), p.y(),
                                p.status()));
                    }
                }
                return Optional.of(points);
            }
        });
    }

    /**
     * Returns the number of points of a metric series, from its summary row.
     *
     * @param runId the run id
     * @param key the metric key
     * @return the count, or -1 if the series does not exist
     * @throws TrackingException if the store cannot be read (after the pool's retries)
     * @throws IllegalStateException if the connection pool is closed
     */
    public long pointCount(String runId, String key) {
        return connections.with("count the points of metric '" + key + "'", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT point_count FROM metric_summaries WHERE run_id = ? AND metric_key = ?")) {
                s.setString(1, runId);
                s.setString(2, key);
                try (ResultSet rows = s.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : -1L;
                }
            }
        });
    }

    private static List<Rows.ScatterPoint> scatterRows(PreparedStatement s) throws SQLException {
        List<Rows.ScatterPoint> points = new ArrayList<>();
        try (ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                double xNumber = rows.getDouble(4);
                Double x = rows.wasNull() ? null : xNumber;
                double yValue = rows.getDouble(5);
                Double y = rows.wasNull() ? null : yValue; // before the next getter: wasNull reads the last one
                points.add(new Rows.ScatterPoint(rows.getString(1), rows.getString(2), rows.getString(3), x, y,
                        rows.getString(6)));
            }
        }
        return points;
    }


    private static Long experimentId(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM experiments WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    private static long count(Connection c, long id, SqlCondition filter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM runs r WHERE r.experiment_id = ? AND " + filter.sql())) {
            List<Object> args = new ArrayList<>(List.of(id));
            args.addAll(filter.args());
            bind(s, args);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static List<Rows.Run> page(Connection c, long id, SqlCondition filter, RunSort sort, int offset,
            int limit) throws SQLException {
        List<Object> args = new ArrayList<>();
        String join = sort.join(args);
        args.add(id);
        args.addAll(filter.args());
        args.add((long) offset);
        args.add((long) limit);
        String sql = "SELECT " + RUN_COLUMNS + ", CASE WHEN " + NEWEST_OF_TRIAL + " THEN TRUE ELSE FALSE END"
                + " FROM runs r" + join + " WHERE r.experiment_id = ? AND "
                + filter.sql() + " ORDER BY " + sort.orderBy() + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
        List<Rows.Run> runs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    runs.add(bareRun(rows));
                }
            }
        }
        return runs;
    }

    private static Rows.Run bareRun(ResultSet rows) throws SQLException {
        long end = rows.getLong(8);
        Long endMillis = rows.wasNull() ? null : end;
        Long duration = RunRecord.durationMillis(rows.getLong(7), endMillis, rows.getLong(11));
        return new Rows.Run(rows.getString(1), rows.getString(2), rows.getInt(3), rows.getString(4), rows.getLong(5),
                rows.getString(6), rows.getLong(7), endMillis, duration, rows.getLong(9), rows.getString(10),
                rows.getBoolean(12), Map.of(), Map.of());
    }

    private static List<Rows.Run> attach(Connection c, List<Rows.Run> bare) throws SQLException {
        if (bare.isEmpty()) {
            return bare;
        }
        List<Object> ids = new ArrayList<>();
        bare.forEach(r -> ids.add(r.runId()));
        String in = " IN (" + String.join(",", Collections.nCopies(ids.size(), "?")) + ")";
        Map<String, Map<String, String>> params = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT run_id, param_key, param_value FROM params WHERE run_id" + in)) {
            bind(s, ids);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    params.computeIfAbsent(rows.getString(1), k -> new TreeMap<>()).put(rows.getString(2), rows.getString(3));
                }
            }
        }
        Map<String, Map<String, MetricSummary>> metrics = summaries(c, in, ids);
        List<Rows.Run> runs = new ArrayList<>(bare.size());
        for (Rows.Run r : bare) {
            runs.add(new Rows.Run(r.runId(), r.runName(), r.trialIndex(), r.trialKey(), r.seed(), r.status(),
                    r.startTimeMillis(), r.endTimeMillis(), r.durationMillis(), r.updatedMillis(), r.errorMessage(),
                    r.counted(), params.getOrDefault(r.runId(), Map.of()), metrics.getOrDefault(r.runId(), Map.of())));
        }
        return runs;
    }

    private static Map<String, Map<String, MetricSummary>> summaries(Connection c, String in, List<Object> ids)
            throws SQLException {
        Map<String, Map<String, MetricSummary>> byRun = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT run_id, metric_key, point_count, last_value, last_step,"
                + " min_value, min_step, max_value, max_step, non_finite_count FROM metric_summaries WHERE run_id" + in)) {
            bind(s, ids);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    MetricSummary m = new MetricSummary(rows.getString(2), rows.getLong(3), rows.getDouble(4),
                            rows.getLong(5), rows.getDouble(6), rows.getLong(7), rows.getDouble(8), rows.getLong(9),
                            rows.getLong(10));
                    byRun.computeIfAbsent(rows.getString(1), k -> new TreeMap<>()).put(m.key(), m);
                }
            }
        }
        return byRun;
    }

    private static List<String> strings(Connection c, String sql, long id) throws SQLException {
        List<String> list = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    list.add(rows.getString(1));
                }
            }
        }
        return list;
    }

    private static void bind(PreparedStatement s, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Double d) {
                s.setDouble(i + 1, d);
            } else if (a instanceof Long l) {
                s.setLong(i + 1, l);
            } else {
                s.setString(i + 1, (String) a);
            }
        }
    }
}
