package dev.assay.web.api;

import dev.assay.plugin.Names;
import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import dev.assay.web.query.Downsampler;
import dev.assay.web.query.FilterException;
import dev.assay.web.query.FilterParser;
import dev.assay.web.query.Rows;
import dev.assay.web.query.RunField;
import dev.assay.web.query.RunSort;
import dev.assay.web.query.SeriesReader;
import dev.assay.web.query.SqlCondition;
import dev.assay.web.query.StoreQueries;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The read-only JSON API; every route is a GET under {@code /api/} and is documented in the
 * README ("Web UI"). Bad query parameters answer 400 and unknown experiments or runs 404, through
 * {@link ApiException}.
 */
public final class ApiRoutes {

    /** The default page size of {@code /api/runs}. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page size of {@code /api/runs}. */
    public static final int MAX_LIMIT = 500;
    /** The default number of points per series of {@code /api/series}. */
    public static final int DEFAULT_POINTS = 2000;
    /** The largest number of points per series of {@code /api/series}. */
    public static final int MAX_POINTS = 20_000;
    /** The most (run, metric) pairs one {@code /api/series} request may ask for. */
    public static final int MAX_SERIES = 500;

    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern RUN_PREFIX = Pattern.compile("[0-9a-f]{4,31}");

    private final TrackingStore store;
    private final StoreQueries queries;
    private final SeriesReader series;
    private final ArtifactFiles artifacts;

    /**
     * Creates the routes.
     *
     * @param store the store (run details and series decoding)
     * @param queries the read-only queries
     * @param series the series reader
     * @param artifacts the run artifact files
     */
    public ApiRoutes(TrackingStore store, StoreQueries queries, SeriesReader series, ArtifactFiles artifacts) {
        this.store = store;
        this.queries = queries;
        this.series = series;
        this.artifacts = artifacts;
    }

    /**
     * Registers the routes.
     *
     * @param routes Javalin's route configuration
     */
    public void register(RoutesConfig routes) {
        Map<String, io.javalin.http.Handler> endpoints = new java.util.LinkedHashMap<>();
        endpoints.put("/api/experiments", ctx -> ctx.json(queries.experiments()));
        endpoints.put("/api/runs", this::runs);
        endpoints.put("/api/columns", this::columns);
        endpoints.put("/api/groups", this::groups);
        endpoints.put("/api/scatter", this::scatter);
        endpoints.put("/api/runs/{runId}", this::run);
        endpoints.put("/api/runs/{runId}/artifacts/<path>", this::artifact);
        endpoints.put("/api/series", this::series);
        endpoints.forEach((path, handler) -> {
            routes.get(path, handler);
            // HEAD answers as GET does, without the body: it was 200 for any path an endpoint matched (an unknown
            // run, a missing artifact), as Javalin answered it without running the handler (a security check)
            routes.head(path, handler);
        });
    }

    private void runs(Context ctx) {
        String experiment = required(ctx, "experiment");
        SqlCondition filter = filter(ctx, experiment);
        RunSort sort;
        try {
            sort = RunSort.parse(ctx.queryParam("sort"), ctx.queryParam("order"));
        } catch (FilterException e) {
            throw withFieldHint(experiment, e);
        }
        if (sort.field() != null) {
            requireField(experiment, sort.field(), "sort");
        }
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        ctx.json(queries.runs(experiment, filter, sort, offset, limit).orElseThrow(() -> noExperiment(experiment)));
    }

    /**
     * Parses the {@code filter} parameter and checks that every metric, param and tag it compares
     * exists in the experiment (some run has it): a misspelled name would otherwise match no run,
     * silently.
     *
     * @throws FilterException naming the unknown metric, param or tag, its position, the closest name and all
     */
    private SqlCondition filter(Context ctx, String experiment) {
        SqlCondition condition;
        try {
            condition = FilterParser.parse(ctx.queryParam("filter"));
        } catch (FilterException e) {
            throw withFieldHint(experiment, e);
        }
        if (!condition.metricKeys().isEmpty()) {
            List<String> known = metricsOf(experiment);
            for (Map.Entry<String, Integer> metric : condition.metricKeys().entrySet()) {
                if (!known.contains(metric.getKey())) {
                    throw new FilterException(unknownMetric(experiment, metric.getKey(),
                            "(position " + metric.getValue() + ")", known), "metrics." + metric.getKey(),
                            metric.getValue());
                }
            }
        }
        if (!condition.paramKeys().isEmpty()) {
            List<String> known = paramsOf(experiment);
            for (Map.Entry<String, Integer> param : condition.paramKeys().entrySet()) {
                if (!known.contains(param.getKey())) {
                    throw new FilterException(unknownParam(experiment, param.getKey(),
                            "(position " + param.getValue() + ")", known), "params." + param.getKey(),
                            param.getValue());
                }
            }
        }
        if (!condition.tagKeys().isEmpty()) { // tags.nope = x matched no run, silently
            List<String> known = queries.tagKeys(experiment).orElseThrow(() -> noExperiment(experiment));
            for (Map.Entry<String, Integer> tag : condition.tagKeys().entrySet()) {
                if (!known.contains(tag.getKey())) {
                    throw new FilterException(unknownTag(experiment, tag.getKey(), "(position " + tag.getValue() + ")",
                            known), "tags." + tag.getKey(), tag.getValue());
                }
            }
        }
        return condition;
    }

