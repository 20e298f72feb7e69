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
 */
public record EarlyStoppingSpec(String monitor, String mode, int patience, double minDelta,
        boolean restoreBestWeights) {

    /**
     * Creates a rule that tests with the last epoch's parameters.
     *
     * @param monitor the epoch metric watched
     * @param mode {@code min}, {@code max} or {@code auto}
     * @param patience epochs without improvement tolerated
     * @param minDelta the smallest change that counts as an improvement
     */
    public EarlyStoppingSpec(String monitor, String mode, int patience, double minDelta) {
        this(monitor, mode, patience, minDelta, false);
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
