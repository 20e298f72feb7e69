package dev.assay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.assay.track.MetricPoint;
import dev.assay.track.MetricSummary;
import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code assay export EXPERIMENT --format csv|json [--metrics] [--output FILE]}: writes an
 * experiment's runs with their params and metric summaries (last, min, max of each metric).
 *
 * <p>CSV: one row per run; columns {@code run_id, run_name, trial_index, trial_key, seed, status,
 * superseded, start_time, end_time, duration_s, error} (times ISO-8601 UTC with milliseconds;
 * {@code superseded}: an older run of a trial run again, which the groups leave out), then {@code
 * params.<key>}, {@code tags.<key>}, {@code provenance.<key>} (engine and its version, DJL, git
 * commit, CPU; nested fields joined with dots) and {@code metrics.<key>.<summary field>}. With {@code
 * --metrics} the full series go to a second, long-format file {@code <output>.metrics.csv}
 * ({@code run_id, metric, step, epoch, value, wall_time_ms}). JSON: an array of run objects; with
 * {@code --metrics} each has a {@code series} object (metric → points {@code {step, epoch, value,
 * wall_time_ms}}) and every run a {@code provenance} object. NaN and ±Infinity are written as {@code NaN}, {@code Infinity},
 * {@code -Infinity} (strings in JSON), never as a clamped number.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export an experiment's runs (params and metric summaries) as CSV or JSON.")
