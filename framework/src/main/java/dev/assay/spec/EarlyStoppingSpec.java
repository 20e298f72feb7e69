package dev.assay.spec;

import java.util.List;

/**
 * {@code training.early_stopping}: stop a trial when its monitored metric has not improved for
 * {@code patience} epochs (Prechelt 1998, "Early Stopping — But When?"). The trial ends normally
 * ({@code completed}, tested as usual) with the epoch in the {@code early_stopped_epoch} tag.
 *
 * @param monitor the epoch metric watched (default {@code val_loss})
 * @param mode {@code min}, {@code max}, or {@code auto} (default): {@code min} for names with
 *     loss, error, perplexity, mse, penalty, objective or time_s ({@link #SMALLER_IS_BETTER}) unless
 *     it holds baseline_ratio ({@link #LARGER_IS_BETTER}), else {@code max}
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
     * Parts of a metric name that make {@code mode: auto} minimize it: losses, errors,
     * perplexities, squared errors, a weight penalty and {@code train_objective} (loss plus
     * penalty), durations in seconds ({@code epoch_time_s}). Anything else (accuracy, BLEU,
     * samples per second) is maximized.
     */
    static final List<String> SMALLER_IS_BETTER = List.of("loss", "error", "perplexity", "mse", "penalty",
            "objective", "time_s");

    /**
     * Parts of a metric name that make {@code mode: auto} maximize it even when it holds a part of
     * {@link #SMALLER_IS_BETTER}: {@code baseline_ratio}, a baseline's error over the model's (the
     * reconstruction task's {@code test_mse_baseline_ratio}: how many times better than the mean
     * image), which was minimized for its {@code mse}, so the worst autoencoder ranked best.
     */
    static final List<String> LARGER_IS_BETTER = List.of("baseline_ratio");

    /**
     * Whether smaller values of the monitored metric are better.
     *
     * @return true for {@code min} (or {@code auto} on a loss-like name)
     */
    public boolean minimize() {
        return minimize(monitor, mode);
    }

    /**
     * Resolves a mode for a metric name.
     *
     * @param metric the metric name
     * @param mode {@code min}, {@code max} or {@code auto}
     * @return true if smaller is better
     */
    public static boolean minimize(String metric, String mode) {
        if (!mode.equals("auto")) {
            return mode.equals("min");
        }
        return LARGER_IS_BETTER.stream().noneMatch(metric::contains)
                && SMALLER_IS_BETTER.stream().anyMatch(metric::contains);
    }
}
