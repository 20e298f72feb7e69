package dev.assay.run;

import dev.assay.sweep.TrialSpec;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which planned trials still need to run, given what the store already holds for the experiment.
 * A trial key that has a {@code completed}, {@code diverged} or {@code pruned} run is done
 * (divergence is deterministic for a seed, so rerunning would only diverge again, and a pruned
 * trial was judged by its peers); one whose run is still
 * {@code running} with a fresh heartbeat is being trained by another process and is left alone;
 * everything else (never run, {@code failed}, {@code interrupted}) runs. Runs left
 * {@code running} by a dead process (no heartbeat for {@link SweepRunner#STALE_AFTER}) are first
 * marked {@code interrupted}.
 *
 * @param toRun the trials to run, in plan order
 * @param done trials skipped because a completed, diverged or pruned run has their key
 * @param elsewhere trials skipped because a live process is running them
 * @param staleMarked runs of dead processes just marked interrupted
 */
public record ResumePlan(
        List<TrialSpec> toRun, List<TrialSpec> done, List<TrialSpec> elsewhere, int staleMarked) {

    /**
     * Compares the plan with the store.
     *
     * @param store the store
     * @param experiment the experiment name
     * @param trials the planned trials
     * @param staleAfter how long without a heartbeat makes a running run dead
     * @return the plan
     * @throws dev.assay.track.TrackingException if the database fails
     */
    public static ResumePlan of(TrackingStore store, String experiment, List<TrialSpec> trials,
            Duration staleAfter) {
        int stale = store.interruptStaleRuns(experiment,
                System.currentTimeMillis() - staleAfter.toMillis());
        Map<String, List<RunStatus>> history = store.trialStatuses(experiment);
        List<TrialSpec> toRun = new ArrayList<>();
        List<TrialSpec> done = new ArrayList<>();
        List<TrialSpec> elsewhere = new ArrayList<>();
        for (TrialSpec t : trials) {
            List<RunStatus> statuses = history.getOrDefault(t.trialKey(), List.of());
            if (isDone(statuses)) {
                done.add(t);
            } else if (statuses.contains(RunStatus.RUNNING)) {
                elsewhere.add(t);
            } else {
                toRun.add(t);
            }
        }
        return new ResumePlan(List.copyOf(toRun), List.copyOf(done), List.copyOf(elsewhere), stale);
    }

    /**
     * Returns a plan that runs every trial ({@code --rerun}), whatever the store holds of them;
     * like {@link #of}, it first marks the runs of dead processes interrupted (no heartbeat for
     * {@code staleAfter}), which otherwise stayed {@code running} for good beside the reruns.
     *
     * @param store the store
     * @param experiment the experiment name
     * @param trials the planned trials
     * @param staleAfter how long without a heartbeat before a running run counts as dead
     * @return the plan
     * @throws dev.assay.track.TrackingException if the database fails
     */
    public static ResumePlan all(TrackingStore store, String experiment, List<TrialSpec> trials,
            Duration staleAfter) {
        int stale = store.interruptStaleRuns(experiment, System.currentTimeMillis() - staleAfter.toMillis());
        return new ResumePlan(List.copyOf(trials), List.of(), List.of(), stale);
    }

    /**
     * Whether a trial with these run statuses is done: one of its runs completed, diverged or was
     * pruned; running the experiment again skips it.
     *
     * @param statuses the statuses of the trial's runs
     * @return true if the trial is not run again (without {@code --rerun})
     */
    public static boolean isDone(List<RunStatus> statuses) {
        return statuses.stream().anyMatch(TrialRuns.FINAL::contains);
    }
}
