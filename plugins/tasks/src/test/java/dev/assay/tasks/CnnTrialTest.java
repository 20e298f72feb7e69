package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.run.TrialOutcome;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cnn} architecture trained by the unchanged {@code classification} task on 256
 * bundled Fashion-MNIST images, end to end through SweepRunner and H2.
 */
class CnnTrialTest {

    private static final String YAML = """
            name: tiny-cnn
            dataset:
              name: fashion-mnist
              params: {limit_train: 256, limit_test: 128, validation_split: 0.25}
            model:
              architecture: cnn
              params: {filters: [4, 8], kernel_size: 3, batch_norm: true, dense: [16],
                       dropout: 0.2}
            task: classification
            training:
              epochs: 3
              batch_size: 32
              seed: 3
              log_every_n_steps: 2
              optimizer: {name: adam, learning_rate: 3.0e-3}
            """;

    @TempDir
    Path dir;

    private TrialHarness harness;

    @BeforeEach
    void open() {
        harness = new TrialHarness(dir);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void smallCnnLowersTheLossAndBeatsChance() {
        TrialOutcome outcome = harness.run(YAML).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        String runId = outcome.runId();
        List<Double> trainLoss = harness.values(runId, "train_loss");
        assertThat(trainLoss).hasSize(3);
        assertThat(trainLoss.get(2)).isLessThan(trainLoss.get(0));
        // Ten classes: chance is 0.1; 192 images and 18 steps already do much better.
        assertThat(outcome.metrics().get("test_accuracy")).isBetween(0.3, 1.0);
        RunRecord run = harness.store().run(runId).orElseThrow();
        assertThat(run.params()).containsEntry("model.params.filters", "[4,8]")
                .containsEntry("model.params.batch_norm", "true");
    }

    @Test
    void tooManyPoolingBlocksFailWithAMessage() {
        TrialOutcome outcome = harness.run(YAML.replace("filters: [4, 8]",
                "filters: [2, 2, 2, 2, 2, 2]")).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(harness.store().run(outcome.runId()).orElseThrow().errorMessage())
                .isEqualTo("IllegalArgumentException: cnn: 6 pooling blocks halve a 28x28 image"
                        + " to nothing; use at most 4 filters entries");
    }
}
