package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultMetricsTest {

    @Test
    void theUsualResultsComeFirstThenATasksOtherTestMetrics() {
        // a seq2seq experiment: the web UI showed only its losses, the CLI its BLEU too
        assertThat(DefaultMetrics.of(List.of("batch_loss", "test_token_accuracy", "val_loss", "test_bleu",
                "train_loss", "test_exact_match", "learning_rate", "val_loss")))
                .containsExactly("val_loss", "train_loss", "test_bleu", "test_exact_match", "test_token_accuracy");
        assertThat(DefaultMetrics.of(List.of("test_loss", "test_accuracy", "val_accuracy", "test_a", "test_b",
                "test_c", "test_d", "test_e"))).containsExactly("test_accuracy", "val_accuracy", "test_loss", "test_a",
                "test_b", "test_c", "test_d");
    }

    @Test
    void aTestMetricComesAfterItsValidationCounterpart() {
        // a language model's runs showed test_perplexity but not val_perplexity, what its sweep is tuned on
        assertThat(DefaultMetrics.of(List.of("val_loss", "val_perplexity", "test_perplexity", "train_loss",
                "test_loss", "val_token_accuracy", "batch_loss")))
                .containsExactly("val_loss", "train_loss", "test_loss", "val_perplexity", "test_perplexity");
    }

    @Test
    void withoutTheUsualOnesEpochMeansThenOtherResultsButNeverBookkeeping() {
        assertThat(DefaultMetrics.of(List.of("epoch_g_loss", "batch_loss", "epoch_d_loss", "d_real")))
                .containsExactly("epoch_d_loss", "epoch_g_loss");
        assertThat(DefaultMetrics.of(List.of("learning_rate", "loss", "samples_per_s"))).containsExactly("loss");
        assertThat(DefaultMetrics.of(List.of())).isEmpty();
    }
}