    private static String unknownTag(String experiment, String tag, String where, List<String> known) {
        return "No run of experiment '" + experiment + "' has the tag '" + tag + "' " + where + (known.isEmpty()
                ? "; none of its runs has tags (it has no runs yet)."
                : Names.didYouMean(tag, known, ".") + " Its tags: " + String.join(", ", known) + ".");
    }

    /**
     * Checks that a param, tag or metric named by a query parameter ({@code sort}, {@code by},
     * {@code x}) exists in the experiment: an unknown param would put every run in one group with no
     * value, silently. Run attributes are not checked.
     *
     * @throws ApiException 400 naming the field, the closest one and all; 404 for an unknown experiment
     */
    private void requireField(String experiment, RunField field, String parameter) {
        if (field.kind() == RunField.Kind.METRIC) {
            requireMetric(experiment, field.key(), parameter);
        } else if (field.kind() == RunField.Kind.PARAM) {
            List<String> known = paramsOf(experiment);
            if (!known.contains(field.key())) {
                throw ApiException.badRequest(unknownParam(experiment, field.key(), "(parameter " + parameter + ")",
                        known));
            }
        } else if (field.kind() == RunField.Kind.TAG) {
            // sort, by and x on tags.nope answered 200 (no order, one group of nothing) while a filter said so
            List<String> known = queries.tagKeys(experiment).orElseThrow(() -> noExperiment(experiment));
            if (!known.contains(field.key())) {
                throw ApiException.badRequest(unknownTag(experiment, field.key(), "(parameter " + parameter + ")",
                        known));
            }
        }
    }

    private List<String> paramsOf(String experiment) {
        return queries.columns(experiment).orElseThrow(() -> noExperiment(experiment)).params().stream()
                .map(Rows.ParamColumn::key).toList();
    }

    private static String unknownParam(String experiment, String param, String where, List<String> known) {
        return "No run of experiment '" + experiment + "' has the param '" + param + "' " + where
                + (known.isEmpty() ? "; none of its runs has params (it has no runs yet, or they recorded none)."
                        : Names.didYouMean(param, known, ".") + " Its params: " + String.join(", ", known) + ".");
    }

    /**
     * Checks that a metric named by a query parameter ({@code sort}, {@code metric}) exists in
     * the experiment: an unknown one would sort or plot nothing, silently.
     *
     * @throws ApiException 400 naming the metric, the closest one and all; 404 for an unknown experiment
     */
    private void requireMetric(String experiment, String metric, String parameter) {
        List<String> known = metricsOf(experiment);
        if (!known.contains(metric)) {
            throw ApiException.badRequest(unknownMetric(experiment, metric, "(parameter " + parameter + ")", known));
        }
    }

    private List<String> metricsOf(String experiment) {
        return queries.columns(experiment).orElseThrow(() -> noExperiment(experiment)).metrics();
    }

    private static String unknownMetric(String experiment, String metric, String where, List<String> known) {
        return "No run of experiment '" + experiment + "' has the metric '" + metric + "' " + where
                + (known.isEmpty() ? "; none of its runs has logged a metric (it has no runs yet, or they logged none)."
                        : Names.didYouMean(metric, known, ".") + " Its metrics: " + String.join(", ", known) + ".");
    }

    /**
     * Reads a field parameter ({@code by}, {@code x}); a bare param or metric name, which needs its
     * {@code params.} or {@code metrics.} prefix, gets an error that names the prefixed field.
     *
     * @throws FilterException if the text names no field
     */
    private RunField field(String experiment, String text) {
        try {
            return RunField.parse(text, 0);
        } catch (FilterException e) {
            throw withFieldHint(experiment, e);
        }
    }

