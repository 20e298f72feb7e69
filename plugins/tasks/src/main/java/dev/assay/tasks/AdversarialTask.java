package dev.assay.tasks;

import static dev.assay.plugin.ParamType.DOUBLE;
import static dev.assay.plugin.ParamType.INT;

import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.assay.data.LoadedDataset;
import dev.assay.plugin.MetricKind;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.plugin.TaskProvider;
import dev.assay.spec.OptimizerSpec;
import dev.assay.train.AdversarialNetworks;
import dev.assay.train.LearningRateSchedules;
import dev.assay.train.TrialContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adversarial training of a GAN (Goodfellow et al. 2014, "Generative Adversarial Nets"). The
 * architecture must build a block implementing {@link AdversarialNetworks} (e.g. {@code gan}); its
 * generator G and discriminator D become two DJL models, each with its own trainer and its own
 * optimizer. Both optimizers are of the kind named in {@code training.optimizer} (with its
 * parameters, e.g. {@code {name: adam, beta1: 0.5}} as in DCGAN, weight decay, clipping and
 * schedule); their learning rates are this task's {@code generator_learning_rate} and {@code
 * discriminator_learning_rate} (0 = {@code training.optimizer.learning_rate}), so the two
 * networks can run at different rates (Heusel et al. 2017, two time-scale update rule). {@code
 * training.regularization} is not applied (a warning is logged when set). Dataset labels are
 * ignored; only the training split is used.
 *
 * <p>Each step, on a batch of real images x (batch, channels, height, width) and Gaussian latents
 * z ~ N(0, I) of shape (batch, latent_size):
 * <ol>
 *   <li>D step: {@code L_D = BCE(D(x), 1) + BCE(D(stopGradient(G(z))), 0)}, each term the mean
 *       binary cross-entropy on logits; one backward pass for the sum (MXNet overwrites
 *       gradients on each backward, so the two terms are not back-propagated separately); then
 *       only D's parameters are updated.</li>
 *   <li>G step with fresh z: the non-saturating loss {@code L_G = BCE(D(G(z)), 1) = -mean(log
 *       σ(D(G(z))))} (Goodfellow et al. 2014, §3), which gives G strong gradients early when D
 *       rejects its samples; only G's parameters are updated.</li>
 * </ol>
 *
 * <p>Metrics, at step 1 and every {@code training.log_every_n_steps} steps: {@code d_loss} and
 * {@code g_loss} (nats), {@code d_real} (mean D(x), the probability D gives real images) and
 * {@code d_fake} (mean D(G(z)) in the D step). Per epoch: {@code epoch_d_loss}, {@code
 * epoch_g_loss}, {@code epoch_d_real}, {@code epoch_d_fake} (means over the epoch's steps),
 * {@code epoch_time_s} and {@code samples_per_s}. A NaN or infinite loss is logged and ends the
 * trial as diverged.
 *
 * <p>Artifacts: after every epoch {@code samples/epoch-NNN.png}, G's output (inference mode) for
 * one fixed latent batch of {@code grid_samples} vectors drawn from {@code new
 * Random(seed)}, laid out {@code grid_columns} per row (see {@link ImageGrid}), so epochs are
 * comparable image by image.
 */
public final class AdversarialTask implements TaskProvider {

    private static final Map<String, MetricKind> METRICS = MetricKind.declare(List.of("d_loss", "g_loss", "d_real", "d_fake"),
                List.of("epoch_d_loss", "epoch_g_loss", "epoch_d_real", "epoch_d_fake", "epoch_time_s",
                    "samples_per_s"),
                List.of());


    private static final Logger LOG = LoggerFactory.getLogger(AdversarialTask.class);

    private static final String NEEDS = "task 'adversarial' needs an architecture that builds a"
            + " generator and a discriminator (a block implementing AdversarialNetworks), such as"
            + " 'gan'";

    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("generator_learning_rate", DOUBLE, 0.0, "learning rate of the"
                    + " generator's optimizer; 0 = training.optimizer.learning_rate").range(0, 10),
            ParamDescriptor.of("discriminator_learning_rate", DOUBLE, 0.0, "learning rate of the"
                    + " discriminator's optimizer; 0 = training.optimizer.learning_rate")
                    .range(0, 10),
            ParamDescriptor.of("grid_samples", INT, 64L,
                    "samples from the fixed latent batch in each epoch's PNG").range(1, 256),
            ParamDescriptor.of("grid_columns", INT, 8L, "samples per row of the PNG")
                    .range(1, 64));

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
     * Trains a generator and a discriminator.
     *
     * @return {@link dev.assay.train.AdversarialNetworks}
     */
    @Override
    public Class<?> blockType() {
        return dev.assay.train.AdversarialNetworks.class;
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
        return "adversarial training of a GAN (non-saturating loss); sample grid per epoch";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Trains one GAN trial.
     *
     * @param params the optimizer settings and grid size above
     * @param ctx the trial
     * @return the last epoch's {@code epoch_d_loss}, {@code epoch_g_loss}, {@code epoch_d_real},
     *     {@code epoch_d_fake}
     * @throws IllegalArgumentException if the architecture is not adversarial or the dataset's
     *     batches do not hold one image array
     * @throws TrainingDivergedException if either loss becomes NaN or infinite
     * @throws Exception if loading, training or writing a grid fails
     */
    /**
     * Warns that a validation split holds out images the task never trains on: a GAN has no
     * validation pass, and Fashion-MNIST's default {@code validation_split} of 0.1 silently left a
     * tenth of the images out (found by a helper session; {@code experiments/fashion-mnist-gan.yaml}
     * sets 0 by hand).
     *
     * @param train the training images
     * @param validation the images held out for validation (0 for none)
     * @return whether it warned
     */
    static boolean warnIfHeldOut(long train, long validation) {
        if (validation <= 0) {
            return false;
        }
        LOG.warn("adversarial: the dataset holds out {} of its {} training images for validation, which a GAN"
                + " does not use, so it trains on {}; set dataset.params.validation_split: 0 to train on all of them",
                validation, train + validation, train);
        return true;
    }

    @Override
    public Map<String, Double> run(Params params, TrialContext ctx) throws Exception {
        LoadedDataset data = ctx.loadDataset();
        warnIfHeldOut(data.train().size(), data.validation() == null ? 0 : data.validation().size());
        Shape sample = ImageData.sampleShape(data, ctx.manager());
        AdversarialNetworks gan = adversarial(build(sample, ctx), ctx);
        int batchSize = ctx.config().training().batchSize();
        long stepsPerEpoch = (data.train().size() + batchSize - 1) / batchSize;
        if (!ctx.penalty().isZero()) {
            LOG.warn("adversarial: training.regularization is not applied to GANs; ignoring it");
        }
        Loss bce = Loss.sigmoidBinaryCrossEntropyLoss("bce");
        try (Model gModel = Model.newInstance("generator");
                Model dModel = Model.newInstance("discriminator")) {
            gModel.setBlock(gan.generator());
            dModel.setBlock(gan.discriminator());
            Optimizer gOpt = optimizer(ctx, params.getDouble("generator_learning_rate"),
                    stepsPerEpoch);
            Optimizer dOpt = optimizer(ctx, params.getDouble("discriminator_learning_rate"),
                    stepsPerEpoch);
            try (Trainer g = gModel.newTrainer(config(bce, gOpt));
                    Trainer d = dModel.newTrainer(config(bce, dOpt))) {
                int epochsDone = ctx.checkpoints().restore(gModel, dModel);
                g.initialize(new Shape(batchSize, gan.latentSize()));
                d.initialize(new Shape(batchSize).addAll(sample));
                ctx.checkpoints().restoreOptimizers(g.getManager(), gModel, dModel);
                NDArray fixed = fixedLatents(params.getInt("grid_samples"), gan.latentSize(),
                        ctx.trial().seed(), ctx.manager());
                AdversarialLoop loop = new AdversarialLoop(g, d, bce, gan.latentSize(), ctx,
                        stepsPerEpoch, epochsDone);
                return loop.fit(data.train(), fixed, params.getInt("grid_columns"));
            }
        }
    }

    private static Block build(Shape sample, TrialContext ctx) {
        try {
            return ctx.buildModel(sample, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NEEDS + "; architecture '"
                    + ctx.config().model().name() + "' failed to build with outputs = 0: "
                    + e.getMessage(), e);
        }
    }

    private static AdversarialNetworks adversarial(Block block, TrialContext ctx) {
        if (block instanceof AdversarialNetworks a) {
            return a;
        }
        throw new IllegalArgumentException(NEEDS + "; architecture '"
                + ctx.config().model().name() + "' built a " + block.getClass().getSimpleName());
    }

    private static DefaultTrainingConfig config(Loss loss, Optimizer optimizer) {
        return new DefaultTrainingConfig(loss).optOptimizer(optimizer);
    }

    /**
     * Builds one network's optimizer: the provider named in {@code training.optimizer} with its
     * parameters (e.g. Adam's {@code beta1}), weight decay and clipping, and the optimizer's
     * schedule started from {@code learningRate} (or {@code training.optimizer.learning_rate}
     * when it is 0). Each call returns a new optimizer with its own state.
     */
    private static Optimizer optimizer(TrialContext ctx, double learningRate, long stepsPerEpoch) {
        OptimizerSpec o = ctx.config().training().optimizer();
        double rate = learningRate > 0 ? learningRate : o.learningRate();
        return ctx.buildOptimizer(LearningRateSchedules.build(o.schedule(), rate,
                (int) stepsPerEpoch, ctx.config().training().epochs()));
    }

    /** {@code n} latent vectors from N(0, I), drawn with {@code new Random(seed)}: (n, latent). */
    private static NDArray fixedLatents(int n, int latent, long seed, NDManager manager) {
        Random random = new Random(seed);
        float[] z = new float[n * latent];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return manager.create(z, new Shape(n, latent));
    }

    /** Per-step results: losses in nats, mean discriminator probabilities. */
    record StepResult(double dLoss, double gLoss, double dReal, double dFake) {}

    /** Converts step results to the returned map. */
    static Map<String, Double> summary(double[] epochMeans) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("epoch_d_loss", epochMeans[0]);
        out.put("epoch_g_loss", epochMeans[1]);
        out.put("epoch_d_real", epochMeans[2]);
        out.put("epoch_d_fake", epochMeans[3]);
        return out;
    }

    /** Throws if a loss is not finite. */
    static void checkFinite(StepResult r, long step, int epoch) {
        if (!Double.isFinite(r.dLoss()) || !Double.isFinite(r.gLoss())) {
            throw new TrainingDivergedException("the GAN losses became d_loss " + r.dLoss()
                    + ", g_loss " + r.gLoss() + " at step " + step + " (epoch " + epoch + ")");
        }
    }

    /**
     * Returns a batch's real images.
     *
     * @param batch a training batch
     * @return its images {@code (batch, channels, height, width)}
     * @throws IllegalArgumentException if the batch does not hold exactly one data array
     */
    static NDArray real(Batch batch) {
        return ImageData.images(batch);
    }
}
