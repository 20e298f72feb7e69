package dev.assay.web.query;

import dev.assay.track.MetricSummary;
import java.util.List;
import java.util.Map;

/** The result records of {@link StoreQueries}. All times are milliseconds since the epoch (UTC). */
public final class Rows {

    private Rows() {}

    /**
     * An experiment with its run counts.
     *
     * @param name the unique name
     * @param description free text, or null
     * @param createdMillis when it was created, milliseconds since the epoch (UTC)
     * @param runCount how many runs it holds
     * @param runningCount how many of them are running, with a heartbeat in the last 60 s
     * @param lastActivityMillis the latest update of any run (ms since the epoch), or {@code
     *     createdMillis} without runs
     * @param staleCount how many say {@code running} but have had no heartbeat for 60 s (their
     *     process has most likely stopped; see {@link Run#stale()})
     */
    public record Experiment(String name, String description, long createdMillis, long runCount,
            long runningCount, long lastActivityMillis, long staleCount) {}

    /**
     * One row of the runs table.
     *
     * @param runId the 32-character id
     * @param runName the display name, or null
     * @param trialIndex the 0-based trial index
     * @param trialKey the configuration key shared by repeats, or null
     * @param seed the random seed
     * @param status the status label, e.g. {@code completed}
     * @param startTimeMillis when the run started, milliseconds since the epoch (UTC)
     * @param endTimeMillis when it ended (ms since the epoch), or null while running
     * @param durationMillis how long it trained, in milliseconds (end − start − time spent stopped
     *     before a continuation), or null while running
     * @param updatedMillis when it was last written to (its heartbeat while running), ms since the epoch
     * @param errorMessage why it failed, or null
     * @param counted whether its trial counts by this run in the groups, the scatter and the parallel
     *     coordinates: false for a run superseded by another run of the same trial (the trial's newest
     *     completed, diverged or pruned run counts, else its newest run; {@code RunRecord.countedPerTrial})
     * @param params params by key, in key order
     * @param metrics metric summaries by key, in key order
     */
    public record Run(String runId, String runName, int trialIndex, String trialKey, long seed, String status,
            long startTimeMillis, Long endTimeMillis, Long durationMillis, long updatedMillis, String errorMessage,
            boolean counted, Map<String, String> params, Map<String, MetricSummary> metrics) {

        /**
         * Whether the run says {@code running} but has sent no heartbeat for {@link
         * dev.assay.run.SweepRunner#STALE_AFTER} (60 s): its process has most likely stopped (the next
         * {@code assay run} of the experiment marks it interrupted). Written to JSON as {@code stale}.
         *
         * @return true for a running run without a recent heartbeat
         */
        @com.fasterxml.jackson.annotation.JsonProperty("stale")
        public boolean stale() {
            return dev.assay.track.RunRecord.stale(dev.assay.track.RunStatus.fromLabel(status), updatedMillis,
                    dev.assay.run.SweepRunner.STALE_AFTER);
        }
    }

    /**
     * One page of runs.
     *
     * @param experiment the experiment name
     * @param total how many runs match the filter
     * @param offset the index of the first run of the page among the matches
     * @param limit the page size asked for
     * @param runs the page
     */
    public record RunsPage(String experiment, long total, int offset, int limit, List<Run> runs) {}

    /**
     * A param column of an experiment.
     *
     * @param key the param key
     * @param distinctValues how many different values it takes
     * @param runCount how many runs have it
     * @param varying whether it differs between runs (several values, or missing in some runs)
     */
    public record ParamColumn(String key, long distinctValues, long runCount, boolean varying) {}

    /**
     * The columns of an experiment's runs table.
     *
     * @param experiment the experiment name
     * @param runCount how many runs it holds
     * @param params every param key, in key order
     * @param metrics every metric key, in key order
     * @param defaultMetrics the metrics shown until the reader chooses, in display order: the
     *     CLI's rule ({@link dev.assay.track.DefaultMetrics#of})
     * @param higherIsBetter the metrics, among {@code metrics}, whose higher values are better
     *     (accuracy, BLEU, {@code samples_per_s}) by the rule {@code mode: auto} reads names with
     *     ({@link dev.assay.spec.MetricDirection#of}); a header's first click sorts them highest
     *     first. Neither a loss-like metric nor one whose name tells no direction (a logged setting
     *     such as {@code learning_rate}, a GAN's {@code d_real}) is listed: their first click sorts
     *     lowest first
     */
    public record Columns(String experiment, long runCount, List<ParamColumn> params, List<String> metrics,
            List<String> defaultMetrics, List<String> higherIsBetter) {}

