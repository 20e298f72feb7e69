package dev.assay.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which way a metric improves, read from its name: one rule for {@code mode: auto} and the tables. */
class MetricDirectionTest {

    /** Every metric the built-in tasks declare, and the direction its name says. */
    private static final Map<String, MetricDirection> BUILT_IN = new LinkedHashMap<>();

    static {
        for (String m : List.of("batch_loss", "train_loss", "val_loss", "test_loss", "d_loss", "g_loss", "epoch_d_loss",
                "epoch_g_loss", "train_perplexity", "val_perplexity", "test_perplexity", "test_perplexity_unigram",
                "penalty", "train_objective", "epoch_time_s", "test_mse", "test_mse_mean_baseline")) {
            BUILT_IN.put(m, MetricDirection.LOWER_IS_BETTER);
        }
        for (String m : List.of("train_accuracy", "val_accuracy", "test_accuracy", "val_token_accuracy",
                "test_token_accuracy", "val_exact_match", "test_exact_match", "val_bleu", "test_bleu",
                "test_ppmi_spearman", "test_mse_baseline_ratio", "samples_per_s", "pairs_per_s")) {
            BUILT_IN.put(m, MetricDirection.HIGHER_IS_BETTER);
        }
        // a logged setting and descriptive values: no better direction
        for (String m : List.of("learning_rate", "d_real", "d_fake", "epoch_d_real", "epoch_d_fake",
                "query_top1_cosine")) {
            BUILT_IN.put(m, MetricDirection.UNKNOWN);
        }
    }

    @Test
    void everyBuiltInMetricReadsTheDirectionItImprovesIn() {
        BUILT_IN.forEach((metric, direction) -> assertThat(MetricDirection.of(metric)).as(metric).isEqualTo(direction));
    }

    @Test
    void throughputsPerSecondAreHigherIsBetterUnlessTheNameCountsSomethingBad() {
        assertThat(MetricDirection.of("tokens_per_second")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirection.of("val_f1")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        // errors per second are still errors; a duration is still a duration
        assertThat(MetricDirection.of("errors_per_s")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(MetricDirection.of("step_time_s")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(MetricDirection.of("reward")).isEqualTo(MetricDirection.UNKNOWN);
        assertThatNullPointerException().isThrownBy(() -> MetricDirection.of(null)).withMessage("metric");
    }

    @Test
    void modeAutoMinimizesExactlyTheLowerIsBetterNamesAndMaximizesTheRest() {
        // one rule: early stopping's mode: auto and the tables' direction cannot disagree
        BUILT_IN.forEach((metric, direction) -> assertThat(EarlyStoppingSpec.minimize(metric, "auto")).as(metric)
                .isEqualTo(direction == MetricDirection.LOWER_IS_BETTER));
    }
}
