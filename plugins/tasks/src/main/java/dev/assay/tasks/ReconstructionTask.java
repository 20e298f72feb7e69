package dev.assay.tasks;

import static dev.assay.plugin.ParamType.DOUBLE;
import static dev.assay.plugin.ParamType.INT;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import dev.assay.data.LoadedDataset;
import dev.assay.plugin.MetricKind;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.plugin.TaskProvider;
import dev.assay.train.BatchMetric;
import dev.assay.train.DeviceEvaluationTrainingListener;
import dev.assay.train.RecordingLoss;
import dev.assay.train.TrackingTrainingListener;
import dev.assay.train.TrainingLoop;
import dev.assay.train.TrialContext;
import dev.assay.train.WeightPenalty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reconstruction (autoencoders): the model maps an input image {@code x} of shape {@code (batch,
 * channels, height, width)} to a reconstruction of the same shape, trained to minimize the mean
 * squared error {@code mean((x̂ - x)²)} over all pixels. Labels of the dataset are ignored. The
 * model is built with {@code outputs = 0}, which architectures read as "same shape as the input"
 * (see the {@code autoencoder} architecture).
 *
 * <p>Denoising (Vincent et al. 2008, "Extracting and composing robust features with denoising
 * autoencoders"): with {@code noise_std > 0} each training input becomes {@code x + N(0,
 * noise_std²)} (not clipped) while the target stays the clean {@code x}; validation and test
 * inputs are never corrupted.
 *
 * <p>Metrics: {@code batch_loss} (training MSE, on noisy inputs when denoising) every
 * {@code training.log_every_n_steps} steps and {@code learning_rate}; per epoch {@code train_loss}
 * and {@code val_loss} (MSE per pixel), {@code epoch_time_s}, {@code samples_per_s}, and with a
 * weight penalty {@code penalty}, {@code train_objective}; at the end {@code test_mse} (MSE per
 * pixel over the test split), {@code test_mse_mean_baseline} (the MSE of predicting the mean
 * training image for every test image) and {@code test_mse_baseline_ratio} (baseline / test_mse;
 * higher is better). A NaN or infinite loss ends the trial as diverged.
 *
 * <p>Artifacts: after every epoch {@code reconstructions/epoch-NNN.png} in the run's artifact
 * directory: the first {@code grid_images} test images in the top row and their reconstructions
 * in the row below ({@code grid_images·width} × {@code 2·height} pixels; see {@link ImageGrid}).
 */
