package dev.assay.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.DefaultMetrics;
import dev.assay.track.MetricSummary;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Text tables for the console (rendered by the ascii-table library). */
final class Tables {

    private static final ObjectMapper PROVENANCE_JSON = new ObjectMapper();

    /**
     * A run's provenance (its stored JSON) as field → text, as {@code show} and {@code compare}
     * print it: a JSON null (e.g. {@code gitCommit} of a run started outside a git repository) as
     * "-", a nested object ({@code engineSettings}) as {@code k=v, k=v} ("-" when empty), other
     * values as their text.
     *
     * @param json the provenance JSON; null or blank for none
     * @return the fields in stored order; empty for none
     * @throws JsonProcessingException if {@code json} is not valid JSON
     */
    static Map<String, String> provenance(String json) throws JsonProcessingException {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        PROVENANCE_JSON.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), provenanceValue(e.getValue())));
        return out;
    }

    private static String provenanceValue(JsonNode value) {
        if (value.isNull()) {
            return "-";
        }
        if (!value.isObject()) {
            return value.asText();
        }
        List<String> pairs = new ArrayList<>();
        value.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
        return pairs.isEmpty() ? "-" : String.join(", ", pairs);
    }

    private Tables() {}

    /**
     * The metrics a table shows when none are asked for ({@link DefaultMetrics#of}, the web UI's
     * rule too) over the metrics the runs have.
     */
    static List<String> defaultMetrics(List<RunRecord> runs) {
        return DefaultMetrics.of(runs.stream().flatMap(r -> r.metrics().keySet().stream()).toList());
    }

    /**
     * The metric columns of a runs or groups table: the chosen ones (or {@link #defaultMetrics}),
     * plus the {@code --sort} metric when they leave it out (rows or groups were ordered by a column
     * the table did not show: {@code runs --sort batch_loss}).
     *
     * @param chosen {@code --metrics}, or null for the defaults
     * @param runs the runs shown
     * @param sort the {@code --sort} metric, or null
     * @return the metric keys, in column order
     */
    static List<String> shownMetrics(List<String> chosen, List<RunRecord> runs, String sort) {
        List<String> shown = new ArrayList<>(chosen != null ? chosen : defaultMetrics(runs));
        if (sort != null && !shown.contains(sort)) {
            shown.add(sort);
        }
        return shown;
    }

    /**
     * Renders a bordered table; a column whose cells are all numbers (or NaN/Inf/-) is right-aligned,
     * any other column left-aligned. Double-width characters (CJK) count two columns ({@link CellWidth}).
     */
    static String table(List<String> header, List<String[]> rows) {
        List<Column> columns = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            final int col = c;
            boolean numeric = !rows.isEmpty() && rows.stream().allMatch(r -> isNumber(r[col]));
            HorizontalAlign align = numeric ? HorizontalAlign.RIGHT : HorizontalAlign.LEFT;
            columns.add(new Column().header(CellWidth.padded(header.get(c))).headerAlign(HorizontalAlign.LEFT)
                    .dataAlign(align).with(r -> CellWidth.padded(((String[]) r)[col])));
        }
        return CellWidth.unmarked(AsciiTable.builder().border(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS)
                .data(new ArrayList<Object>(rows),
                columns.stream().map(Tables::cast).toList()).asString());
    }

    @SuppressWarnings("unchecked")
    private static com.github.freva.asciitable.ColumnData<Object> cast(Column c) {
        return (com.github.freva.asciitable.ColumnData<Object>) (Object) c;
    }

    private static boolean isNumber(String s) {
        return s.equals("-") || s.equals("NaN") || s.equals("+Inf") || s.equals("-Inf")
                || s.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?( s)?");
    }

    /** ISO-8601 in UTC with milliseconds always present: {@code 2026-11-30T19:51:00.000Z}. */
    private static final java.time.format.DateTimeFormatter INSTANT =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
                    .withZone(java.time.ZoneOffset.UTC);

    /**
     * Formats a wall-clock time: ISO-8601 in UTC, always with milliseconds ({@code
     * 2026-11-30T19:51:00.000Z}). {@code Instant.toString()} drops {@code .000} at whole seconds,
     * so a column mixed two widths: Python's {@code strptime("%Y-%m-%dT%H:%M:%S.%fZ")} failed on
     * them, and as text a whole second sorted after {@code .100Z} of the same second.
     *
     * @param epochMillis milliseconds since 1970-01-01T00:00:00Z
     * @return the time, 24 characters for years 0000-9999
     */
    static String instant(long epochMillis) {
        return INSTANT.format(java.time.Instant.ofEpochMilli(epochMillis));
    }

    /** Formats a metric value: 4 significant decimals, NaN and ±Inf spelled out. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-3) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Formats a parameter value for a table ({@link dev.assay.sweep.ValueText#rounded}). */
    static String param(String value) {
        return dev.assay.sweep.ValueText.rounded(value);
    }

    /**
     * A run's status as the tables show it: "running, no heartbeat" for a running run whose
     * process has sent none for {@link dev.assay.run.SweepRunner#STALE_AFTER} (a killed process
     * left "running" until the next {@code assay run} of the experiment).
     */
    static String status(RunRecord r) {
        return r.staleAfter(dev.assay.run.SweepRunner.STALE_AFTER) ? "running, no heartbeat" : r.status().label();
    }

    /**
     * The planned trials ({@code --dry-run}): index, trial key, seed, and every param whose value
     * differs between them, as the runs table shows them (a variant's own settings, such as its
     * {@code l2} or {@code dropout}, as well as the sweep axes': only the variant's name was shown).
     */
    static String plan(List<TrialSpec> trials) {
        List<Map<String, String>> params = trials.stream().map(dev.assay.run.ConfigDocuments::flatParams).toList();
        // a swept param is shown even where the planned trials happen to share its value (a random
        // search drawing one trial, or the same value each time): the table dropped such a column
        Set<String> swept = new LinkedHashSet<>();
        trials.forEach(t -> swept.addAll(t.sweepValues().keySet()));
        Map<String, String> varying = varyingColumns(params, swept);
        varying.remove(dev.assay.spec.TrainingSpec.SEED_PARAM); // the seed has its own column (it read twice)
        List<String> header = new ArrayList<>(List.of("#", "trial key", "seed"));
        header.addAll(varying.values());
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            TrialSpec t = trials.get(i);
            Map<String, String> p = params.get(i);
            List<String> row = new ArrayList<>(List.of(String.valueOf(t.index()), t.trialKey(),
                    String.valueOf(t.seed())));
            varying.keySet().forEach(k -> row.add(param(p.getOrDefault(k, "-"))));
            rows.add(row.toArray(String[]::new));
        }
        return table(header, rows);
    }

    /**
     * The runs table: id, trial, status, the params whose values differ between the runs, the
     * chosen metrics' last values, epochs and wall time. A run that its trial does not count by
     * (another run of the trial, by {@link RunRecord#countedPerTrial}, counts in groups and
     * exports: a {@code --rerun}'s older copy, or a stopped rerun beside a completed run) has
     * "superseded" after its status (a rerun still running is not marked), and a line under the table
     * says what that means.
     */
    static String runs(List<RunRecord> runs, List<String> metrics, boolean allDefaults) {
        java.util.Set<String> superseded = RunRecord.superseded(runs);
        List<String> shownMetrics = metrics != null ? metrics : defaultMetrics(runs);
        Map<String, String> varying = varyingParams(runs);
        List<String> header = new ArrayList<>(RUN_LEADING);
        header.addAll(varying.values());
        shownMetrics.forEach(m -> header.add(metricHeader(m, varying.values())));
        header.addAll(RUN_TRAILING);
        List<String[]> rows = new ArrayList<>();
        for (RunRecord r : runs) {
            List<String> row = new ArrayList<>(List.of(r.runId().substring(0, 8),
                    String.valueOf(r.trialIndex()), status(r) + (superseded.contains(r.runId()) ? ", superseded" : "")));
            varying.keySet().forEach(k -> row.add(param(r.params().getOrDefault(k, "-"))));
            for (String m : shownMetrics) {
                row.add(cell(r, m));
            }
            MetricSummary epochs = r.metrics().get("epoch_time_s");
            row.add(epochs == null ? "-" : String.valueOf(epochs.count()));
            row.add(duration(r));
            rows.add(row.toArray(String[]::new));
        }
        return table(header, rows) + (superseded.isEmpty() ? "" : System.lineSeparator() + superseded.size()
                + " superseded run(s): another run of the same trial (configuration and seed) counts in groups"
                + " and the web UI's charts (exports list every run, with superseded=true for these).");
    }

    /**
     * A metric column's header: its name, or {@code metrics.NAME} when a param column is headed
     * with that name (a logged {@code learning_rate} beside the param column {@code learning_rate}:
     * two columns read alike, in two formats), as the web UI heads it.
     *
     * @param metric the metric, possibly with a {@code (min)}/{@code (max)} suffix
     * @param paramColumns the param columns' headers
     * @return the header
     */
    static String metricHeader(String metric, java.util.Collection<String> paramColumns) {
        String bare = metric.endsWith(MIN) || metric.endsWith(MAX) ? metric.substring(0, metric.length() - MIN.length())
                : metric;
        return paramColumns.contains(bare) ? "metrics." + metric : metric;
    }

    /** The runs table's columns before the params, and after the metrics. */
    private static final List<String> RUN_LEADING = List.of("run", "#", "status");
    private static final List<String> RUN_TRAILING = List.of("epochs", "time");
    /** Column names of the runs and groups tables besides params and metrics. */
    private static final Set<String> FIXED_COLUMNS = java.util.stream.Stream.of(RUN_LEADING, RUN_TRAILING,
            List.of(GroupsTable.GROUP_SIZE)).flatMap(List::stream).collect(Collectors.toUnmodifiableSet());

    /**
     * Params whose values differ across the runs, mapped to a column name: the last part of the
     * key, or the whole key when that part is shared by another varying param or is a fixed
     * column's name ({@code training.epochs} is not shown as a second "epochs"). The columns come
     * in the order the params first appear in the runs taken by start time, whatever order the
     * table lists the runs in (a table sorted by a metric put another optimizer's params first).
     */
    static Map<String, String> varyingParams(List<RunRecord> runs) {
        return varyingColumns(runs.stream().sorted(java.util.Comparator.comparingLong(RunRecord::startTimeMillis)
                .thenComparing(RunRecord::runId)).map(RunRecord::params).toList(), Set.of());
    }

    /**
     * {@link #varyingParams} over flat param maps (runs' params, or planned trials'), with the
     * {@code shown} keys kept whether their values differ or not.
     */
    private static Map<String, String> varyingColumns(List<Map<String, String>> params, Set<String> shown) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(dev.assay.run.ConfigDocuments.VARIANT_PARAM);
        params.forEach(p -> keys.addAll(p.keySet()));
        List<String> varying = keys.stream().filter(k -> shown.contains(k) && params.stream().anyMatch(p -> p.containsKey(k))
                || params.stream().map(p -> p.getOrDefault(k, "")).distinct().count() > 1).toList();
        Map<String, Long> shortCounts = varying.stream().collect(Collectors.groupingBy(
                Tables::shortName, Collectors.counting()));
        Map<String, String> out = new LinkedHashMap<>();
        varying.forEach(k -> out.put(k, shortCounts.get(shortName(k)) > 1 || FIXED_COLUMNS.contains(shortName(k))
                ? k : shortName(k)));
        return out;
    }

    /**
     * A param's column name: its key's last part, or its last two where the last part alone says
     * nothing ({@code training.optimizer.name} is "optimizer.name": a column "name" read as the
     * run's name).
     */
    private static String shortName(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        int parent = key.lastIndexOf('.', key.lastIndexOf('.') - 1);
        return GENERIC_PARTS.contains(last) && key.lastIndexOf('.') > 0 ? key.substring(parent + 1) : last;
    }

    /** Last parts of param keys that need their parent's name beside them in a column header. */
    private static final Set<String> GENERIC_PARTS = Set.of("name", "type", "kind", "mode", "params");

    private static String duration(RunRecord r) {
        if (r.endTimeMillis() == null) {
            return r.status() == RunStatus.RUNNING ? "running" : "-";
        }
        return String.format(Locale.ROOT, "%.1f s", r.durationMillis() / 1000.0);
    }

    static String summary(List<RunStatus> statuses) {
        if (statuses.isEmpty()) {
            return "0 trial(s) run";
        }
        Map<RunStatus, Long> counts = statuses.stream().collect(Collectors.groupingBy(
                s -> s, () -> new java.util.EnumMap<>(RunStatus.class), Collectors.counting()));
        return statuses.size() + " trial(s): " + counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().label())
                .collect(Collectors.joining(", "));
    }

    /**
     * Why an experiment named on the command line has no runs: a name the store does not know (a
     * typo) gets the closest known name and the list of them, as {@code assay runs --experiment}
     * gives; before, {@code export} and {@code resume} answered "has no runs in jdbc:h2:...".
     *
     * @param experiment the name given
     * @param db the store read
     * @param url the store's address, for the message
     * @return the message
     */
    static String noRunsOf(String experiment, dev.assay.track.TrackingStore db, String url) {
        List<String> names = db.experiments().stream().map(dev.assay.track.ExperimentRecord::name).toList();
        if (names.contains(experiment)) {
            return "experiment '" + experiment + "' has no runs in " + url;
        }
        String close = dev.assay.plugin.Names.closest(experiment, names);
        return "no experiment named '" + experiment + "' in " + url
                + (names.isEmpty() ? " (it has no experiments yet)"
                        : dev.assay.plugin.Names.suggestion(close, "") + (close == null ? "; experiments: " : " Experiments: ")
                        + String.join(", ", names));
    }

    /**
     * Checks that a metric named on the command line is one the runs have.
     *
     * @param metric the name given
     * @param known the metrics of the runs it applies to
     * @param where what those runs are, for the message ("experiment 'x'", "run 1a2b...")
     * @throws IllegalArgumentException if {@code known} lacks it: the message names it, the closest
     *     known name and all of them
     */
    static void requireMetric(String metric, java.util.Collection<String> known, String where) {
        if (known.contains(metric)) {
            return;
        }
        String close = dev.assay.plugin.Names.closest(metric, known);
        throw new IllegalArgumentException("no metric '" + metric + "' in " + where
                + dev.assay.plugin.Names.suggestion(close, "")
                + (known.isEmpty() ? " (no metrics recorded yet)"
                        : (close == null ? "; metrics: " : " Metrics: ")
                        + String.join(", ", new java.util.TreeSet<>(known))));
    }

    /**
     * The metric keys any of the runs has: what a metric named on the command line is checked
     * against ({@link #requireMetric}).
     */
    static java.util.Set<String> metricKeys(java.util.Collection<RunRecord> runs) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        runs.forEach(r -> keys.addAll(r.metrics().keySet()));
        return keys;
    }

    /**
     * Sorts runs by a parameter's value ({@code training.epochs}, {@code
     * training.optimizer.learning_rate}): numbers in numeric order, then other values in text
     * order, then runs without the parameter, either way (the web UI sorts by a parameter's column
     * too; the CLI refused it as "no metric").
     *
     * @param runs the runs
     * @param param the parameter's full path, as the runs record it
     * @param ascending smallest first
     * @return the runs in that order (stable: ties keep their order)
     */
    static List<RunRecord> sortByParam(List<RunRecord> runs, String param, boolean ascending) {
        Comparator<RunRecord> byKind = Comparator.comparingInt(r -> {
            String v = r.params().get(param);
            return v == null ? 2 : number(v) == null ? 1 : 0;
        });
        Comparator<RunRecord> byNumber = Comparator.comparing((RunRecord r) -> {
            Double d = number(r.params().get(param));
            return d == null ? 0.0 : d;
        });
        Comparator<RunRecord> byText = Comparator.comparing((RunRecord r) -> {
            String v = r.params().get(param);
            return v == null || number(v) != null ? "" : v;
        });
        Comparator<RunRecord> within = byNumber.thenComparing(byText);
        return runs.stream().sorted(byKind.thenComparing(ascending ? within : within.reversed())).toList();
    }

    /** A parameter's text as a number, or null if it is not one. */
    private static Double number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Double.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The parameter paths any of the runs records: what a {@code --sort} name that is no metric is
     * checked against.
     */
    static java.util.Set<String> paramKeys(java.util.Collection<RunRecord> runs) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        runs.forEach(r -> keys.addAll(r.params().keySet()));
        return keys;
    }

    /** Sorts runs by a metric's last value: numbers in order, then NaN, then runs without it. */
    static List<RunRecord> sort(List<RunRecord> runs, String metric, boolean ascending) {
        Comparator<Double> order = ascending ? Comparator.naturalOrder() : Comparator.reverseOrder();
        // numbers (±Inf included) in order, then NaN, then runs without the metric, either way, as the
        // web UI sorts (NaN was mixed in with the missing ones, in trial order)
        Comparator<RunRecord> byRank = Comparator.comparingInt(r -> {
            Double v = value(r, metric);
            return v == null ? 2 : Double.isNaN(v) ? 1 : 0;
        });
        return runs.stream().sorted(byRank.thenComparing((RunRecord r) -> {
            Double v = value(r, metric);
            return v == null || Double.isNaN(v) ? 0.0 : v;
        }, order)).toList();
    }

    /**
     * The column of a metric's best value over the run, as a TPE sweep's objective counts it:
     * {@code "val_accuracy (max)"} or {@code "val_loss (min)"}.
     *
     * @param metric the metric
     * @param minimize whether smaller is better
     * @return the column name, which {@link #runs} and {@link #sort} read as that best value
     */
    static String best(String metric, boolean minimize) {
        return metric + (minimize ? MIN : MAX);
    }

    private static final String MIN = " (min)";
    private static final String MAX = " (max)";

    /** A metric column's value: the last point, or the min / max for a {@link #best} column; null if none. */
    static Double value(RunRecord r, String column) {
        boolean min = column.endsWith(MIN);
        boolean max = column.endsWith(MAX);
        MetricSummary s = r.metrics().get(min || max ? column.substring(0, column.length() - MIN.length()) : column);
        return s == null ? null : min ? s.min() : max ? s.max() : s.last();
    }

    private static String cell(RunRecord r, String column) {
        Double v = value(r, column);
        return v == null ? "-" : number(v);
    }

    /** Aligns key/value pairs in two columns without borders. */
    static String keyValues(Map<String, String> rows) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(rows.entrySet());
        return CellWidth.unmarked(AsciiTable.builder()
                .border(AsciiTable.NO_BORDERS)
                .data(entries, List.of(
                        new Column().dataAlign(HorizontalAlign.LEFT).with(e -> CellWidth.padded(e.getKey())),
                        new Column().dataAlign(HorizontalAlign.LEFT).with(e -> CellWidth.padded(e.getValue()))))
                .asString());
    }
}