    /**
     * Runs sharing one value of the group-by field, and a metric's last values over them.
     *
     * @param value the field's value as text (null for runs that lack it)
     * @param runs how many runs share it
     * @param finiteCount how many of the completed runs have a finite last value
     * @param nonFiniteCount how many completed or diverged runs have NaN or ±Infinity as their last value
     * @param missingCount how many of the runs that ended, whatever status they ended with, never
     *     logged the metric (no value at all: e.g. a diverged run stopped before its {@code
     *     test_accuracy}); counted apart from {@code nonFiniteCount}, which counts only values that are
     *     NaN or ±Infinity, and from {@code runningCount}
     * @param runningCount how many of the runs still running (status {@code running}, with or without
     *     a heartbeat) have not logged the metric yet: a sweep in progress counted them under {@code
     *     missingCount}, as if they had ended without it; a running run with a value is counted in
     *     neither (only under {@code statuses})
     * @param mean the mean of the finite last values, or NaN if there are none
     * @param std the sample standard deviation of the finite last values, or NaN with fewer than two
     * @param min the smallest finite last value, or NaN
     * @param max the largest finite last value, or NaN
     * @param statuses how many of the runs did not complete, by status label ({@code pruned},
     *     {@code diverged}, {@code failed}, {@code interrupted}, {@code running}), only those with
     *     runs; these runs are counted in {@code runs} but left out of the statistics above, their
     *     last value being from the epoch they stopped at or have reached (a diverged run's NaN or
     *     ±Inf is counted in {@code nonFiniteCount}, a run without a value in {@code missingCount} or,
     *     still running, in {@code runningCount})
     * @param best whether this group has the best mean of the metric (the highest, the lowest for
     *     a loss-like name as {@code mode: auto} reads it, {@link
     *     dev.assay.spec.EarlyStoppingSpec#minimize(String, String)}); one group at most
     * @param pVsBest the two-sided p-value of Welch's t-test that this group's mean equals the
     *     best group's ({@link dev.assay.stats.Welch}), or null for the best group itself and where
     *     the test is undefined (fewer than two finite values in either group, no spread in both)
     */
    public record Group(String value, long runs, long finiteCount, long nonFiniteCount, long missingCount,
            long runningCount, double mean, double std, double min, double max, Map<String, Long> statuses,
            boolean best, Double pVsBest) {

        /**
         * The same group with another value text.
         *
         * @param text the value text to show
         * @return the group relabelled
         */
        public Group relabelled(String text) {
            return new Group(text, runs, finiteCount, nonFiniteCount, missingCount, runningCount, mean, std, min, max,
                    statuses, best, pVsBest);
        }

        /**
         * The same group compared with the best one.
         *
         * @param isBest whether this group has the best mean
         * @param p Welch's p-value against the best group, or null (the best group itself, or undefined)
         * @return the group with {@code best} and {@code pVsBest} set
         */
        public Group compared(boolean isBest, Double p) {
            return new Group(value, runs, finiteCount, nonFiniteCount, missingCount, runningCount, mean, std, min, max,
                    statuses, isBest, p);
        }
    }

    /**
     * One point of a param-versus-metric scatter.
     *
     * @param runId the run id
     * @param runName the run's display name, or null
     * @param x the x field as text (null if the run lacks it)
     * @param xNumber the x field as a number, or null if it is not one
     * @param y the metric's last value (may be NaN or ±Infinity), or null if the run has not logged it
     * @param status the run's status ({@code completed}, {@code pruned}, ...): a run that did not
     *     complete has the value of the epoch it stopped at
     */
    public record ScatterPoint(String runId, String runName, String x, Double xNumber, Double y, String status) {}
}
