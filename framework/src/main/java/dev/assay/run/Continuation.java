package dev.assay.run;

import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import dev.assay.train.Checkpoint;
import dev.assay.train.Checkpoints;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

/**
 * A stopped run that a trial continues instead of starting over: the newest run of the trial key
 * is {@code interrupted} or {@code failed} (a killed worker) and left a complete per-epoch
 * checkpoint in its artifact directory.
 *
 * @param runId the run to continue (it keeps its id, params and metric history)
 * @param checkpoint its newest complete checkpoint
 */
public record Continuation(String runId, Checkpoint checkpoint) {

    /**
     * Looks for a run to continue.
     *
     * @param store the store
     * @param experiment the experiment name
     * @param trialKey the trial's key
     * @param statuses the statuses of the trial's runs, oldest first ({@link
     *     TrackingStore#trialStatuses(String, String)}), which the caller has read already
     * @param artifactRoot the directory holding each run's artifact directory
     * @return the continuation, or empty when the trial starts from epoch 1
     * @throws dev.assay.track.TrackingException if the database fails
     * @throws java.io.UncheckedIOException if the run's checkpoint directory cannot be listed (a damaged
     *     checkpoint is skipped with a warning: {@link Checkpoints#latest})
     */
    public static Optional<Continuation> find(TrackingStore store, String experiment,
            String trialKey, java.util.List<RunStatus> statuses, Path artifactRoot) {
        RunStatus last = statuses.isEmpty() ? null : statuses.get(statuses.size() - 1);
        if (last != RunStatus.INTERRUPTED && last != RunStatus.FAILED) {
            return Optional.empty();   // the common case, without loading any run
        }
        Optional<RunRecord> newest = store.runs(experiment).stream()
                .filter(r -> trialKey.equals(r.trialKey()))
                .max(Comparator.comparingLong(RunRecord::startTimeMillis));
        if (newest.isEmpty() || (newest.get().status() != RunStatus.INTERRUPTED
                && newest.get().status() != RunStatus.FAILED)) {
            return Optional.empty();
        }
        String runId = newest.get().runId();
        try {
            Checkpoints.discardUnpublished(checkpointDir(artifactRoot, runId)); // its process writes no more
        } catch (java.io.UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(Continuation.class).warn("could not delete the unfinished checkpoint"
                    + " of run {}: {}", runId, e.getMessage());
        }
        return Checkpoints.latest(checkpointDir(artifactRoot, runId))
                .map(c -> new Continuation(runId, c));
    }

    /**
     * Returns where a run's checkpoints live.
     *
     * @param artifactRoot the directory holding each run's artifact directory
     * @param runId the run
     * @return {@code <artifactRoot>/<runId>/checkpoints}
     */
    public static Path checkpointDir(Path artifactRoot, String runId) {
        return artifactRoot.resolve(runId).resolve("checkpoints");
    }
}
