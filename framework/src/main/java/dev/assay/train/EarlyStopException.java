package dev.assay.train;

/**
 * Ends training early and normally: thrown from an epoch callback when the early-stopping rule
 * fires. {@link TrainingLoop} catches it and finishes the trial (test metrics included); a task
 * with its own loop may let it propagate, and the runner then records the trial completed.
 */
public final class EarlyStopException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The 1-based epoch after which training stopped. */
    private final int epoch;

    /**
     * Creates the exception.
     *
     * @param epoch the last epoch trained (1-based)
     * @param reason a sentence saying why
     */
    public EarlyStopException(int epoch, String reason) {
        super(reason);
        this.epoch = epoch;
    }

    /**
     * Returns the last epoch trained.
     *
     * @return the 1-based epoch
     */
    public int epoch() {
        return epoch;
    }
}
