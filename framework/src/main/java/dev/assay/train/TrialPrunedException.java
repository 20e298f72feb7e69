package dev.assay.train;

/**
 * Stops a trial that a sweep pruner judged worse than its peers; the runner records it as
 * {@code pruned} with the epoch. Not caught by {@link TrainingLoop}.
 */
public final class TrialPrunedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The 1-based epoch at which the trial was pruned. */
    private final int epoch;

    /**
     * Creates the exception.
     *
     * @param epoch the epoch at which the trial was pruned (1-based)
     * @param reason a sentence with the values compared
     */
    public TrialPrunedException(int epoch, String reason) {
        super(reason);
        this.epoch = epoch;
    }

    /**
     * Returns the epoch at which the trial was pruned.
     *
     * @return the 1-based epoch
     */
    public int epoch() {
        return epoch;
    }
}