    /**
     * Adds to an unknown field's error the prefixed fields it may mean: a bare param or metric name
     * ({@code dropout}, {@code learning_rate}, as the tables head their columns) names no field, and
     * the filter's and sort's errors said only which forms exist. The names tried: the param or
     * metric of exactly that name, else every param or metric whose dotted name ends with it
     * ({@code params.model.params.dropout}; both when a param and a metric share the name), else
     * the closest by spelling ({@link Names#closest}).
     *
     * @param e the parser's error; returned as it is unless it names an unknown field
     * @return the error to throw
     */
    private FilterException withFieldHint(String experiment, FilterException e) {
        String bare = e.token() == null ? "" : e.token().strip();
        if (bare.isEmpty() || !e.getMessage().startsWith("Unknown field")) {
            return e;
        }
        List<String> candidates = new java.util.ArrayList<>();
        paramsOf(experiment).forEach(k -> candidates.add("params." + k));
        metricsOf(experiment).forEach(k -> candidates.add("metrics." + k));
        String lower = bare.toLowerCase(java.util.Locale.ROOT);
        List<String> meant = candidates.stream().filter(c -> c.equalsIgnoreCase("params." + bare)
                || c.equalsIgnoreCase("metrics." + bare)).toList();
        if (meant.isEmpty()) {
            meant = candidates.stream().filter(c -> c.toLowerCase(java.util.Locale.ROOT).endsWith("." + lower)).toList();
        }
        if (meant.isEmpty()) {
            String close = Names.closest(bare, candidates);
            meant = close == null ? List.of() : List.of(close);
        }
        if (meant.isEmpty()) {
            return e;
        }
        return new FilterException(e.getMessage() + " Did you mean " + meant.stream().map(m -> "'" + m + "'")
                .collect(java.util.stream.Collectors.joining(" or ")) + "?", e.token(), e.position());
    }

    private void columns(Context ctx) {
        String experiment = required(ctx, "experiment");
        ctx.json(queries.columns(experiment).orElseThrow(() -> noExperiment(experiment)));
    }

    private void groups(Context ctx) {
        String experiment = required(ctx, "experiment");
        RunField by = field(experiment, required(ctx, "by"));
        requireField(experiment, by, "by");
        String metric = required(ctx, "metric");
        requireMetric(experiment, metric, "metric");
        SqlCondition filter = filter(ctx, experiment);
        ctx.json(Map.of("experiment", experiment, "by", ctx.queryParam("by"), "metric", metric,
                // which way the best group was picked (lower for loss-like names, as mode: auto reads them), and
                // whether the name tells a better direction at all (learning_rate, d_real: "best" is only the highest)
                "minimize", dev.assay.spec.EarlyStoppingSpec.minimize(metric, "auto"),
                "directionKnown", dev.assay.spec.MetricDirection.of(metric) != dev.assay.spec.MetricDirection.UNKNOWN,
                "groups", queries.groups(experiment, by, metric, filter).orElseThrow(() -> noExperiment(experiment))));
    }

    private void scatter(Context ctx) {
        String experiment = required(ctx, "experiment");
        RunField x = field(experiment, required(ctx, "x"));
        requireField(experiment, x, "x");
        String metric = required(ctx, "metric");
        requireMetric(experiment, metric, "metric");
        SqlCondition filter = filter(ctx, experiment);
        ctx.json(Map.of("experiment", experiment, "x", ctx.queryParam("x"), "metric", metric, "points",
                queries.scatter(experiment, x, metric, filter).orElseThrow(() -> noExperiment(experiment))));
    }

    private void run(Context ctx) {
        String id = ctx.pathParam("runId");
        RunRecord run = store.run(id).orElseThrow(() -> ApiException.notFound("No run has the id '" + id + "'."));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run", run);
        body.put("metricKeys", store.metricKeys(run.runId()));
        // running, but no heartbeat for a minute: its process has most likely stopped
        body.put("stale", run.staleAfter(dev.assay.run.SweepRunner.STALE_AFTER));
        // the run its trial counts by instead of this one (the runs table's "superseded"), else null
        // (the trial's own runs, through the trial-key index: the page polls every 2 s while a run runs)
        body.put("supersededBy", run.trialKey() == null || run.status() == dev.assay.track.RunStatus.RUNNING ? null
                : RunRecord.supersededBy(store.trialRuns(run.experiment(), run.trialKey()), run)
                        .map(RunRecord::runId).orElse(null));
        // listed files no longer there (deleted or moved since the run's end listed them): no link to a 404
        body.put("missingArtifacts", run.artifacts().stream().map(dev.assay.track.ArtifactRecord::path)
                .filter(path -> artifacts.find(run, path).isEmpty()).toList());
        ctx.json(body);
    }

