package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import dev.assay.run.TrialOutcome;
import dev.assay.track.ArtifactRecord;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code autoencoder} architecture trained by the {@code reconstruction} task on 256 bundled
 * Fashion-MNIST images, end to end through SweepRunner and H2; and the mean-image baseline on a
 * hand-computed fixture.
 */
class ReconstructionTrialTest {

    private static final String BASE = """
            name: tiny-ae
            dataset:
              name: fashion-mnist
              params: {limit_train: 256, limit_test: 64, validation_split: 0.25}
            model:
              architecture: autoencoder
              params: {type: dense, hidden: [64], bottleneck: 16}
            task: {name: reconstruction, params: {grid_images: 6}}
            training:
              epochs: 3
              batch_size: 16
              seed: 11
              log_every_n_steps: 2
              optimizer: {name: adam, learning_rate: 5.0e-3}
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
    void denseAutoencoderLowersTheMseAndSavesAGridPerEpoch() throws Exception {
        TrialOutcome outcome = harness.run(BASE).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        String runId = outcome.runId();
        List<Double> trainLoss = harness.values(runId, "train_loss");
        List<Double> valLoss = harness.values(runId, "val_loss");
        assertThat(trainLoss).hasSize(3);
        assertThat(valLoss).hasSize(3);
        assertThat(trainLoss.get(2)).isLessThan(trainLoss.get(0));
        assertThat(valLoss.get(2)).isLessThan(valLoss.get(0));
        assertThat(harness.values(runId, "batch_loss").get(0)).isGreaterThan(trainLoss.get(2));

        double mse = outcome.metrics().get("test_mse");
        double baseline = outcome.metrics().get("test_mse_mean_baseline");
        assertThat(mse).isPositive().isLessThan(baseline);
        assertThat(outcome.metrics().get("test_mse_baseline_ratio"))
                .isCloseTo(baseline / mse, within(1e-9));
        // Fashion-MNIST pixels in [0, 1]: the mean-image MSE is a few hundredths.
        assertThat(baseline).isBetween(0.02, 0.2);

        for (int epoch = 1; epoch <= 3; epoch++) {
            Path png = harness.artifactRoot().resolve(runId)
                    .resolve(String.format("reconstructions/epoch-%03d.png", epoch));
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isEqualTo(6 * 28);
            assertThat(image.getHeight()).isEqualTo(2 * 28);
        }
        RunRecord run = harness.store().run(runId).orElseThrow();
        assertThat(run.artifacts()).extracting(ArtifactRecord::path)
                .contains("reconstructions/epoch-001.png", "reconstructions/epoch-003.png");
        assertThat(harness.store().metricKeys(runId)).contains("test_mse",
                "test_mse_mean_baseline", "test_mse_baseline_ratio", "learning_rate");
    }

    @Test
    void convolutionalDenoisingAutoencoderLowersTheMse() {
        TrialOutcome outcome = harness.run(BASE.replace("{type: dense, hidden: [64], bottleneck: 16}",
                "{type: conv, filters: [4, 8], bottleneck: 16}")
                .replace("{grid_images: 6}", "{grid_images: 4, noise_std: 0.2}")).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        List<Double> valLoss = harness.values(outcome.runId(), "val_loss");
        assertThat(valLoss.get(2)).isLessThan(valLoss.get(0));
        assertThat(Files.exists(harness.artifactRoot().resolve(outcome.runId())
                .resolve("reconstructions/epoch-003.png"))).isTrue();
    }

    @Test
    void imagesBeyondTheSigmoidsReachAreWarnedAbout() {
        // found by a dataset check: normalize: false (pixels 0-255) with the default sigmoid output trained to
        // a test MSE of 13,951 against the mean image's 6,015 without a word
        try (LogCapture log = new LogCapture("dev.assay.tasks")) {
            TrialOutcome outcome = harness.run(BASE.replace("validation_split: 0.25}", "validation_split: 0.25,"
                    + " normalize: false}").replace("epochs: 3", "epochs: 1")).get(0);
            assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).startsWith("Trial 0: the images reach 255.0 but"
                    + " the autoencoder's output_activation sigmoid ends below 1"));
        }
        try (LogCapture log = new LogCapture("dev.assay.tasks")) {
            harness.run(BASE.replace("epochs: 3", "epochs: 1"));
            assertThat(log.warnings()).noneSatisfy(w -> assertThat(w).contains("output_activation sigmoid"));
        }
    }

    @Test
    void anAutoencodersOwnBuildErrorIsReportedAsItIs() {
        // it was wrapped in "outputs = 0 ..., which architecture 'autoencoder' does not support (use
        // 'autoencoder')", telling the user to use the architecture they were using
        TrialOutcome outcome = harness.run(BASE.replace("{type: dense, hidden: [64], bottleneck: 16}",
                "{type: conv, filters: [4, 8, 16], bottleneck: 16}")).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error()).contains("autoencoder type conv: 3 blocks need height and width divisible by 8,"
                + " got 28x28").doesNotContain("does not support");
    }

    @Test
    void explodingLossEndsTheTrialAsDiverged() {
        TrialOutcome outcome = harness.run(BASE.replace("{name: adam, learning_rate: 5.0e-3}",
                "{name: sgd, learning_rate: 1.0e+30}")
                .replace("bottleneck: 16}", "bottleneck: 16, output_activation: none}")).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(harness.store().run(outcome.runId()).orElseThrow().errorMessage())
                .startsWith("the training loss became ");
    }

    @Test
    void anEpochWhoseLossDivergedLeavesNoReconstructionGrid() {
        // batch losses are read only at the epoch's end (12 steps an epoch): the divergence is
        // found there, after the epoch's validation, where the grid used to be drawn from a NaN model
        TrialOutcome outcome = harness.run(BASE.replace("{name: adam, learning_rate: 5.0e-3}",
                "{name: sgd, learning_rate: 1.0e+30}")
                .replace("bottleneck: 16}", "bottleneck: 16, output_activation: none}")
                .replace("log_every_n_steps: 2", "log_every_n_steps: 1000")).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(harness.store().run(outcome.runId()).orElseThrow().errorMessage())
                .contains("epoch 1");
        assertThat(harness.artifactRoot().resolve(outcome.runId())
                .resolve("reconstructions/epoch-001.png")).doesNotExist();
    }

    @Test
    void meanImageBaselineIsTheMseOfPredictingTheTrainingMean() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Two 1x1x2 training images: (0, 2) and (2, 6); mean image (1, 4).
            ArrayDataset train = dataset(manager, new float[] {0, 2, 2, 6}, 2);
            // Test images (1, 4) -> error 0, and (3, 0) -> (2² + 4²) = 20; 4 pixels: 20 / 4 = 5.
            ArrayDataset test = dataset(manager, new float[] {1, 4, 3, 0}, 2);

            assertThat(ImageData.meanImageBaselineMse(train, test, manager))
                    .isCloseTo(5.0, within(1e-6));
            assertThat(ImageData.meanImage(train, manager).toFloatArray())
                    .containsExactly(1f, 4f);
        }
    }

    private static ArrayDataset dataset(NDManager manager, float[] pixels, int n) {
        return new ArrayDataset.Builder()
                .setData(manager.create(pixels, new Shape(n, 1, 1, 2)))
                .optLabels(manager.create(new float[n]))
                .setSampling(1, false)
                .build();
    }
}
