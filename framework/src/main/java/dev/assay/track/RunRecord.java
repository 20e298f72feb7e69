package dev.assay.track;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A run as stored, with everything the CLI and the web UI show about it except its metric series
 * (read those with {@link TrackingStore#metric(String, String)}).
 *
 * @param runId the 32-character lowercase hex id
 * @param experiment the experiment name
 * @param runName the display name, or null
 * @param trialIndex the trial's 0-based index within its sweep
 * @param trialKey the trial's configuration key, or null
 * @param seed the random seed
 * @param status the lifecycle state
 * @param startTimeMillis when the run was created, milliseconds since the epoch (UTC)
 * @param endTimeMillis when it finished, milliseconds since the epoch (UTC), or null while running
 * @param pausedMillis milliseconds the run spent stopped before it was continued from a
 *     checkpoint (0 for a run never continued)
 * @param updatedMillis when the run was last written to (its heartbeat while it runs), epoch ms
 * @param errorMessage why it failed, or null
 * @param configYaml the resolved configuration as YAML, or null
 * @param provenanceJson the provenance as JSON, or null
 * @param params hyper-parameters as text, ordered by key
 * @param tags tags, ordered by key
 * @param metrics one summary per metric series, ordered by metric key
 * @param artifacts files the run produced, ordered by path
 */
public record RunRecord(
        String runId,
        String experiment,
        String runName,
        int trialIndex,
        String trialKey,
        long seed,
        RunStatus status,
        long startTimeMillis,
        Long endTimeMillis,
        long pausedMillis,
        long updatedMillis,
        String errorMessage,
        String configYaml,
        String provenanceJson,
        Map<String, String> params,
        Map<String, String> tags,
        Map<String, MetricSummary> metrics,
        List<ArtifactRecord> artifacts) {

    /** Copies the collections into unmodifiable, key-ordered ones; null collections become empty. */
    public RunRecord {
        params = StoreChecks.sortedView(params);
        tags = StoreChecks.sortedView(tags);
        metrics = StoreChecks.sortedView(metrics);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /**
     * Whether the run says {@code running} but has not been written to (no heartbeat) for {@code
     * after}: its process has most likely stopped (listings use {@code
     * dev.assay.run.SweepRunner.STALE_AFTER}, 60 s).
     *
     * @param after how long without a heartbeat makes a running run stale
     * @return true for a running run without a recent heartbeat
     */
    public boolean staleAfter(java.time.Duration after) {
        return stale(status, updatedMillis, after);
    }

    /**
     * Whether a run with this status, last written to at {@code updatedMillis}, is running without
     * a heartbeat for {@code after} (the rule every listing of runs applies).
     *
     * @param status its status
     * @param updatedMillis when it was last written to, epoch milliseconds
     * @param after how long without a heartbeat makes a running run stale
     * @return true for a running run without a recent heartbeat
     */
    public static boolean stale(RunStatus status, long updatedMillis, java.time.Duration after) {
        return status == RunStatus.RUNNING && System.currentTimeMillis() - updatedMillis > after.toMillis();
    }

    /**
     * Returns how long the run trained: from its start to its end, less the time it spent stopped
     * before a continuation.
     *
     * @return the duration in milliseconds, or null while the run has no end time
     */
    @JsonProperty("durationMillis")
    public Long durationMillis() {
        return durationMillis(startTimeMillis, endTimeMillis, pausedMillis);
    }

    /**
     * Returns how long a run trained, from its stored times.
     *
     * @param startTimeMillis when it started (ms since the epoch)
     * @param endTimeMillis when it ended (ms since the epoch), or null while running
     * @param pausedMillis milliseconds it spent stopped before continuations
     * @return {@code end - start - paused} in milliseconds, or null without an end time
     */
    public static Long durationMillis(long startTimeMillis, Long endTimeMillis, long pausedMillis) {
        return endTimeMillis == null ? null : endTimeMillis - startTimeMillis - pausedMillis;
    }

    /**
     * The run each trial counts by in group statistics and exports: its newest run that completed,
     * diverged or was pruned (what makes {@code assay run} skip the trial), or, when it has none, its
     * newest run; runs without a trial key are all kept. A {@code --rerun} stopped after one epoch
     * (or still running, or failed) left its trial's completed run superseded: the groups took the
     * one-epoch values into their mean, and since the trial counts as done, no later {@code assay
     * run} or {@code resume} replaced them. The web UI's group query states the same rule in SQL
     * ({@code StoreQueries}).
     *
     * @param runs runs, in any order
     * @return the counted run of each trial (experiment and trial key) and every run without a
     *     trial key, in the given order
     */
    public static List<RunRecord> countedPerTrial(List<RunRecord> runs) {
        Map<String, RunRecord> counted = new java.util.HashMap<>();
        java.util.Comparator<RunRecord> rank = java.util.Comparator
                .comparing((RunRecord r) -> COUNTED_STATUSES.contains(r.status()))
                .thenComparingLong(RunRecord::startTimeMillis)
                .thenComparing(RunRecord::runId);
        for (RunRecord r : runs) {
            if (r.trialKey() != null) {
                counted.merge(trialOf(r), r, (a, b) -> rank.compare(a, b) >= 0 ? a : b);
            }
        }
        return runs.stream().filter(r -> r.trialKey() == null || counted.get(trialOf(r)) == r).toList();
    }

    /**
     * A trial's identity across experiments: the trial key hashes the configuration and seed only,
     * so the same configuration run in two experiments is two trials (before, {@code compare --group}
     * over runs of three experiments kept one of them and called the others reruns).
     */
    private static String trialOf(RunRecord r) {
        return r.experiment() + '\0' + r.trialKey();
    }

    /**
     * The run that {@code run}'s trial counts by instead of it ({@link #countedPerTrial}), for showing
     * one run as the runs tables do: empty when it counts itself, has no trial key, or is still
     * running (a rerun still running beside a completed run is not marked superseded).
     *
     * @param experimentRuns every run of the run's trial ({@code TrackingStore.trialRuns}), or of its
     *     experiment
     * @param run one of them
     * @return the counted run of its trial when that is another run
     */
    public static java.util.Optional<RunRecord> supersededBy(List<RunRecord> experimentRuns, RunRecord run) {
        if (run.trialKey() == null) {
            return java.util.Optional.empty();
        }
        List<RunRecord> trial = experimentRuns.stream().filter(r -> run.trialKey().equals(r.trialKey())).toList();
        if (!superseded(trial).contains(run.runId())) {
            return java.util.Optional.empty();
        }
        return countedPerTrial(trial).stream().filter(r -> !r.runId().equals(run.runId())).findFirst();
    }

    /**
     * The runs that the runs tables mark "superseded": those their trial does not count by ({@link
     * #countedPerTrial}), except a rerun still running beside a finished run (not counted yet, but
     * no older copy either).
     *
     * @param runs runs, in any order
     * @return the ids of the superseded runs among them
     */
    public static java.util.Set<String> superseded(List<RunRecord> runs) {
        java.util.Set<String> counted = new java.util.HashSet<>();
        countedPerTrial(runs).forEach(r -> counted.add(r.runId()));
        java.util.Set<String> out = new java.util.HashSet<>();
        runs.stream().filter(r -> r.status() != RunStatus.RUNNING && !counted.contains(r.runId()))
                .forEach(r -> out.add(r.runId()));
        return out;
    }

    /** The statuses that finish a trial ({@code assay run} skips it): completed, diverged, pruned. */
    private static final java.util.Set<RunStatus> COUNTED_STATUSES =
            java.util.EnumSet.of(RunStatus.COMPLETED, RunStatus.DIVERGED, RunStatus.PRUNED);

    /**
     * The newest run of each trial key: the rule by which a trial counts once, whatever its runs
     * ({@code --rerun}, a retry after a failure). Newest is the latest start time, ties broken by
     * the larger run id; runs without a trial key are all kept. The web UI's queries state the same
     * rule in SQL ({@code StoreQueries}).
     *
     * @param runs runs, in any order
     * @return the newest run of each trial key and every run without one, in the given order
     */
    public static List<RunRecord> newestPerTrial(List<RunRecord> runs) {
        Map<String, RunRecord> newest = new java.util.HashMap<>();
        java.util.Comparator<RunRecord> age = java.util.Comparator.comparingLong(RunRecord::startTimeMillis)
                .thenComparing(RunRecord::runId);
        for (RunRecord r : runs) {
            if (r.trialKey() != null) {
                newest.merge(r.trialKey(), r, (a, b) -> age.compare(a, b) >= 0 ? a : b);
            }
        }
        return runs.stream().filter(r -> r.trialKey() == null || newest.get(r.trialKey()) == r).toList();
    }
}
