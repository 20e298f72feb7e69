package dev.assay.cli;

import dev.assay.run.ConfigDocuments;
import dev.assay.spec.TrainingSpec;
import dev.assay.stats.Welch;
import dev.assay.track.MetricSummary;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * The groups table of {@code assay runs --group} and {@code assay compare --group}: runs grouped by
 * configuration over their seeds, mean ± standard deviation per metric, and with a sort metric
 * each group's Welch p-value against the first group of that order (the highest mean, or the lowest
 * when sorted ascending). Cell formatting is {@link Tables}'.
 */
final class GroupsTable {

    /** The groups table's column after the params: the number of runs in the group. */
    static final String GROUP_SIZE = "runs";

    /**
     * The groups table's column, with {@code --sort}, of each group's Welch p-value against the
     * first group on the sort metric ({@link #welchP}), named by what ranked it first: {@code p vs
     * highest (Welch)} sorted descending, {@code p vs lowest (Welch)} ascending. It was "p vs top"
     * in both orders, so with {@code --ascending} on an accuracy the worst group was called "top".
     *
     * @param ascending whether the groups are sorted by ascending mean
     * @return the column's header
     */
    static String welchColumn(boolean ascending) {
        return "p vs " + firstGroup(ascending) + " (Welch)";
    }

    /**
     * What the first group of a sorted groups table is, which its Welch cell says instead of a
     * p-value: {@code highest} (mean) sorted descending, {@code lowest} ascending.
     *
     * @param ascending whether the groups are sorted by ascending mean
     * @return {@code lowest} or {@code highest}
     */
    static String firstGroup(boolean ascending) {
        return ascending ? "lowest" : "highest";
    }

    /** How a group's cell counts the runs whose last value is NaN or ±Inf ({@link #meanStd}). */
    static final String NON_FINITE = "NaN/Inf";

    /**
     * How a group's cell counts the runs that ended (completed, pruned, diverged, failed or
     * interrupted) without logging the metric ({@link #meanStd}).
     */
    static final String MISSING = "missing";

    /**
     * How a group's cell counts the runs still running (status {@code running}, with or without a
     * heartbeat) that have not logged the metric yet ({@link #meanStd}): a sweep in progress
     * counted them under {@link #MISSING}, as if they had ended without it.
     */
    static final String STILL_RUNNING = RunStatus.RUNNING.label();

    private GroupsTable() {}

    /**
     * Runs grouped by configuration (every param but the seed and the variant's name, {@link
     * ConfigDocuments#LABEL_PARAMS}): the params that vary
     * between groups, the number of runs, and per metric the mean ± sample standard deviation of
     * the last values over the group's seeds, with the count n of finite values used. A trial run
     * more than once ({@code --rerun}: same configuration and seed) counts once, by its newest run;
     * a line under the table says how many older runs were left out.
     */
    static String groups(List<RunRecord> all, List<String> metrics) {
        return groups(all, metrics, null, false);
    }

