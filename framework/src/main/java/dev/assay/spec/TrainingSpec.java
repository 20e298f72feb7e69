package dev.assay.spec;

/**
 * {@code training}: the loop's budget, seed, logging cadence, optimizer and regularization.
 *
 * @param epochs passes over the training split (required, ≥ 1)
 * @param batchSize samples per batch (default 128)
 * @param seed the trial seed; with {@code sweep.repeat: N} trial {@code r} gets {@code seed + r}
 *     (default 42)
 * @param logEveryNSteps log the training loss every this many update steps (default 20)
 * @param optimizer the optimizer
 * @param regularization the loss penalties
 * @param earlyStopping the early-stopping rule, or null when {@code training.early_stopping} is
 *     absent
 */
public record TrainingSpec(
        int epochs,
        int batchSize,
        long seed,
        int logEveryNSteps,
        OptimizerSpec optimizer,
        RegularizationSpec regularization,
        EarlyStoppingSpec earlyStopping) {

    /**
     * The param (stored dotted path) of the trial seed: the one value in which the repeats of one
     * configuration differ ({@code sweep.repeat}: repeat r uses seed + r).
     */
    public static final String SEED_PARAM = "training.seed";
}
