package dev.assay.train;

import java.util.Map;

/** Progress callbacks for a console or UI, called on the training thread; keep them cheap. */
public interface TrainingProgress {

    /** Progress that does nothing. */
    TrainingProgress NONE = new TrainingProgress() {};

    /**
     * Called before the first batch of an epoch.
     *
     * @param epoch the 1-based epoch
     * @param epochs the total number of epochs
     * @param steps the number of update steps in this epoch
     */
    default void epochStarted(int epoch, int epochs, long steps) {}

    /**
     * Called after every update step.
     *
     * @param stepInEpoch steps done in this epoch, from 1
     * @param trainLoss the latest training loss read back (the task's loss, e.g. cross-entropy in
     *     nats per sample), NaN before the first read
     */
    default void stepDone(long stepInEpoch, double trainLoss) {}

    /**
     * Called after an epoch's validation.
     *
     * @param epoch the 1-based epoch
     * @param metrics the epoch metrics just logged, by name
     * @throws EarlyStopException from the runner's progress when the trial's early-stopping rule
     *     fires: a task with its own loop that wants its final (test) metrics catches it, ends its
     *     epoch loop and goes on to testing, as {@link TrainingLoop#endEpoch} does; let through, the
     *     trial is recorded completed without them
     * @throws TrialPrunedException from the runner's progress when the sweep's pruner stops the
     *     trial; let it through (the trial is recorded {@code pruned})
     */
    default void epochEnded(int epoch, Map<String, Double> metrics) {}
}