    private void artifact(Context ctx) throws IOException {
        String id = ctx.pathParam("runId");
        String path = ctx.pathParam("path");
        RunRecord run = store.run(id).orElseThrow(() -> ApiException.notFound("No run has the id '" + id + "'."));
        Path file = artifacts.find(run, path).orElseThrow(() -> ApiException.notFound(
                "Run " + run.runId() + " has no artifact '" + path + "'."));
        String type = ArtifactFiles.contentType(file.getFileName().toString());
        if (type.equals(ArtifactFiles.BINARY)) {
            ctx.header("Content-Disposition", "attachment");
        }
        ctx.contentType(type).result(Files.newInputStream(file));
    }

    private void series(Context ctx) {
        List<String> runIds = new java.util.ArrayList<>();
        java.util.SortedSet<String> known = new java.util.TreeSet<>();
        List<String> givenRuns = nonEmptyList(ctx, "run", "run ids");
        List<String> keys = nonEmptyList(ctx, "metric", "metric names");
        // checked before any run is read: every id was looked up in the store first
        if ((long) givenRuns.size() * keys.size() > MAX_SERIES) {
            throw ApiException.badRequest("At most " + MAX_SERIES + " (run, metric) pairs per request, got "
                    + (long) givenRuns.size() * keys.size() + ".");
        }
        // ids are lowercase hex; an id copied in capitals is the same id, as /api/runs/{id} reads it
        for (String given : givenRuns) {
            String id = given.toLowerCase(java.util.Locale.ROOT);
            if (RUN_ID.matcher(id).matches() || RUN_PREFIX.matcher(id).matches()) { // as /api/runs/{prefix} takes it
                // a run that does not exist would answer an empty series, as a run without the metric does
                RunRecord run = store.run(id).orElseThrow(() -> ApiException.notFound("No run has the id '" + id + "'."));
                if (!runIds.contains(run.runId())) { // a prefix and the whole id (or it in capitals) answered it twice
                    runIds.add(run.runId());
                }
                known.addAll(run.metrics().keySet());
            } else {
                throw ApiException.badRequest("A run id must be 4 to 32 hex characters (the id or a"
                        + " unique prefix of it), got '" + given + "'.");
            }
        }
        requireSeries(keys, known, runIds.size());
        int points = intParam(ctx, "points", DEFAULT_POINTS, Downsampler.MIN_POINTS, MAX_POINTS);
        ctx.json(Map.of("points", points, "series", series.read(runIds, keys, points)));
    }

    /**
     * Checks that each metric asked for was logged by at least one of the runs asked for: a
     * misspelled one answered an empty series, as filters refuse an unknown metric.
     *
     * @throws ApiException 400 naming the metric, the closest one and the runs' metrics
     */
    private static void requireSeries(List<String> keys, java.util.SortedSet<String> known, int runs) {
        for (String key : keys) {
            if (!known.contains(key)) {
                List<String> all = List.copyOf(known);
                throw ApiException.badRequest("No run asked for has the metric '" + key + "' (parameter metric)"
                        + Names.didYouMean(key, all, ".") + (runs == 1 ? " Its metrics: " : " Their metrics: ")
                        + (all.isEmpty() ? "none" : String.join(", ", all)) + ".");
            }
        }
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    /**
     * A required comma-separated parameter's items: {@code metric=,} answered 200 with no series, and
     * {@code run=,} "No run asked for has the metric".
     */
    private static List<String> nonEmptyList(Context ctx, String name, String what) {
        List<String> items = list(required(ctx, name));
        if (items.isEmpty()) {
            throw ApiException.badRequest("The query parameter '" + name + "' names no " + what + ": give one or"
                    + " more, separated by commas.");
        }
        return items;
    }

    private static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("The query parameter '" + name + "' is required.");
        }
        return value;
    }

    private static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("The query parameter '" + name + "' must be an integer from " + min + " to "
                + max + ", got '" + text + "'.");
    }

    private static ApiException noExperiment(String name) {
        return ApiException.notFound("No experiment is named '" + name + "'.");
    }
}
