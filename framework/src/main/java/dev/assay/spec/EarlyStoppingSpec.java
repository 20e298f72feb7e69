package dev.assay.spec;

/**
 * {@code training.early_stopping}: stop a trial when its monitored metric has not improved for
 * {@code patience} epochs (Prechelt 1998, "Early Stopping — But When?"). The trial ends normally
 * ({@code completed}, tested as usual) with the epoch in the {@code early_stopped_epoch} tag.
 *
 * @param monitor the epoch metric watched (default {@code val_loss})
 * @param mode {@code min}, {@code max}, or {@code auto} (default): {@code min} for names with
 *     loss, error, perplexity, mse, penalty, objective or time_s unless it holds baseline_ratio
 *     ({@link MetricDirection#LOWER_IS_BETTER}), else {@code max}, also for a name that tells no
 *     direction ({@link MetricDirection#of})
 * @param patience epochs without improvement tolerated (≥ 1, default 3)
 * @param minDelta the smallest change that counts as an improvement (≥ 0, default 0)
 * @param restoreBestWeights whether the trial is tested with the parameters of its best epoch (the
 *     monitored metric's best value) instead of those of its last epoch (default false, as Keras's
 *     {@code EarlyStopping(restore_best_weights=False)}); the restored epoch is recorded in the
 *     {@code best_weights_epoch} tag ({@code dev.assay.train.Checkpoints#restoreBest})
 * @param divergenceThreshold a value of the monitored metric beyond which the trial has diverged
 *     (above it when the rule minimizes, below it when it maximizes): the trial stops at the end of
 *     that epoch and its run is recorded {@code diverged}, with the epoch in the {@code
 *     diverged_epoch} tag, as a trial whose loss became NaN is, so a learning rate that blows the
 *     loss up to 1e9 without overflowing does not end {@code completed} (PyTorch Lightning's {@code
 *     EarlyStopping(divergence_threshold=...)}); null (the default) for no such check
 */
public record EarlyStoppingSpec(String monitor, String mode, int patience, double minDelta,
        boolean restoreBestWeights, Double divergenceThreshold) {

    /**
     * Creates a rule that tests with the last epoch's parameters.
     *
     * @param monitor the epoch metric watched
     * @param mode {@code min}, {@code max} or {@code auto}
     * @param patience epochs without improvement tolerated
     * @param minDelta the smallest change that counts as an improvement
     */
    public EarlyStoppingSpec(String monitor, String mode, int patience, double minDelta) {
        this(monitor, mode, patience, minDelta, false, null);
    }

    /**
     * Creates a rule without a divergence threshold.
     *
     * @param monitor the epoch metric watched
     * @param mode {@code min}, {@code max} or {@code auto}
     * @param patience epochs without improvement tolerated
     * @param minDelta the smallest change that counts as an improvement
     * @param restoreBestWeights whether the trial is tested with its best epoch's parameters
     */
    public EarlyStoppingSpec(String monitor, String mode, int patience, double minDelta, boolean restoreBestWeights) {
        this(monitor, mode, patience, minDelta, restoreBestWeights, null);
    }

    /**
     * Whether a value of the monitored metric is beyond {@link #divergenceThreshold()}: above it
     * when the rule minimizes, below it when it maximizes. NaN is never beyond it (a NaN loss is
     * caught where the loss is read).
     *
     * @param value the monitored metric's value at an epoch's end
     * @return true if the trial has diverged; false without a threshold
     */
    public boolean diverged(double value) {
        if (divergenceThreshold == null || Double.isNaN(value)) {
            return false;
        }
        return minimize() ? value > divergenceThreshold : value < divergenceThreshold;
    }

    /**
     * Whether smaller values of the monitored metric are better.
     *
     * @return true for {@code min} (or {@code auto} on a loss-like name)
     */
    public boolean minimize() {
        return minimize(monitor, mode);
    }

    /**
     * Resolves a mode for a metric name: {@code auto} minimizes a metric whose name says smaller is
     * better ({@link MetricDirection#of} is {@link MetricDirection#LOWER_IS_BETTER}) and maximizes
     * any other, one whose name tells no direction included.
     *
     * @param metric the metric name
     * @param mode {@code min}, {@code max} or {@code auto}
     * @return true if smaller is better
     */
    public static boolean minimize(String metric, String mode) {
        if (!mode.equals("auto")) {
            return mode.equals("min");
        }
        return MetricDirection.of(metric) == MetricDirection.LOWER_IS_BETTER;
    }
}
