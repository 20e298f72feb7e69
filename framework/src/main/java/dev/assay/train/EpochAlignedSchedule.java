package dev.assay.train;

import ai.djl.training.tracker.Tracker;

/**
 * A learning-rate schedule for tasks whose epochs differ in length (word2vec draws its subsampling
 * and windows again each epoch: 112, 111, 111 batches): it reads a schedule built for {@code
 * stepsPerEpoch} nominal steps per epoch at each update's place in its own epoch, so that every
 * epoch covers exactly its share of the schedule. Update {@code k} (1-based) of epoch {@code e},
 * which has {@code n} updates, reads the nominal step {@code (e − 1)·S + ⌈k·S/n⌉}: a {@code step}
 * schedule decays exactly at epoch boundaries and a cosine schedule's last update reads exactly
 * {@code final_learning_rate}, whatever the epochs' lengths. Built on the first epoch's count
 * alone, the schedule ran out early or late (cosine ended at 0.0010008 instead of 0.001; epoch 3 of a
 * step schedule began at epoch 2's rate).
 *
 * <p>Before {@link #beginEpoch} is called it reads the nominal schedule at the update number as
 * given. Not thread-safe: the trainer's thread calls it.
 */
public final class EpochAlignedSchedule implements Tracker {

    private final Tracker nominal;
    private final int stepsPerEpoch;
    private int epoch;
    private long firstUpdate;
    private long updates;

    /**
     * Wraps a schedule.
     *
     * @param nominal the schedule over nominal update steps, built for {@code stepsPerEpoch} steps
     *     per epoch ({@link TrialContext#learningRateSchedule(int)})
     * @param stepsPerEpoch the nominal steps per epoch {@code S} (≥ 1)
     * @throws IllegalArgumentException if {@code stepsPerEpoch} is below 1
     */
    public EpochAlignedSchedule(Tracker nominal, int stepsPerEpoch) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("stepsPerEpoch must be ≥ 1, got " + stepsPerEpoch);
        }
        this.nominal = nominal;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /**
     * Starts an epoch: its updates are numbered from {@code stepsBefore + 1}.
     *
     * @param epoch the 1-based epoch
     * @param stepsBefore update steps done before it, over the whole trial
     * @param updates the epoch's update steps {@code n} (≥ 1)
     * @throws IllegalArgumentException if {@code epoch} or {@code updates} is below 1
     */
    public void beginEpoch(int epoch, long stepsBefore, long updates) {
        if (epoch < 1 || updates < 1) {
            throw new IllegalArgumentException("epoch and updates must be ≥ 1, got " + epoch + " and " + updates);
        }
        this.epoch = epoch;
        this.firstUpdate = stepsBefore + 1;
        this.updates = updates;
    }

    /**
     * Returns the learning rate of an update.
     *
     * @param numUpdate the 1-based update number over the whole trial
     * @return the nominal schedule's value at the update's place in its epoch (see the class comment)
     */
    @Override
    public float getNewValue(int numUpdate) {
        return nominal.getNewValue(Math.toIntExact(nominalStep(numUpdate)));
    }

    /**
     * The nominal step an update reads: {@code (e − 1)·S + ⌈k·S/n⌉} for update {@code k} of the
     * current epoch, {@code k} clamped to {@code [1, n]}; the update number itself before the
     * first epoch begins.
     *
     * @param numUpdate the 1-based update number
     * @return the nominal step
     */
    long nominalStep(int numUpdate) {
        if (epoch == 0) {
            return numUpdate;
        }
        long k = Math.min(updates, Math.max(1, numUpdate - firstUpdate + 1));
        return (long) (epoch - 1) * stepsPerEpoch + (k * stepsPerEpoch + updates - 1) / updates;
    }
}
