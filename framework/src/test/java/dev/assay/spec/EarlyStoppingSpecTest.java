package dev.assay.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code mode: auto} picks the direction a metric improves in from its name. */
class EarlyStoppingSpecTest {

    @Test
    void autoMinimizesLossesPenaltiesObjectivesAndDurationsAndMaximizesTheRest() {
        // train_objective (loss + penalty) and penalty were maximized: early stopping fired as they fell
        for (String metric : List.of("val_loss", "train_objective", "penalty", "val_perplexity", "test_mse",
                "epoch_time_s", "error_rate")) {
            assertThat(EarlyStoppingSpec.minimize(metric, "auto")).as(metric).isTrue();
        }
        for (String metric : List.of("val_accuracy", "val_bleu", "samples_per_s", "pairs_per_s", "epoch_d_real")) {
            assertThat(EarlyStoppingSpec.minimize(metric, "auto")).as(metric).isFalse();
        }
        // baseline MSE / model MSE: was minimized for its "mse", so the worst autoencoder ranked top
        assertThat(EarlyStoppingSpec.minimize("test_mse_baseline_ratio", "auto")).isFalse();
        assertThat(EarlyStoppingSpec.minimize("test_mse_mean_baseline", "auto")).isTrue();
        assertThat(EarlyStoppingSpec.minimize("val_accuracy", "min")).isTrue();
        assertThat(EarlyStoppingSpec.minimize("train_objective", "max")).isFalse();
        assertThat(new EarlyStoppingSpec("train_objective", "auto", 2, 0).minimize()).isTrue();
    }
}
