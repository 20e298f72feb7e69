package dev.assay.train;

import ai.djl.training.tracker.Tracker;
import dev.assay.spec.ScheduleSpec;

/** Turns a {@link ScheduleSpec} into a DJL {@link Tracker} over update steps. */
public final class LearningRateSchedules {

    private LearningRateSchedules() {}

    /**
     * Builds the schedule.
     *
     * @param spec the schedule
     * @param learningRate the learning rate at step 0
     * @param stepsPerEpoch update steps per epoch (≥ 1)
     * @param epochs epochs in the trial (≥ 1)
     * @return a tracker giving the learning rate for each update number
     * @throws IllegalArgumentException if the schedule name is unknown
     */
    public static Tracker build(ScheduleSpec spec, double learningRate, int stepsPerEpoch, int epochs) {
        float lr = (float) learningRate;
        int total = Math.max(1, stepsPerEpoch * epochs);
        return switch (spec.name()) {
            case "constant" -> Tracker.fixed(lr);
            case "step" -> stepDecay(spec, lr, stepsPerEpoch, epochs);
            case "cosine" -> lr == 0 ? cosineFromZero((float) spec.finalLearningRate(), total)
                    : Tracker.cosine()
                    .setBaseValue(lr)
                    .optFinalValue((float) spec.finalLearningRate())
                    .setMaxUpdates(total)
                    .build();
            default -> throw new IllegalArgumentException(
                    "unknown schedule '" + spec.name() + "'; known: " + ScheduleSpec.NAMES);
        };
    }

    /**
     * Cosine annealing from a learning rate of 0 (Loshchilov &amp; Hutter 2017, eq. 5, as DJL's
     * {@code CosineTracker} computes it), which DJL's builder refuses ("You must set a starting
     * learning rate!"): a trial with {@code learning_rate: 0} and {@code schedule: cosine} passed
     * the file's checks and then failed at its first step.
     */
    private static Tracker cosineFromZero(float finalLr, int total) {
        return numUpdate -> numUpdate > total ? finalLr
                : finalLr - finalLr * (float) (1 + Math.cos(Math.PI * numUpdate / total)) / 2;
    }

    private static Tracker stepDecay(ScheduleSpec spec, float lr, int stepsPerEpoch, int epochs) {
        int interval = Math.max(1, spec.stepEpochs() * stepsPerEpoch);
        float gamma = (float) spec.gamma();
        // Stateless: the rate drops once the update number passes each boundary (DJL counts
        // updates from 1), so updates 1..interval use lr, interval+1..2·interval use lr·gamma, ...
        // Only boundaries inside the trial count (epochs step_epochs, 2·step_epochs, ... < epochs).
        int maxDecays = (epochs - 1) / Math.max(1, spec.stepEpochs());
        return numUpdate -> lr * (float) Math.pow(gamma,
                Math.min(maxDecays, Math.max(0, numUpdate - 1) / interval));
    }
}
