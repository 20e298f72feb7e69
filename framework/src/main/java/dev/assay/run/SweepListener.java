package dev.assay.run;

import dev.assay.sweep.TrialSpec;
import dev.assay.train.TrainingProgress;

/** Callbacks from the sweep runner to a console or UI. All are called on the sweep's thread. */
public interface SweepListener {

    /** A listener that ignores everything. */
    SweepListener NONE = new SweepListener() {};

    /**
     * Called when a trial's run has been created, before its data loads.
     *
     * @param trial the trial
     * @param total the number of trials in the sweep
     * @param runId the new run's id
     * @return progress callbacks for this trial's training
     */
    default TrainingProgress trialStarted(TrialSpec trial, int total, String runId) {
        return TrainingProgress.NONE;
    }

    /**
     * Called right after {@link #trialStarted} when the trial continues a stopped run from its
     * per-epoch checkpoint instead of starting at epoch 1.
     *
     * @param trial the trial
     * @param runId the continued run's id
     * @param epoch the checkpoint's epoch; training resumes at {@code epoch + 1}
     */
    default void trialContinued(TrialSpec trial, String runId, int epoch) {}

    /**
     * Called instead of {@link #trialStarted} when another process took the trial after this
     * sweep was planned (its newest run is running, or already completed, diverged or pruned):
     * this sweep leaves it to that process.
     *
     * @param trial the trial
     * @param total the number of trials in the sweep
     * @param reason why, e.g. "run 1a2b3c4d is running in another process"
     */
    default void trialSkipped(TrialSpec trial, int total, String reason) {}

    /**
     * Called after a trial's final status is stored.
     *
     * @param outcome how it ended
     */
    default void trialFinished(TrialOutcome outcome) {}

    /**
     * Whether this listener shows each trial's outcome, its error included, to the person running
     * the sweep ({@link #trialFinished}); the runner then logs a failed or diverged trial at debug
     * level instead of warning, so the console does not print the same message twice.
     *
     * @return false by default: the runner warns
     */
    default boolean showsOutcomes() {
        return false;
    }
}
