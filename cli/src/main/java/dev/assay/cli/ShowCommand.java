package dev.assay.cli;

import dev.assay.data.DataTags;
import dev.assay.track.ArtifactRecord;
import dev.assay.track.MetricPoint;
import dev.assay.track.MetricSummary;
import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code assay show RUN_ID}: one run's status, params, provenance, metric summaries and artifacts. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one run (id or a unique prefix of at least 4 characters).")
public final class ShowCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "run id or unique prefix")
    String runId;

    @Option(names = "--config", description = "print only the YAML that reproduces the run")
    boolean config;

    @Option(names = "--metric", paramLabel = "KEY",
            description = "print one metric series as CSV: step,epoch,value,wall_time_ms")
    String metric;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    /**
     * Prints the run.
     *
     * @return 0, or 2 if no run matches
     * @throws IOException if the stored provenance is not valid JSON
     */
    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingStore db = TrackingStore.open(store.existingUrl())) {
            RunRecord r = db.run(runId).orElseThrow(() ->
                    new IllegalArgumentException("no run with id or prefix '" + runId + "'"));
            if (config) {
                out.print(r.configYaml());
                out.flush();
                dataNote(r).ifPresent(note -> spec.commandLine().getErr().println(note));
                pluginNote(r).ifPresent(note -> spec.commandLine().getErr().println(note));
            } else if (metric != null) {
                Tables.requireMetric(metric, db.metricKeys(r.runId()), "run " + r.runId());
                printSeries(out, db.metric(r.runId(), metric));
            } else {
                printRun(out, r, r.trialKey() == null ? java.util.Optional.empty()
                        : RunRecord.supersededBy(db.trialRuns(r.experiment(), r.trialKey()), r),
                        store.artifactRoot().resolve(r.runId()));
            }
        }
        return 0;
    }

    /**
     * What the YAML does not hold but a rerun needs to read the same data: the run's data
     * directories and where its data came from, with its fingerprint (a saved config of a run
     * given {@code --data-dir} failed to find its corpus elsewhere). On standard error, so that
     * standard output stays the YAML alone.
     */
    static java.util.Optional<String> dataNote(RunRecord r) {
        Map<String, String> tags = r.tags();
        String dirs = tags.get("assay.data_dirs");
        String location = tags.get(DataTags.LOCATION);
        if ((dirs == null || dirs.equals("[]")) && location == null) {
            return java.util.Optional.empty();
        }
        StringBuilder note = new StringBuilder("# data: ");
        if (dirs != null && !dirs.equals("[]")) {
            note.append("ran with --data-dir ").append(dirs).append("; ");
        }
        if (location != null) {
            note.append("read ").append(tags.getOrDefault(DataTags.SOURCE, "?")).append(" data from ").append(location);
        }
        if (tags.containsKey(DataTags.FINGERPRINT)) {
            note.append(" (fingerprint ").append(tags.get(DataTags.FINGERPRINT)).append(")");
        }
        return java.util.Optional.of(note.toString());
    }

    /**
     * The plugin path the run was trained with, which the YAML cannot hold: a saved config of a run
     * of a plugin's architecture read back as "unknown architecture" without it. On standard error,
     * as {@link #dataNote}.
     */
    static java.util.Optional<String> pluginNote(RunRecord r) {
        String path = r.tags().get("assay.plugin_path");
        return path == null || path.equals("[]") ? java.util.Optional.empty()
                : java.util.Optional.of("# plugins: ran with --plugin-path " + path);
    }

    private static void printSeries(PrintWriter out, List<MetricPoint> points) {
        out.println("step,epoch,value,wall_time_ms");
        points.forEach(p -> out.println(p.step() + "," + p.epoch() + "," + p.value() + ","
                + p.wallTimeMillis()));
    }

    private static void printRun(PrintWriter out, RunRecord r, java.util.Optional<RunRecord> countedInstead,
            java.nio.file.Path artifactDir) throws IOException {
        Map<String, String> head = new LinkedHashMap<>();
        head.put("run", r.runId());
        head.put("experiment", r.experiment());
        head.put("name", r.runName());
        // as in `assay runs`: it said "completed" alone for a run its trial does not count by
        head.put("status", Tables.status(r) + countedInstead.map(c -> ", superseded: its trial counts by run "
                + c.runId().substring(0, 8) + " (" + Tables.status(c) + ") in groups and exports").orElse(""));
        head.put("trial", r.trialIndex() + " (key " + r.trialKey() + ", seed " + r.seed() + ")");
        head.put("started", Tables.instant(r.startTimeMillis()));
        head.put("ended", r.endTimeMillis() == null ? "-" : Tables.instant(r.endTimeMillis())
                + String.format(Locale.ROOT, " (%.1f s)", r.durationMillis() / 1000.0));
        if (r.errorMessage() != null) {
            head.put("error", r.errorMessage());
        }
        out.println(Tables.keyValues(head));
        // the exact values, but in the exponent form of tables and run names ("1e-5", not "1.0E-5")
        Map<String, String> params = new LinkedHashMap<>();
        r.params().forEach((k, v) -> params.put(k, dev.assay.sweep.ValueText.exact(v)));
        section(out, "Params", params);
        section(out, "Tags", r.tags());
        section(out, "Provenance", Tables.provenance(r.provenanceJson()));
        out.println("\nMetrics");
        List<String[]> rows = new ArrayList<>();
        for (MetricSummary s : r.metrics().values()) {
            rows.add(new String[] {s.key(), String.valueOf(s.count()), Tables.number(s.last()),
                extreme(s.min(), s.minStep()), extreme(s.max(), s.maxStep()),
                String.valueOf(s.nonFiniteCount())});
        }
        out.println(Tables.table(List.of("metric", "points", "last", "min @step", "max @step",
                "NaN/Inf"), rows));
        if (!r.artifacts().isEmpty()) {
            out.println("\nArtifacts (under " + artifactDir.toAbsolutePath().normalize() + ")");
            r.artifacts().forEach((ArtifactRecord a) -> out.println("  " + a.path() + "  "
                    + String.format(Locale.ROOT, "%,d", a.sizeBytes()) + " bytes"
                    + artifactState(artifactDir, a)));
        }
    }

    /**
     * What became of a listed artifact file since the run recorded it: nothing to say (it is there,
     * its size as recorded), or a note that it is missing or now of another size. The store lists
     * the files as the run's end found them; a file deleted or moved later was still listed as if
     * it were there.
     */
    static String artifactState(java.nio.file.Path artifactDir, ArtifactRecord a) {
        java.nio.file.Path file = artifactDir.resolve(a.path());
        if (!java.nio.file.Files.isRegularFile(file)) {
            return "  (missing: deleted or moved since the run recorded it)";
        }
        try {
            long size = java.nio.file.Files.size(file);
            return size == a.sizeBytes() ? "" : String.format(Locale.ROOT,
                    "  (now %,d bytes: changed since the run recorded it)", size);
        } catch (IOException e) {
            return "  (cannot be read: " + e.getMessage() + ")";
        }
    }

    /** A series' min or max and its step; "-" for a series with no finite value (its step is -1). */
    private static String extreme(double value, long step) {
        return step < 0 ? "-" : Tables.number(value) + " @" + step;
    }

    private static void section(PrintWriter out, String title, Map<String, String> rows) {
        if (!rows.isEmpty()) {
            out.println("\n" + title);
            out.println(Tables.keyValues(rows));
        }
    }
}
