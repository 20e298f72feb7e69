package dev.assay.spec;

import java.util.List;
import java.util.Objects;

/**
 * Which way a metric improves, read from parts of its name. The one rule behind {@code mode: auto}
 * (early stopping, pruners, a sweep's objective: {@link EarlyStoppingSpec#minimize(String,
 * String)}), the CLI's default sort order and best group, and the web UI's best group and its
 * columns' {@code higherIsBetter}.
 *
 * <p>In order: a name holding a part of {@link #HIGHER_DESPITE_LOWER_PART} is {@link
 * #HIGHER_IS_BETTER}; else one holding a part of {@link #LOWER_PARTS} is {@link #LOWER_IS_BETTER};
 * else one holding a part of {@link #HIGHER_PARTS} is {@link #HIGHER_IS_BETTER}; any other name
 * (a logged setting such as {@code learning_rate}, a descriptive value such as a GAN's {@code
 * d_real} or word2vec's {@code query_top1_cosine}) has no better direction, {@link #UNKNOWN}.
 */
public enum MetricDirection {
    /** Smaller values are better: losses, errors, perplexities, squared errors, durations. */
    LOWER_IS_BETTER,
    /** Larger values are better: accuracies, BLEU, exact match, rank correlations, throughputs. */
    HIGHER_IS_BETTER,
    /** The name tells no better direction: a logged setting or a descriptive value. */
    UNKNOWN;

    /**
     * Parts of a name that make smaller better: losses, errors, perplexities, squared and absolute
     * errors ({@code mse}, {@code rmse}, {@code mae}, {@code mape}), negative log-likelihoods, a
     * weight penalty and {@code train_objective} (loss plus penalty), durations in seconds ({@code
     * epoch_time_s}).
     */
    static final List<String> LOWER_PARTS = List.of("loss", "error", "perplexity", "mse", "mae", "mape", "nll",
            "penalty", "objective", "time_s");

    /**
     * Parts of a name that make larger better even when it holds a part of {@link #LOWER_PARTS}:
     * {@code baseline_ratio}, a baseline's error over the model's (the reconstruction task's {@code
     * test_mse_baseline_ratio}: how many times better than the mean image), which was minimized for
     * its {@code mse}, so the worst autoencoder ranked best.
     */
    static final List<String> HIGHER_DESPITE_LOWER_PART = List.of("baseline_ratio");

    /**
     * Parts of a name that make larger better: accuracies ({@code val_token_accuracy}), BLEU, exact
     * match, F1, precision, recall, AUC, Spearman's ρ ({@code test_ppmi_spearman}) and throughputs
     * per second ({@code samples_per_s}, {@code pairs_per_s}).
     */
    static final List<String> HIGHER_PARTS = List.of("accuracy", "bleu", "exact_match", "f1", "precision", "recall",
            "auc", "spearman", "_per_s");

    /**
     * Reads a metric's direction from its name (case-sensitive, as metric keys are stored).
     *
     * @param metric the metric key, e.g. {@code val_loss}
     * @return the direction, {@link #UNKNOWN} where no part of the name tells it
     * @throws NullPointerException if {@code metric} is null
     */
    public static MetricDirection of(String metric) {
        Objects.requireNonNull(metric, "metric");
        if (HIGHER_DESPITE_LOWER_PART.stream().anyMatch(metric::contains)) {
            return HIGHER_IS_BETTER;
        }
        if (LOWER_PARTS.stream().anyMatch(metric::contains)) {
            return LOWER_IS_BETTER;
        }
        return HIGHER_PARTS.stream().anyMatch(metric::contains) ? HIGHER_IS_BETTER : UNKNOWN;
    }
}