public final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT", description = "experiment name")
    String experiment;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "experiment name, as assay runs takes it (instead of EXPERIMENT)")
    String experimentOption;

    @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|json",
            description = "output format (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--metrics", description = "also export every metric series in full")
    boolean metrics;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "output file (default: standard output; required for CSV with --metrics)")
    Path output;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    /** The files being written ({@link #writer}): each temporary file and its target. */
    private final List<Path[]> partial = new ArrayList<>();

    /**
     * Writes the export.
     *
     * @return 0
     * @throws IOException if the output cannot be written
     * @throws IllegalArgumentException for an unknown format or experiment, or an output path that
     *     is a directory, whose directory does not exist, or that is one of the store's own files or
     *     under its artifacts (checked before anything is written)
     */
    @Override
    public Integer call() throws IOException {
        experiment = experiment(experiment, experimentOption);
        if (output != null) {
            requireWritable(output);
            if (format.equals("csv") && metrics) {
                requireWritable(output.resolveSibling(output.getFileName() + ".metrics.csv"));
            }
            // -o assay-runs/<TAB> completed to assay.mv.db: the export overwrote the store it read, every run lost
            for (Path file : format.equals("csv") && metrics
                    ? List.of(output, output.resolveSibling(output.getFileName() + ".metrics.csv")) : List.of(output)) {
                if (store.holds(file)) {
                    throw new IllegalArgumentException("--output " + file + " is part of the store being exported (its"
                            + " database or artifacts); write the export elsewhere");
                }
            }
        }
        if (!format.equals("csv") && !format.equals("json")) {
            throw new IllegalArgumentException("unknown format '" + format + "'; formats: csv, json");
        }
        if (format.equals("csv") && metrics && output == null) {
            throw new IllegalArgumentException("CSV with --metrics writes two files: give --output FILE");
        }
        try (TrackingStore db = TrackingStore.open(store.existingUrl())) {
            // runs and series from one snapshot: a running run's summary and series were read at
            // different moments, and disagreed
            Snapshot snapshot = db.readConsistently(() -> {
                List<RunRecord> runs = db.runs(experiment);
                Map<String, Map<String, List<MetricPoint>>> series = new LinkedHashMap<>();
                if (metrics) {
                    for (RunRecord r : runs) {
                        Map<String, List<MetricPoint>> byKey = new LinkedHashMap<>();
                        for (String key : db.metricKeys(r.runId())) {
                            byKey.put(key, db.metric(r.runId(), key));
                        }
                        series.put(r.runId(), byKey);
                    }
                }
                return new Snapshot(runs, series);
            });
            if (snapshot.runs().isEmpty()) {
                throw new IllegalArgumentException(Tables.noRunsOf(experiment, db, store.readingUrl()));
            }
            try {
                if (format.equals("json")) {
                    writeJson(snapshot);
                } else {
                    writeCsv(snapshot);
                }
                publish();
            } catch (IOException e) {
                // it wrote into the target: a full disk or a stop signal left a shorter file that read as whole
                throw new IOException("could not write the export" + (output == null ? "" : " to " + output + " ("
                        + e.getMessage() + "); " + output + " is left as it was"), e);
            } finally {
                for (Path[] file : partial) {
                    try {
                        if (Files.isRegularFile(file[0], java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            Files.delete(file[0]); // an unfinished export's file, never the target
                        }
                    } catch (IOException e) {
                        spec.commandLine().getErr().println("warning: could not remove " + file[0] + ": " + e.getMessage());
                    }
                }
            }
            if (output != null) { // it printed nothing on success
                spec.commandLine().getErr().println("Wrote " + snapshot.runs().size() + " run(s) of '" + experiment
                        + "' to " + output + (format.equals("csv") && metrics ? " and their series to "
                                + output.resolveSibling(output.getFileName() + ".metrics.csv") : ""));
            }
        }
        return 0;
    }

    /**
     * The experiment named as the argument or with {@code -e} ({@code assay runs -e NAME} takes it
     * so, and {@code export -e NAME} was "Unknown option").
     *
     * @throws IllegalArgumentException if neither names one, or both name different ones
     */
    static String experiment(String argument, String option) {
        if (argument != null && option != null && !argument.equals(option)) {
            throw new IllegalArgumentException("the experiment is named twice: '" + argument + "' and -e '" + option
                    + "'; give one");
        }
        if (argument == null && option == null) {
            throw new IllegalArgumentException("which experiment? assay export NAME (or -e NAME); assay runs lists"
                    + " the experiments");
        }
        return argument != null ? argument : option;
    }

    /** The runs of the experiment and, with {@code --metrics}, each run's series by metric name. */
    private record Snapshot(List<RunRecord> runs, Map<String, Map<String, List<MetricPoint>>> series) {}

    private void writeJson(Snapshot snapshot) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> newest = newestPerTrial(snapshot.runs());
        for (RunRecord r : snapshot.runs()) {
            Map<String, Object> row = new LinkedHashMap<>(head(r, newest));
            row.put("params", r.params());
            row.put("tags", r.tags());
            // engine and its version, DJL, git commit, CPU: only assay show gave them (a new-user check)
            row.put("provenance", provenanceTree(r.provenanceJson()));
            Map<String, Object> summaries = new LinkedHashMap<>();
            r.metrics().forEach((k, s) -> summaries.put(k, summary(s)));
            row.put("metrics", summaries);
            if (metrics) {
                row.put("series", snapshot.series().get(r.runId()));
            }
            out.add(row);
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .addMixIn(MetricPoint.class, PointNames.class);
        try (Writer w = writer(output)) {
            json.writeValue(w, out);
        }
    }

    private void writeCsv(Snapshot snapshot) throws IOException {
        List<RunRecord> runs = snapshot.runs();
        Set<String> params = new LinkedHashSet<>();
        Set<String> tags = new LinkedHashSet<>();
        Set<String> metricKeys = new LinkedHashSet<>();
        Map<String, Map<String, Object>> provenance = new LinkedHashMap<>();
        Set<String> provenanceKeys = new LinkedHashSet<>();
        runs.forEach(r -> {
            params.addAll(r.params().keySet());
            tags.addAll(r.tags().keySet());
            metricKeys.addAll(r.metrics().keySet());
            provenance.put(r.runId(), flatProvenance(r.provenanceJson()));
            provenanceKeys.addAll(provenance.get(r.runId()).keySet());
        });
        Set<String> newest = newestPerTrial(runs);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunRecord r : runs) {
            Map<String, Object> row = new LinkedHashMap<>(head(r, newest));
            params.forEach(p -> row.put("params." + p, r.params().get(p)));
            // tags too: an early-stopped run is "completed" with an early_stopped_epoch tag, and the
            // data's fingerprint and a continuation are tags
            tags.forEach(t -> row.put("tags." + t, r.tags().get(t)));
            provenanceKeys.forEach(k -> row.put("provenance." + k, provenance.get(r.runId()).get(k)));
            // every field of the JSON export's summary (the CSV had last, min and max only)
            for (String m : metricKeys) {
                MetricSummary s = r.metrics().get(m);
                Map<String, Object> summary = s == null ? Map.of() : summary(s);
                SUMMARY_FIELDS.forEach(f -> row.put("metrics." + m + "." + f, summary.get(f)));
            }
            rows.add(row);
        }
        write(List.copyOf(rows.get(0).keySet()), output, out -> out.writeAll(rows));
        if (metrics) {
            // a row at a time from the series read: a map per point took ~700 bytes of heap each
            // (4,000,000 points ran out of a 1 GB heap; the JSON export of them needed 0.8 GB)
            List<Object> row = java.util.Arrays.asList(new Object[SERIES_COLUMNS.size()]);
            write(SERIES_COLUMNS, output.resolveSibling(output.getFileName() + ".metrics.csv"), out -> {
                for (RunRecord r : runs) {
                    for (Map.Entry<String, List<MetricPoint>> e : snapshot.series().get(r.runId()).entrySet()) {
                        for (MetricPoint p : e.getValue()) {
                            row.set(0, r.runId());
                            row.set(1, e.getKey());
                            row.set(2, p.step());
                            row.set(3, p.epoch());
                            row.set(4, p.value());
                            row.set(5, p.wallTimeMillis());
                            out.write(row);
                        }
                    }
                }
            });
        }
    }

    private static final ObjectMapper PROVENANCE = new ObjectMapper();

    /** A run's provenance as a JSON tree, or null when it has none or it does not parse. */
    private static com.fasterxml.jackson.databind.JsonNode provenanceTree(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return PROVENANCE.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /**
     * A run's provenance flattened for CSV columns: {@code engine}, {@code engineVersion}, nested
     * objects' fields joined with dots ({@code engineSettings.OMP_NUM_THREADS}), a list as its JSON
     * text; empty when the run has no provenance.
     */
    static Map<String, Object> flatProvenance(String json) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", provenanceTree(json), out);
        return out;
    }

    private static void flatten(String prefix, com.fasterxml.jackson.databind.JsonNode node, Map<String, Object> out) {
        if (node == null || node.isNull()) {
            if (!prefix.isEmpty()) {
                out.put(prefix, null);
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), out));
        } else if (node.isArray()) {
            out.put(prefix, node.toString());
        } else if (node.isNumber()) {
            out.put(prefix, node.numberValue());
        } else if (node.isBoolean()) {
            out.put(prefix, node.booleanValue());
        } else {
            out.put(prefix, node.asText());
        }
    }

    /** The fields of a metric's summary, in the order both formats write them. */
    private static final List<String> SUMMARY_FIELDS = List.of("last", "last_step", "min", "min_step", "max",
            "max_step", "count", "non_finite_count");

    /** The columns of the long-format series file, {@code <output>.metrics.csv}. */
    static final List<String> SERIES_COLUMNS = List.of("run_id", "metric", "step", "epoch", "value", "wall_time_ms");

    /** Writes the rows of one CSV file, given as maps by column or as lists in column order. */
    private interface Rows {
        void writeTo(com.fasterxml.jackson.databind.SequenceWriter out) throws IOException;
    }

    /** Writes the header, then the rows: a file without rows (no run logged a point) has the header. */
    private void write(List<String> columns, Path file, Rows rows) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false);
        columns.forEach(schema::addColumn);
        try (Writer w = writer(file)) {
            // Jackson quotes any value over 24 characters unless told to check: headers and values are
            // quoted only where RFC 4180 needs it (a comma, quote or line break)
            CsvMapper mapper = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
            try (com.fasterxml.jackson.databind.SequenceWriter out = mapper.writer(schema.build()).writeValues(w)) {
                // the header as a row of its own: Jackson writes its header with the first row only
                out.write(columns);
                rows.writeTo(out);
            }
        }
    }

    /** Refuses a path that cannot be a file to write (a bare NoSuchFileException, exit 1, before). */
    private static void requireWritable(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--output " + file + " is a directory; give a file name");
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--output " + file + ": the directory " + parent + " does not exist");
        }
        if (parent != null && !Files.isWritable(parent) || Files.exists(file) && !Files.isWritable(file)) {
            throw new IllegalArgumentException("--output " + file + ": not writable");
        }
    }

    private Writer writer(Path file) throws IOException {
        if (file == null) {
            return new java.io.FilterWriter(spec.commandLine().getOut()) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        // written beside the target and renamed onto it once every file is complete (publish): an export
        // stopped by a signal or a full disk left a shorter file ending on a whole row, over the good one
        Path temporary = file.resolveSibling("." + file.getFileName() + ".partial");
        temporary.toFile().deleteOnExit(); // a stop signal: the JVM's shutdown removes it
        partial.add(new Path[] {temporary, file});
        return Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
    }

    /** Renames each complete temporary file onto its target, replacing it at once. */
    private void publish() throws IOException {
        for (Path[] file : partial) {
            try {
                Files.move(file[0], file[1], java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(file[0], file[1], java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        partial.clear();
    }

    /**
     * The JSON names of a series point: the CSV's {@code wall_time_ms}, not the record's {@code
     * wallTimeMillis}, the one camel-case name in an otherwise snake-case export.
     */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"step", "epoch", "value", "wall_time_ms"})
    private abstract static class PointNames {
        @com.fasterxml.jackson.annotation.JsonProperty("wall_time_ms")
        abstract long wallTimeMillis();
    }

    /** The ids of the runs that count for their trial ({@link RunRecord#countedPerTrial}). */
    private static Set<String> newestPerTrial(List<RunRecord> runs) {
        Set<String> ids = new java.util.HashSet<>();
        RunRecord.countedPerTrial(runs).forEach(r -> ids.add(r.runId()));
        return ids;
    }

    /**
     * The columns every run has. {@code superseded} is true for a run of a trial that was run again
     * ({@code --rerun}, a retry) and is not the run it counts by (its newest completed, diverged or
     * pruned run, else its newest run): {@code assay runs --group}, {@code
     * compare --group} and the web UI's groups leave those out, and an analysis of the export should
     * too.
     */
    private static Map<String, Object> head(RunRecord r, Set<String> newest) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run_id", r.runId());
        row.put("run_name", r.runName());
        row.put("trial_index", r.trialIndex());
        row.put("trial_key", r.trialKey());
        row.put("seed", r.seed());
        row.put("status", r.status().label());
        row.put("superseded", !newest.contains(r.runId()));
        row.put("start_time", Tables.instant(r.startTimeMillis()));
        row.put("end_time", r.endTimeMillis() == null ? null : Tables.instant(r.endTimeMillis()));
        row.put("duration_s", r.durationMillis() == null ? null : r.durationMillis() / 1000.0);
        row.put("error", r.errorMessage());
        return row;
    }

    /** A metric's summary by {@link #SUMMARY_FIELDS} (steps -1 where the series has no such value). */
    private static Map<String, Object> summary(MetricSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last", s.last());
        m.put("last_step", s.lastStep());
        m.put("min", s.min());
        m.put("min_step", s.minStep());
        m.put("max", s.max());
        m.put("max_step", s.maxStep());
        m.put("count", s.count());
        m.put("non_finite_count", s.nonFiniteCount());
        return m;
    }
}
