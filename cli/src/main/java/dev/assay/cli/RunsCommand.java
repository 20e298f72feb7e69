package dev.assay.cli;

import dev.assay.spec.EarlyStoppingSpec;
import dev.assay.track.ExperimentRecord;
import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code assay runs}: a table of runs per experiment, showing the params that vary and final metrics. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List runs: the params that vary between them and their final metrics.")
public final class RunsCommand implements Callable<Integer> {

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "only this experiment (default: every experiment)")
    String experiment;

    @Option(names = "--sort", paramLabel = "METRIC",
            description = "sort by a metric's last value (losses, penalties and durations ascending, others "
                    + "descending; see --ascending/--descending), or by a parameter such as training.epochs"
                    + " (ascending)")
    String sort;

    @Option(names = "--ascending", description = "sort ascending")
    Boolean ascending;

    @Option(names = "--descending", description = "sort descending")
    Boolean descending;

    @Option(names = "--metrics", split = ",", paramLabel = "M1,M2",
            description = "metric columns (default: test_accuracy, val_accuracy, val_loss, train_loss and"
                    + " test_loss where present, then the task's other test_ metrics, each after its val_ twin,"
                    + " e.g. test_bleu, test_perplexity; for runs with none of these (a GAN), epoch_ means)")
    List<String> metrics;

    @Option(names = "--group", description = "group runs of one configuration (all params but"
            + " the seed) and show mean ± sample std (n-1) over seeds, with n")
    boolean group;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    /**
     * Prints the tables.
     *
     * @return 0, or 2 if the experiment does not exist
     */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (Boolean.TRUE.equals(ascending) && Boolean.TRUE.equals(descending)) {
            throw new IllegalArgumentException("--ascending and --descending contradict each other; give one.");
        }
        try (TrackingStore db = TrackingStore.open(store.existingUrl())) {
            List<ExperimentRecord> all = db.experiments();
            List<ExperimentRecord> chosen = experiment == null ? all
                    : all.stream().filter(e -> e.name().equals(experiment)).toList();
            if (experiment != null && chosen.isEmpty()) {
                throw new IllegalArgumentException(Tables.noRunsOf(experiment, db, store.readingUrl()));
            }
            if (all.isEmpty()) {
                out.println("No runs yet in " + store.readingUrl() + ". Start one with: assay run FILE");
            }
            Map<ExperimentRecord, List<RunRecord>> runsOf = new LinkedHashMap<>();
            chosen.forEach(e -> runsOf.put(e, db.runs(e.name())));
            boolean byParam = sort != null && sortsByParam(runsOf);
            requireKnown(runsOf, byParam);
            String sortMetric = byParam ? null : sort;
            if (sort != null && !byParam) {
                // a metric named as a param's column (a logged learning_rate): which one sorted was not said
                List<RunRecord> listed = runsOf.values().stream().flatMap(List::stream).toList();
                List<String> params = Tables.paramKeys(listed).stream().filter(k -> k.endsWith("." + sort)).sorted().toList();
                if (!params.isEmpty()) {
                    spec.commandLine().getErr().println("note: sorted by the metric " + sort + " (its last value,"
                            + " headed metrics." + sort + " where a param column reads " + sort + "); for the parameter, --sort "
                            + String.join(" or --sort ", params));
                }
            }
            for (ExperimentRecord e : chosen) {
                List<RunRecord> runs = runsOf.get(e);
                if (byParam) {
                    runs = Tables.sortByParam(runs, sort, !Boolean.TRUE.equals(descending));
                } else if (sort != null) {
                    runs = Tables.sort(runs, sort, order(sort));
                }
                out.printf("Experiment '%s': %d run(s), last activity %s%n", e.name(), e.runCount(),
                        Tables.instant(e.lastActivityMillis()));
                out.println(group ? GroupsTable.groups(runs, metrics, sort, sort != null && order(sort))
                        : Tables.runs(runs, Tables.shownMetrics(metrics, runs, sortMetric), true));
            }
        }
        return 0;
    }

    /**
     * Fails on a {@code --sort} or {@code --metrics} name that no listed run has (a typo), and on a
     * {@code --sort} parameter ({@code byParam}) with {@code --group}.
     */
    private void requireKnown(Map<ExperimentRecord, List<RunRecord>> runsOf, boolean byParam) {
        if (runsOf.isEmpty()) {
            return;
        }
        Set<String> known = Tables.metricKeys(runsOf.values().stream().flatMap(List::stream).toList());
        String where = runsOf.size() == 1 ? "the runs of experiment '" + runsOf.keySet().iterator().next().name()
                + "'" : "the runs listed";
        if (byParam) {
            if (group) {
                throw new IllegalArgumentException("--sort " + sort + " is a parameter; --group ranks groups by a"
                        + " metric's mean, so give a metric (groups are already one configuration each)");
            }
        } else if (sort != null && !group && !known.contains(sort)) {
            throw new IllegalArgumentException(unknownSort(runsOf.values().stream().flatMap(List::stream).toList(),
                    known, where));
        } else if (sort != null) {
            Tables.requireMetric(sort, known, where);
        }
        if (metrics != null) {
            metrics.forEach(m -> Tables.requireMetric(m, known, where));
        }
    }

    /**
     * The error for a {@code --sort} name that is neither a metric nor a parameter of the runs: it
     * said "no metric 'X'", though {@code --sort} takes parameters too. Suggests the closest of both
     * and lists the metrics and the parameters that vary between the runs.
     */
    private String unknownSort(List<RunRecord> runs, Set<String> metricKeys, String where) {
        Set<String> params = Tables.varyingParams(runs).keySet();
        Set<String> either = new java.util.TreeSet<>(metricKeys);
        either.addAll(Tables.paramKeys(runs));
        String close = dev.assay.plugin.Names.closest(sort, either);
        return "no metric or parameter '" + sort + "' in " + where + dev.assay.plugin.Names.suggestion(close, "")
                + (close == null ? "; metrics: " : " Metrics: ") + String.join(", ", metricKeys)
                + (params.isEmpty() ? "" : "; parameters that vary: " + String.join(", ", params));
    }

    /**
     * Whether {@code --sort} names a parameter the listed runs record rather than a metric (a
     * name that is both is a metric): sorted ascending unless {@code --descending}.
     */
    private boolean sortsByParam(Map<ExperimentRecord, List<RunRecord>> runsOf) {
        List<RunRecord> all = runsOf.values().stream().flatMap(List::stream).toList();
        return !Tables.metricKeys(all).contains(sort) && Tables.paramKeys(all).contains(sort);
    }

    private boolean order(String metric) {
        if (Boolean.TRUE.equals(ascending)) {
            return true;
        }
        if (Boolean.TRUE.equals(descending)) {
            return false;
        }
        return EarlyStoppingSpec.minimize(metric, "auto");
    }
}
