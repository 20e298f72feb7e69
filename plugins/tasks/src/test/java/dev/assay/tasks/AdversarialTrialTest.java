package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.assay.run.TrialOutcome;
import dev.assay.track.ArtifactRecord;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gan} architecture trained by the {@code adversarial} task on 256 bundled
 * Fashion-MNIST images, end to end through SweepRunner and H2.
 */
class AdversarialTrialTest {

    private static final String BASE = """
            name: tiny-gan
            dataset:
              name: fashion-mnist
              params: {limit_train: 256, limit_test: 16, validation_split: 0.0}
            model:
              architecture: gan
              params: {type: mlp, latent_size: 16, generator_hidden: [64],
                       discriminator_hidden: [64]}
            task:
              name: adversarial
              params: {grid_samples: 12, grid_columns: 4, generator_learning_rate: 2.0e-3}
            training:
              epochs: 2
              batch_size: 32
              seed: 5
              log_every_n_steps: 2
              optimizer: {name: adam, learning_rate: 1.0e-3, beta1: 0.5}
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
    void mlpGanKeepsFiniteLossesAndSavesASampleGridPerEpoch() throws Exception {
        TrialOutcome outcome = harness.run(BASE).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        String runId = outcome.runId();
        List<Double> dLoss = harness.values(runId, "d_loss");
        List<Double> gLoss = harness.values(runId, "g_loss");
        // 256 images / 32 = 8 steps per epoch, 16 in all; logged at step 1 and every 2 steps.
        assertThat(harness.store().metric(runId, "d_loss")).extracting(p -> p.step())
                .containsExactly(1L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L);
        assertThat(dLoss).allMatch(Double::isFinite).allMatch(v -> v > 0);
        assertThat(gLoss).allMatch(Double::isFinite).allMatch(v -> v > 0);
        // At the start D cannot tell real from fake: its loss is near 2·ln 2 = 1.386.
        assertThat(dLoss.get(0)).isBetween(1.0, 1.8);
        // D learns quickly on 256 images: its loss falls from the chance level.
        assertThat(dLoss.get(dLoss.size() - 1)).isLessThan(dLoss.get(0));
        List<Double> dReal = harness.values(runId, "d_real");
        List<Double> dFake = harness.values(runId, "d_fake");
        assertThat(dReal).allMatch(v -> v > 0 && v < 1);
        assertThat(dFake).allMatch(v -> v > 0 && v < 1);
        assertThat(dReal.get(dReal.size() - 1)).isGreaterThan(dFake.get(dFake.size() - 1));
        assertThat(harness.values(runId, "epoch_g_loss")).hasSize(2);
        assertThat(outcome.metrics()).containsKeys("epoch_d_loss", "epoch_g_loss");

        for (int epoch = 1; epoch <= 2; epoch++) {
            BufferedImage grid = ImageIO.read(harness.artifactRoot().resolve(runId)
                    .resolve(String.format("samples/epoch-%03d.png", epoch)).toFile());
            assertThat(grid.getWidth()).isEqualTo(4 * 28);
            assertThat(grid.getHeight()).isEqualTo(3 * 28);
        }
        RunRecord run = harness.store().run(runId).orElseThrow();
        assertThat(run.artifacts()).extracting(ArtifactRecord::path)
                .containsExactly("checkpoints/epoch-0002/checkpoint.json",
                        "checkpoints/epoch-0002/discriminator-0002.params",
                        "checkpoints/epoch-0002/generator-0002.params",
                        "samples/epoch-001.png", "samples/epoch-002.png");
    }

    @Test
    void stepValuesReadInGroupsGiveTheSameEpochMeansAsReadingEveryStep() {
        TrialOutcome everyStep = harness.run(BASE.replace("log_every_n_steps: 2", "log_every_n_steps: 1")).get(0);
        TrialOutcome everyThird = harness.run(BASE.replace("log_every_n_steps: 2", "log_every_n_steps: 3")).get(0);
        assertThat(everyStep.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(everyThird.status()).isEqualTo(RunStatus.COMPLETED);

        // every step logged: 8 a epoch; the epoch means are the means of those values
        List<Double> dLoss = harness.values(everyStep.runId(), "d_loss");
        List<Double> gLoss = harness.values(everyStep.runId(), "g_loss");
        assertThat(dLoss).hasSize(16);
        for (int epoch = 0; epoch < 2; epoch++) {
            double d = dLoss.subList(8 * epoch, 8 * epoch + 8).stream().mapToDouble(Double::doubleValue).average()
                    .orElseThrow();
            double g = gLoss.subList(8 * epoch, 8 * epoch + 8).stream().mapToDouble(Double::doubleValue).average()
                    .orElseThrow();
            assertThat(harness.values(everyStep.runId(), "epoch_d_loss").get(epoch)).isCloseTo(d, within(1e-6));
            assertThat(harness.values(everyStep.runId(), "epoch_g_loss").get(epoch)).isCloseTo(g, within(1e-6));
        }
        // read at steps 1, 3, 6, 8 (epoch end), 9, 12, 15, 16: logged at 1 and every 3 steps, at
        // their own steps, with the same values and epoch means as the run that read every step
        assertThat(harness.store().metric(everyThird.runId(), "d_loss")).extracting(p -> p.step())
                .containsExactly(1L, 3L, 6L, 9L, 12L, 15L);
        List<Double> third = harness.values(everyThird.runId(), "d_loss");
        int[] steps = {1, 3, 6, 9, 12, 15};
        for (int i = 0; i < steps.length; i++) {
            assertThat(third.get(i)).as("step %d", steps[i]).isCloseTo(dLoss.get(steps[i] - 1), within(1e-6));
        }
        assertThat(harness.values(everyThird.runId(), "epoch_d_loss"))
                .usingElementComparator((a, b) -> Math.abs(a - b) < 1e-6 ? 0 : Double.compare(a, b))
                .isEqualTo(harness.values(everyStep.runId(), "epoch_d_loss"));
    }

    @Test
    void dcganTrainsWithFiniteLosses() {
        TrialOutcome outcome = harness.run(BASE.replace("type: mlp", "type: dcgan, filters: 8")
                .replace("epochs: 2", "epochs: 1")).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        List<Double> dLoss = harness.values(outcome.runId(), "d_loss");
        assertThat(dLoss).hasSize(5).allMatch(Double::isFinite);
        assertThat(dLoss.get(4)).isLessThan(dLoss.get(0));
        assertThat(harness.values(outcome.runId(), "g_loss")).allMatch(Double::isFinite);
    }

    @Test
    void aNonAdversarialArchitectureIsRefusedWhenTheFileIsReadNamingTheOneThatFits() {
        String mlp = BASE.substring(0, BASE.indexOf("model:")) + "model: {architecture: mlp}\n"
                + BASE.substring(BASE.indexOf("task:"));
        // before: every trial loaded its data, then failed ("task 'adversarial' needs an architecture ...")
        assertThatThrownBy(() -> harness.run(mlp)).isInstanceOf(dev.assay.spec.SpecException.class)
                .hasMessageContaining("model.architecture: task 'adversarial' trains a model of type"
                        + " AdversarialNetworks, but architecture 'mlp' builds SequentialBlock; architectures"
                        + " that build one: gan");
        assertThat(harness.store().experiments()).isEmpty();
    }

    @Test
    void anEarlyStoppedGanReturnsItsLastEpochsMeansAndSamples() {
        // found by a new-user check: the trial ended "-> completed" with no metrics on its summary line
        TrialOutcome outcome = harness.run(BASE.replace("epochs: 2", "epochs: 6") + """
                  early_stopping: {monitor: epoch_d_loss, patience: 1, min_delta: 100.0}
                """).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        RunRecord run = harness.store().run(outcome.runId()).orElseThrow();
        assertThat(run.tags()).containsEntry("early_stopped_epoch", "2"); // no epoch improves by 100
        assertThat(outcome.metrics()).containsOnlyKeys("epoch_d_loss", "epoch_g_loss", "epoch_d_real", "epoch_d_fake");
        for (String metric : outcome.metrics().keySet()) {
            assertThat(harness.values(outcome.runId(), metric)).hasSize(2).last().isEqualTo(outcome.metrics().get(metric));
        }
        assertThat(harness.artifactRoot().resolve(outcome.runId()).resolve("samples/epoch-002.png")).isRegularFile();
    }

    @Test
    void explodingLossesEndTheTrialAsDiverged() {
        TrialOutcome outcome = harness.run(BASE.replace("{name: adam, learning_rate: 1.0e-3, beta1: 0.5}",
                "{name: sgd, learning_rate: 1.0e+30}").replace("generator_learning_rate: 2.0e-3",
                "generator_learning_rate: 0.0")).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.DIVERGED);
        RunRecord run = harness.store().run(outcome.runId()).orElseThrow();
        assertThat(run.errorMessage()).startsWith("the GAN losses became d_loss ");
        // found at a later read, but named and logged at its own step; every step before it finite
        List<dev.assay.track.MetricPoint> points = harness.store().metric(outcome.runId(), "d_loss");
        long at = points.get(points.size() - 1).step();
        assertThat(run.errorMessage()).endsWith(" at step " + at + " (epoch " + points.get(points.size() - 1).epoch()
                + ")");
        assertThat(points.subList(0, points.size() - 1)).allSatisfy(p -> assertThat(p.value()).isFinite());
        List<Double> dLoss = harness.values(outcome.runId(), "d_loss");
        List<Double> gLoss = harness.values(outcome.runId(), "g_loss");
        assertThat(Double.isFinite(dLoss.get(dLoss.size() - 1))
                && Double.isFinite(gLoss.get(gLoss.size() - 1))).isFalse();
    }

    @Test
    void aValidationSplitThatTheGanDoesNotUseIsWarnedAbout() {
        try (LogCapture log = new LogCapture("dev.assay.tasks")) {
            assertThat(AdversarialTask.warnIfHeldOut(256, 0)).isFalse();
            assertThat(AdversarialTask.warnIfHeldOut(900, 100)).isTrue();
            assertThat(log.warnings()).containsExactly("adversarial: the dataset holds out 100 of its 1000 training"
                    + " images for validation, which a GAN does not use, so it trains on 900; set"
                    + " dataset.params.validation_split: 0 to train on all of them");
        }
    }
}