    /**
     * The groups table, its groups ranked by the mean of a metric's finite last values (the value
     * the table shows), groups without one last; {@code sort} null orders them by their param
     * values, column by column ({@link #byValues}). Ranked by the order of their runs, the groups came in the order of their best
     * run: {@code runs --group --sort test_accuracy} put a group of mean 0.789 above one of 0.805.
     *
     * @param all the runs
     * @param metrics the metric columns, or null for the usual ones
     * @param sort the metric to rank the groups by, or null
     * @param ascending whether smaller means come first
     * @return the table
     */
    static String groups(List<RunRecord> all, List<String> metrics, String sort, boolean ascending) {
        List<RunRecord> runs = RunRecord.countedPerTrial(all);
        List<String> shownMetrics = Tables.shownMetrics(metrics, runs, sort); // ranked by a mean it did not show
        Map<Map<String, String>, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            Map<String, String> config = new java.util.TreeMap<>(r.params());
            config.keySet().removeAll(ConfigDocuments.LABEL_PARAMS);
            groups.computeIfAbsent(config, k -> new ArrayList<>()).add(r);
        }
        Map<String, String> varying = new LinkedHashMap<>(Tables.varyingParams(runs));
        varying.remove(TrainingSpec.SEED_PARAM);
        List<String> header = new ArrayList<>(varying.values());
        header.add(GROUP_SIZE);
        shownMetrics.forEach(m -> header.add(Tables.metricHeader(m, varying.values())));
        if (sort != null) {
            header.add(welchColumn(ascending));
        }
        List<String[]> rows = new ArrayList<>();
        List<Map.Entry<Map<String, String>, List<RunRecord>>> ordered = new ArrayList<>(groups.entrySet());
        // by the values of the columns, left to right, numbers in numeric order (as the web UI orders its groups);
        // by first run, a plan run again with a --sweep axis put 1.0E12 between 0.1 and 50.0
        ordered.sort(Comparator.comparing(Map.Entry::getKey, byValues(List.copyOf(varying.keySet()))));
        if (sort != null) {
            Comparator<Double> order = ascending ? Comparator.naturalOrder() : Comparator.reverseOrder();
            Map<List<RunRecord>, Double> means = new java.util.IdentityHashMap<>();
            ordered.forEach(g -> {
                DescriptiveStatistics stats = finite(g.getValue(), r -> Tables.value(r, sort));
                means.put(g.getValue(), stats.getN() == 0 ? null : stats.getMean());
            });
            ordered.sort(Comparator.comparing((Map.Entry<Map<String, String>, List<RunRecord>> g) ->
                    means.get(g.getValue()), Comparator.nullsLast(order)));
        }
        double[] first = ordered.isEmpty() || sort == null ? null
                : finite(ordered.get(0).getValue(), r -> Tables.value(r, sort)).getValues();
        ordered.forEach(g -> {
            Map<String, String> config = g.getKey();
            List<RunRecord> members = g.getValue();
            List<String> row = new ArrayList<>();
            varying.keySet().forEach(k -> row.add(k.equals(ConfigDocuments.VARIANT_PARAM) ? variants(members)
                    : Tables.param(config.getOrDefault(k, "-"))));
            row.add(members.size() + statusNote(members));
            shownMetrics.forEach(m -> row.add(meanStd(members, m)));
            if (sort != null) {
                // the first group says what ranked it first; without a finite value it ranks nothing ("-")
                row.add(g == ordered.get(0) && first.length > 0 ? firstGroup(ascending)
                        : welchP(first, finite(members, r -> Tables.value(r, sort)).getValues()));
            }
            rows.add(row.toArray(String[]::new));
        });
        return Tables.table(header, rows) + footnotes(all.size() - runs.size(), runs, shownMetrics)
                + (first != null && first.length == 1 && ordered.size() > 1 ? lonelyFirst(ordered.get(0).getValue()) : "")
                + sameTrialElsewhere(runs);
    }

    /**
     * The line under a groups table whose runs include one trial (configuration and seed) recorded in
     * several experiments (the same file run under two names): each counts as a sample of its group,
     * as the runs can differ (other data, machine or engine), but where nothing differed they are one
     * sample counted twice, and the std shrinks (a new-user check saw n=2 and std 0.0000).
     */
    private static String sameTrialElsewhere(List<RunRecord> runs) {
        Map<String, java.util.Set<String>> experiments = new LinkedHashMap<>();
        runs.stream().filter(r -> r.trialKey() != null)
                .forEach(r -> experiments.computeIfAbsent(r.trialKey(), k -> new java.util.TreeSet<>()).add(r.experiment()));
        long shared = experiments.values().stream().filter(e -> e.size() > 1).count();
        return shared == 0 ? "" : "\n" + shared + " trial(s) (configuration and seed) were run in more than one experiment and"
                + " count once per experiment: where data, machine and engine were the same, those runs repeat one"
                + " result, and n and the std overstate the evidence.";
    }

    /**
     * The line under a ranked groups table whose first group's mean is one run's value: no group
     * can be compared with it (every p-value "-"), and where its other runs were pruned or did not
     * complete it ranks first by its lone survivor (a new-user check: a pruner's survivor topped a
     * table of 3-seed groups).
     */
    private static String lonelyFirst(List<RunRecord> members) {
        long notCompleted = members.stream().filter(r -> r.status() != RunStatus.COMPLETED).count();
        return "\nThe first group's mean is one run's value, so no other group is compared with it (p \"-\")"
                + (notCompleted == 0 ? "; run more seeds of it (sweep.repeat) to compare."
                        : ": its other " + notCompleted + " run(s) did not complete (pruned, failed, diverged or"
                        + " stopped), so it ranks first by its one survivor.");
    }

    /**
     * The lines under a groups table: how many older runs of trials run again were left out, why
     * runs that did not complete are not in the means, and what a cell's counts mean when a cell
     * has any ({@link #meanStd}); each line starts with a line break, "" when none applies.
     */
    private static String footnotes(int older, List<RunRecord> runs, List<String> metrics) {
        boolean unfinished = runs.stream().anyMatch(r -> r.status() != RunStatus.COMPLETED);
        return (older == 0 ? "" : "\n" + older + " other run(s) of trials run again"
                + " (same configuration and seed) left out: each trial counts once, by its newest completed,"
                + " diverged or pruned run (else its newest run).")
                + (unfinished ? "\nRuns that did not complete are counted under runs but left out of the means:"
                        + " their last values are from the epoch they stopped at (pruned, interrupted, failed,"
                        + " diverged) or have reached (running), not comparable with completed runs' values." : "")
                + countsNote(runs, metrics);
    }

    /**
     * The line under a groups table that says what a cell's counts mean, "" when no cell has any:
     * {@link #STILL_RUNNING} explained only where a cell counts it.
     */
    private static String countsNote(List<RunRecord> runs, List<String> metrics) {
        boolean counted = metrics.stream().anyMatch(m -> runs.stream().anyMatch(r -> last(r, m) == null
                || !Double.isFinite(last(r, m))));
        boolean running = metrics.stream().anyMatch(m -> runs.stream().anyMatch(r -> stillRunning(r, m)));
        return !counted ? "" : "\nn counts the completed runs' finite values; " + NON_FINITE + ", the completed or"
                + " diverged runs whose last value is NaN or ±Inf; " + MISSING + ", the runs that "
                + (running ? "ended without logging the metric; " + STILL_RUNNING + ", the runs still running that"
                        + " have not logged it yet." : "never logged the metric.");
    }

    /**
     * The two-sided p-value of Welch's t-test that a group's mean equals the first group's ({@link
     * Welch}), as {@link Welch#format} writes it; "-" where either group has fewer than 2 finite
     * values or both have no spread. Not corrected for comparing several groups with the first one.
     */
    static String welchP(double[] first, double[] group) {
        if (first == null) {
            return "-";
        }
        OptionalDouble p = Welch.pValue(first, group);
        return p.isPresent() ? Welch.format(p.getAsDouble()) : "-";
    }

    /**
     * Orders configurations by their values of the given params in turn: two numbers numerically,
     * otherwise as text, a missing value last.
     */
    static Comparator<Map<String, String>> byValues(List<String> keys) {
        return (a, b) -> {
            for (String k : keys) {
                int c = compareValues(a.get(k), b.get(k));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    private static int compareValues(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        Double x = number(a);
        Double y = number(b);
        return x != null && y != null ? Double.compare(x, y) : a.compareTo(b);
    }

    private static Double number(String s) {
        try {
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A group's variant names, a label rather than part of its configuration: the distinct names
     * its runs carry, in run order, joined by "/"; "-" if none has one.
     */
    private static String variants(List<RunRecord> members) {
        String names = members.stream().map(r -> r.params().get(ConfigDocuments.VARIANT_PARAM))
                .filter(java.util.Objects::nonNull).distinct().collect(java.util.stream.Collectors.joining("/"));
        return names.isEmpty() ? "-" : Tables.param(names);
    }

    /**
     * The statistics of the completed runs' finite values of one column (absent values left out):
     * a pruned, interrupted, failed, diverged or running run's last value is from the epoch it
     * stopped at or has reached (a group's mean val_loss mixed epoch-1 values of pruned and
     * interrupted runs with the epoch-3 values of finished ones).
     */
    private static DescriptiveStatistics finite(List<RunRecord> runs, java.util.function.Function<RunRecord, Double> value) {
        DescriptiveStatistics stats = new DescriptiveStatistics();
        runs.stream().filter(r -> r.status() == RunStatus.COMPLETED).map(value)
                .filter(v -> v != null && Double.isFinite(v)).forEach(stats::addValue);
        return stats;
    }

    /**
     * How many of a group's runs did not complete, by status, e.g. " (1 pruned, 2 diverged)"; ""
     * when all completed (a group of diverged runs showed "-" in every column and no reason).
     */
    static String statusNote(List<RunRecord> members) {
        Map<RunStatus, Long> counts = new java.util.EnumMap<>(RunStatus.class);
        members.stream().filter(r -> r.status() != RunStatus.COMPLETED)
                .forEach(r -> counts.merge(r.status(), 1L, Long::sum));
        if (counts.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((status, n) -> parts.add(n + " " + status.label()));
        return " (" + String.join(", ", parts) + ")";
    }

    /**
     * A group's cell for one metric: the mean ± sample standard deviation of its completed runs'
     * finite last values and their count n, then, where there are any, how many completed or
     * diverged runs have NaN or ±Inf as their last value, how many runs that ended never logged the
     * metric and how many still running have not logged it yet: {@code 0.8200 ± 0.0283 (n=2, 1
     * NaN/Inf, 2 missing, 1 running)}, or {@code - (2 missing)} without a finite value. A diverged
     * group showed a bare "-", its NaN values and its runs that stopped before the metric was logged
     * told apart nowhere; a sweep in progress counted its running runs' test metrics, not logged
     * yet, as missing.
     */
    static String meanStd(List<RunRecord> runs, String metric) {
        DescriptiveStatistics stats = finite(runs, r -> last(r, metric));
        List<String> counts = new ArrayList<>();
        long nonFinite = runs.stream().filter(r -> r.status() == RunStatus.COMPLETED
                || r.status() == RunStatus.DIVERGED).map(r -> last(r, metric)).filter(v -> v != null && !Double.isFinite(v))
                .count();
        long running = runs.stream().filter(r -> stillRunning(r, metric)).count();
        long missing = runs.stream().filter(r -> last(r, metric) == null).count() - running;
        if (nonFinite > 0) {
            counts.add(nonFinite + " " + NON_FINITE);
        }
        if (missing > 0) {
            counts.add(missing + " " + MISSING);
        }
        if (running > 0) {
            counts.add(running + " " + STILL_RUNNING);
        }
        if (stats.getN() == 0) {
            return counts.isEmpty() ? "-" : "- (" + String.join(", ", counts) + ")";
        }
        counts.add(0, "n=" + stats.getN());
        String std = stats.getN() > 1 ? Tables.number(stats.getStandardDeviation()) : "-";
        return Tables.number(stats.getMean()) + " ± " + std + " (" + String.join(", ", counts) + ")";
    }

    /** Whether a run is still running and has not logged the metric yet ({@link #STILL_RUNNING}). */
    private static boolean stillRunning(RunRecord r, String metric) {
        return r.status() == RunStatus.RUNNING && last(r, metric) == null;
    }

    private static Double last(RunRecord r, String metric) {
        MetricSummary s = r.metrics().get(metric);
        return s == null ? null : s.last();
    }
}