public final class ReconstructionTask implements TaskProvider {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReconstructionTask.class);

    private static final Map<String, MetricKind> METRICS = MetricKind.declare(List.of("batch_loss", "learning_rate"),
                List.of("train_loss", "val_loss", "penalty", "train_objective", "epoch_time_s",
                    "samples_per_s"),
                List.of("test_mse", "test_mse_mean_baseline", "test_mse_baseline_ratio"));


    private static final Map<String, String> EPOCH_METRICS =
            Map.of("train_mse", "train_loss", "validate_mse", "val_loss");

    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("noise_std", DOUBLE, 0.0, "denoising: standard deviation of the"
                    + " Gaussian noise added to training inputs (0 = plain autoencoder)")
                    .range(0, 10),
            ParamDescriptor.of("grid_images", INT, 8L, "test images shown in the per-epoch"
                    + " reconstruction PNG").range(1, 64));

    /**
     * The metrics listed in the class comment.
     *
     * @return name → when it is logged
     */
    @Override
    public Map<String, MetricKind> metrics() {
        return METRICS;
    }

    /**
     * Trains an autoencoder: a block that maps an image to an image ({@link
     * dev.assay.train.ReconstructionModel}); every other architecture failed its trial after loading
     * its data (an mlp or lstm "does not support outputs = 0").
     *
     * @return {@link dev.assay.train.ReconstructionModel}
     */
    @Override
    public Class<?> blockType() {
        return dev.assay.train.ReconstructionModel.class;
    }

    /**
     * Trains on images (the image datasets load them with their classes, which it ignores).
     *
     * @return {@link dev.assay.data.ClassificationData}
     */
    @Override
    public Class<? extends dev.assay.data.LoadedDataset> dataType() {
        return dev.assay.data.ClassificationData.class;
    }

    @Override
    public String description() {
        return "reconstruction (autoencoders): MSE, optional denoising; test MSE vs mean image";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Trains and tests one trial.
     *
     * @param params {@code noise_std}, {@code grid_images}
     * @param ctx the trial
     * @return {@code test_mse}, {@code test_mse_mean_baseline}, {@code test_mse_baseline_ratio}
     * @throws IllegalArgumentException if the dataset's samples are not one array each
     * @throws ai.djl.TrainingDivergedException if the loss becomes NaN or infinite
     * @throws Exception if loading, training or writing an artifact fails
     */
    @Override
    public Map<String, Double> run(Params params, TrialContext ctx) throws Exception {
        LoadedDataset data = ctx.loadDataset();
        Shape sample = ImageData.sampleShape(data, ctx.manager());
        Block block = build(sample, ctx);
        int batchSize = ctx.config().training().batchSize();
        int epochs = ctx.config().training().epochs();
        int stepsPerEpoch = (int) Math.ceil(data.train().size() / (double) batchSize);
        try (Model model = Model.newInstance("trial-" + ctx.trial().index())) {
            model.setBlock(block);
            Tracker schedule = ctx.learningRateSchedule(stepsPerEpoch);
            Loss loss = new RecordingLoss(Loss.l2Loss("mse", 1f));
            DeviceEvaluationTrainingListener evaluation = new DeviceEvaluationTrainingListener(
                    List.of(BatchMetric.meanPerExample(loss)));
            WeightPenalty penalty = ctx.penalty();
            TrackingTrainingListener tracking = ctx.trackingListener(evaluation, schedule,
                    stepsPerEpoch, EPOCH_METRICS, data.validation() != null, block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(ctx.buildOptimizer(schedule))
                    .addTrainingListeners(evaluation, tracking);
            try (Trainer trainer = model.newTrainer(config)) {
                TrainingLoop loop = TrainingLoop.start(trainer, penalty, ctx.checkpoints(),
                        new Shape(batchSize).addAll(sample));
                NDArray shown = ImageData.firstImages(data.test(), params.getInt("grid_images"),
                        ctx.manager());
                warnIfOutOfReach(shown, ctx);
                NDList weights = penalty.isZero() ? new NDList() : WeightPenalty.weights(block);
                for (int epoch = loop.firstEpoch(); epoch <= epochs; epoch++) {
                    trainEpoch(trainer, loop, data.train(), params.getDouble("noise_std"), penalty,
                            weights);
                    validate(trainer, data.validation());
                    boolean goOn;
                    try (NDManager grid = shown.getManager().newSubManager()) {
                        // drawn with this epoch's weights, before endEpoch may restore the best
                        // epoch's (restore_best_weights); written after it, whose check of the
                        // loss throws if it diverged: no grid of a NaN model
                        NDArray both = reconstructions(trainer, shown, grid);
                        goOn = loop.endEpoch(epoch);
                        writeGrid(both, shown, ctx.tracker().artifactDir(), epoch);
                    }
                    if (!goOn) {
                        break;
                    }
                }
                return test(trainer, data, ctx, tracking);
            }
        }
    }

    /** The architecture built for reconstruction. */
    private static final String AUTOENCODER = "autoencoder";

    private static Block build(Shape sample, TrialContext ctx) {
        try {
            return ctx.buildModel(sample, 0);
        } catch (IllegalArgumentException e) {
            if (AUTOENCODER.equals(ctx.config().model().name())) {
                throw e; // its own message says what is wrong (a size, an engine); the hint below misled
            }
            throw new IllegalArgumentException("task 'reconstruction' builds its model with outputs"
                    + " = 0 (\"same shape as the input\"), which architecture '"
                    + ctx.config().model().name() + "' does not support (use 'autoencoder'): "
                    + e.getMessage(), e);
        }
    }

    private static void trainEpoch(Trainer trainer, TrainingLoop loop, Dataset train,
            double noiseStd, WeightPenalty penalty, NDList weights) throws Exception {
        for (Batch batch : trainer.iterateDataset(train)) {
            try (batch; Batch pair = targetIsInput(batch, noiseStd)) {
                EasyTrain.trainBatch(trainer, pair);
                penalty.addGradients(weights);
                trainer.step();
                loop.stepDone();
            }
        }
    }

    private static void validate(Trainer trainer, Dataset validation) throws Exception {
        if (validation == null) {
            return;
        }
        for (Batch batch : trainer.iterateDataset(validation)) {
            try (batch; Batch pair = targetIsInput(batch, 0)) {
                EasyTrain.validateBatch(trainer, pair);
            }
        }
    }

    /**
     * Makes a batch whose label is its clean input and whose data is the input, plus Gaussian
     * noise when {@code noiseStd > 0}; it owns a sub-manager of {@code batch}'s, so close it first.
     */
    private static Batch targetIsInput(Batch batch, double noiseStd) {
        NDArray x = ImageData.images(batch);
        NDManager m = batch.getManager().newSubManager();
        NDArray input = noiseStd > 0
                ? x.add(m.randomNormal(0f, (float) noiseStd, x.getShape(), x.getDataType())) : x;
        return new Batch(m, new NDList(input), new NDList(x), batch.getSize(), Batchifier.STACK,
                Batchifier.STACK, batch.getProgress(), batch.getProgressTotal());
    }

    /** The shown images above their reconstructions by the model's current weights, in {@code m}. */
    private static NDArray reconstructions(Trainer trainer, NDArray shown, NDManager m) {
        NDArray input = shown.duplicate();
        input.attach(m);
        NDArray reconstruction = trainer.evaluate(new NDList(input)).singletonOrThrow();
        return input.concat(reconstruction, 0);
    }

    private static void writeGrid(NDArray both, NDArray shown, Path dir, int epoch) throws IOException {
        ImageGrid.write(both, (int) shown.getShape().get(0),
                dir.resolve(String.format(Locale.ROOT, "reconstructions/epoch-%03d.png", epoch)));
    }

    private static Map<String, Double> test(Trainer trainer, LoadedDataset data,
            TrialContext ctx, TrackingTrainingListener tracking) throws Exception {
        double squaredError = 0;
        long pixels = 0;
        for (Batch batch : trainer.iterateDataset(data.test())) {
            try (batch) {
                NDArray x = ImageData.images(batch);
                NDArray reconstruction = trainer.evaluate(new NDList(x)).singletonOrThrow();
                squaredError += reconstruction.sub(x).square().sum().getFloat();
                pixels += x.size();
            }
        }
        double mse = squaredError / pixels;
        double baseline = ImageData.meanImageBaselineMse(data.train(), data.test(), ctx.manager());
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("test_mse", mse);
        out.put("test_mse_mean_baseline", baseline);
        out.put("test_mse_baseline_ratio", baseline / mse);
        int lastEpoch = tracking.epoch() - 1;
        ctx.tracker().logMetrics(out, tracking.step(), lastEpoch);
        return out;
    }

    /**
     * Warns when the images reach beyond what the autoencoder's output activation can produce: a
     * sigmoid ends in (0, 1), and with {@code dataset.params.normalize: false} the targets are 0-255
     * (a helper's run trained on to a test MSE of 13,951 against the mean image's 6,015 without a word).
     */
    private static void warnIfOutOfReach(NDArray images, TrialContext ctx) {
        dev.assay.plugin.Params model = ctx.config().model().params();
        boolean sigmoid = model.asMap().containsKey("output_activation")
                && "sigmoid".equals(model.getString("output_activation"));
        float top = images.max().getFloat();
        if (sigmoid && top > 1f) {
            LOG.warn("Trial {}: the images reach {} but the autoencoder's output_activation sigmoid ends below 1, so"
                    + " no reconstruction can match them; set dataset.params.normalize: true (pixels in [0, 1]) or"
                    + " model.params.output_activation: none", ctx.trial().index(), top);
        }
    }
}
