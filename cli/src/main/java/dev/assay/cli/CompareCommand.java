package dev.assay.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.assay.track.MetricSummary;
import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import java.io.PrintWriter;
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
 * {@code assay compare RUN RUN...}: runs side by side, one column each: the params that differ
 * between them (or all with {@code --all}), the provenance fields that differ ({@code
 * provenance.engineVersion}, {@code provenance.gitCommit}, {@code provenance.assayBuild}, ...; all
 * with {@code --all}), then every metric's last value, after the status and experiment. {@code --group} instead compares configurations, with mean ± std over their seeds,
 * like {@code assay runs --group}.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare runs side by side: the params and provenance that differ, and their metrics.")
public final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN_ID", description = "run ids or unique prefixes")
    List<String> runIds;

    @Option(names = "--all", description = "show every param and provenance field, not only those that differ")
    boolean all;

    @Option(names = "--group", description = "group runs of one configuration (all params but"
            + " the seed): mean ± sample std (n-1) over seeds, with n")
    boolean group;

    @Option(names = "--metrics", split = ",", paramLabel = "M1,M2",
            description = "metrics to show, in this order (default: every metric side by side; the usual"
                    + " summary metrics with --group)")
    List<String> metrics;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    /**
     * Prints the comparison.
     *
     * @return 0, or 2 if a run id matches nothing, fewer than two are given or two name the same run
     */
    @Override
    public Integer call() {
        if (runIds.size() < 2) { // as the web UI's compare page: one run is no comparison
            throw new IllegalArgumentException("compare needs two or more runs (ids or unique prefixes), got one: '"
                    + runIds.get(0) + "'; assay show " + runIds.get(0) + " shows it alone");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<RunRecord> runs = new ArrayList<>();
        try (TrackingStore db = TrackingStore.open(store.existingUrl())) {
            java.util.Map<String, String> given = new java.util.HashMap<>();
            for (String id : runIds) {
                RunRecord run = db.run(id).orElseThrow(() ->
                        new IllegalArgumentException("no run with id or prefix '" + id + "'"));
                String before = given.putIfAbsent(run.runId(), id);
                if (before != null) {
                    throw new IllegalArgumentException("'" + before + "' and '" + id + "' name the same run, "
                            + run.runId() + "; compare needs different runs");
                }
                runs.add(run);
            }
        }
        if (metrics != null) { // a misspelled metric showed a column of dashes, exit 0, where runs --metrics refuses it
            java.util.Set<String> known = Tables.metricKeys(runs);
            metrics.forEach(m -> Tables.requireMetric(m, known, "the runs compared"));
        }
        out.println(group ? GroupsTable.groups(runs, metrics) : sideBySide(runs));
        return 0;
    }

    private String sideBySide(List<RunRecord> runs) {
        List<String> header = new ArrayList<>(List.of(""));
        runs.forEach(r -> header.add(r.runId().substring(0, 8)));
        List<String[]> rows = new ArrayList<>();
        rows.add(row("status", runs, r -> r.status().label()));
        rows.add(row("experiment", runs, RunRecord::experiment));
        Set<String> params = new LinkedHashSet<>();
        runs.forEach(r -> params.addAll(r.params().keySet()));
        for (String p : params) {
            if (all || runs.stream().map(r -> r.params().getOrDefault(p, "-")).distinct().count() > 1) {
                rows.add(row(p, runs, r -> Tables.param(r.params().getOrDefault(p, "-"))));
            }
        }
        // where the runs ran: a different engine version, commit, Assay build or CPU explains a
        // difference the params do not
        List<Map<String, String>> provenance = runs.stream().map(CompareCommand::provenance).toList();
        Set<String> fields = new LinkedHashSet<>();
        provenance.forEach(p -> fields.addAll(p.keySet()));
        for (String f : fields) {
            List<String> values = provenance.stream().map(p -> p.getOrDefault(f, "-")).toList();
            if (all || values.stream().distinct().count() > 1) {
                String[] row = new String[values.size() + 1];
                row[0] = "provenance." + f;
                for (int i = 0; i < values.size(); i++) {
                    row[i + 1] = values.get(i);
                }
                rows.add(row);
            }
        }
        // --metrics chooses the rows here too: it was checked, then ignored without --group
        Set<String> keys = new LinkedHashSet<>();
        if (metrics != null) {
            keys.addAll(metrics);
        } else {
            runs.forEach(r -> keys.addAll(r.metrics().keySet()));
        }
        for (String k : keys) {
            rows.add(row(k, runs, r -> {
                MetricSummary s = r.metrics().get(k);
                return s == null ? "-" : Tables.number(s.last());
            }));
        }
        return Tables.table(header, rows);
    }

    /**
     * A run's provenance as field → text ({@link Tables#provenance}, as {@code show} prints it);
     * empty when it has none or it cannot be read.
     */
    static Map<String, String> provenance(RunRecord run) {
        try {
            return Tables.provenance(run.provenanceJson());
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static String[] row(String name, List<RunRecord> runs,
            java.util.function.Function<RunRecord, String> cell) {
        String[] row = new String[runs.size() + 1];
        row[0] = name;
        for (int i = 0; i < runs.size(); i++) {
            row[i + 1] = cell.apply(runs.get(i));
        }
        return row;
    }
}
