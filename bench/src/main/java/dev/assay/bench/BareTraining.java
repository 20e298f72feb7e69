package dev.assay.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import dev.assay.data.ClassificationData;
import dev.assay.data.LoadedDataset;
import dev.assay.plugin.PluginRegistry;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.RunTracker;
import dev.assay.train.BatchMetric;
import dev.assay.train.DeviceEvaluationTrainingListener;
import dev.assay.train.RecordingLoss;
import dev.assay.train.TrainingProgress;
import dev.assay.train.TrialContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A trial trained by a bare DJL loop: the same data, block, optimizer and batch size as Assay's
 * {@code classification} task builds (through the same providers), a {@link Trainer} with the
 * softmax cross-entropy loss and no training listeners (optionally DJL's own per-batch evaluation,
 * or Assay's per-batch path: device-side metrics and the tracking listener), {@link EasyTrain} for
 * the epochs, and a test pass that counts correct predictions. No run is created and, unless
 * Assay's per-batch path is given a tracker, nothing is logged.
 */
final class BareTraining implements AutoCloseable {

    private final ClassificationData data;
    private final Block block;
    private final Model model;
    private final Trainer trainer;
    private final int batchSize;
    private Iterator<Batch> batches;

    private BareTraining(ClassificationData data, Block block, Model model, Trainer trainer, int batchSize) {
        this.data = data;
        this.block = block;
        this.model = model;
        this.trainer = trainer;
        this.batchSize = batchSize;
    }

    /**
     * Loads the data and builds and initializes the model of a trial, seeding the engine first.
     *
     * @param trial the trial (one of {@link BenchTrials})
     * @param registry the plugins it names
     * @param manager owns the data; closed by the caller after {@link #close()}
     * @param scratch a directory for the (unused) artifact directory
     * @param evaluation the per-batch work to attach: none; DJL's own evaluation, as {@code
     *     TrainingListener.Defaults.basic()} does (an {@link EvaluatorTrainingListener} updating the
     *     loss and an {@link Accuracy} evaluator after every batch, reading each back to the host);
     *     or Assay's per-batch path, as its {@code classification} task attaches it: the loss as a
     *     {@link RecordingLoss}, a {@link DeviceEvaluationTrainingListener} with the loss and
     *     accuracy, and the tracking listener logging to {@code tracker}
     * @param tracker where Assay's tracking listener logs (used by {@link Evaluation#ASSAY_PATH})
     * @return the prepared training
     * @throws IOException if the dataset cannot be read
     * @throws IllegalArgumentException if the trial's dataset is not a classification dataset
     */
    static BareTraining create(TrialSpec trial, PluginRegistry registry, NDManager manager, Path scratch,
            Evaluation evaluation, RunTracker tracker) throws IOException {
        Engine.getInstance().setRandomSeed((int) trial.seed());
        TrialContext ctx = new TrialContext(trial, registry, manager,
                tracker == null ? new NullRunTracker(scratch) : tracker, List.of(), TrainingProgress.NONE);
        LoadedDataset loaded = ctx.loadDataset();
        if (!(loaded instanceof ClassificationData data)) {
            throw new IllegalArgumentException("The benchmark needs a classification dataset, got "
                    + loaded.getClass().getSimpleName() + ".");
        }
        int batchSize = trial.config().training().batchSize();
        Block block = ctx.buildModel(data.sampleShape(), data.numClasses());
        int stepsPerEpoch = (int) Math.ceil(data.train().size() / (double) batchSize);
        Tracker schedule = ctx.learningRateSchedule(stepsPerEpoch);
        Model model = Model.newInstance("bare-" + trial.config().model().name());
        model.setBlock(block);
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        if (evaluation == Evaluation.ASSAY_PATH) {
            loss = new RecordingLoss(loss);
        }
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(ctx.buildOptimizer(schedule));
        switch (evaluation) {
            case DJL -> config.addEvaluator(new Accuracy()).addTrainingListeners(new EvaluatorTrainingListener());
            case ASSAY_PATH -> {
                DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(
                        BatchMetric.meanPerExample(loss), BatchMetric.accuracy("accuracy")));
                config.addTrainingListeners(device, ctx.trackingListener(device, schedule, stepsPerEpoch,
                        Map.of("train_cross_entropy", "train_loss", "train_accuracy", "train_accuracy",
                                "validate_cross_entropy", "val_loss", "validate_accuracy", "val_accuracy"),
                        data.validation() != null, block));
            }
            case NONE -> { }
            default -> throw new IllegalStateException("Unknown evaluation " + evaluation);
        }
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(batchSize).addAll(data.sampleShape()));
        return new BareTraining(data, block, model, trainer, batchSize);
    }

    /** What a bare loop does after each batch besides training (see {@link #create}). */
    enum Evaluation {
        /** Nothing: the plain loop. */
        NONE,
        /** DJL's {@link EvaluatorTrainingListener} with the loss and {@link Accuracy}. */
        DJL,
        /** Assay's per-batch path: device-side loss and accuracy and the tracking listener. */
        ASSAY_PATH
    }

    /** The initialized block (for counting its multiply-adds). */
    Block block() {
        return block;
    }

    /** The input shape the block was initialized with: {@code (batch, sample shape...)}. */
    Shape inputShape() {
        return new Shape(batchSize).addAll(data.sampleShape());
    }

    /**
     * Trains whole epochs with {@link EasyTrain#fit} (training split, then the validation split),
     * then tests.
     *
     * @param epochs the epochs
     * @return the test accuracy (fraction correct)
     * @throws IOException if a batch cannot be read
     * @throws TranslateException if a batch cannot be prepared
     */
    double fitAndTest(int epochs) throws IOException, TranslateException {
        EasyTrain.fit(trainer, epochs, data.train(), data.validation());
        long correct = 0;
        long n = 0;
        for (Batch batch : trainer.iterateDataset(data.test())) {
            try (batch) {
                NDArray logits = trainer.evaluate(batch.getData()).singletonOrThrow();
                NDArray labels = batch.getLabels().singletonOrThrow();
                correct += logits.argMax(1).toType(labels.getDataType(), false).eq(labels.reshape(-1))
                        .countNonzero().getLong();
                n += batch.getSize();
            }
        }
        return n == 0 ? Double.NaN : correct / (double) n;
    }

    /**
     * Trains a number of update steps, cycling through the training split, and waits until the
     * engine has finished them (the MXNet engine runs operators asynchronously).
     *
     * @param steps the update steps
     * @return the samples trained
     * @throws IOException if a batch cannot be read
     * @throws TranslateException if a batch cannot be prepared
     */
    long trainSteps(int steps) throws IOException, TranslateException {
        long samples = 0;
        for (int done = 0; done < steps; done++) {
            try (Batch batch = nextBatch()) {
                EasyTrain.trainBatch(trainer, batch);
                trainer.step();
                samples += batch.getSize();
            }
        }
        sync();
        return samples;
    }

    /**
     * Trains one update step on the next training batch (a new pass over the split starts when
     * the last one ends) and waits until the engine has finished it.
     *
     * @throws IOException if a batch cannot be read
     * @throws TranslateException if a batch cannot be prepared
     */
    void trainOneStep() throws IOException, TranslateException {
        trainSteps(1);
    }

    /**
     * The next training batch: the one after the last batch trained by {@link #trainSteps}, over
     * calls (a new pass over the split starts when the last one ends).
     */
    private Batch nextBatch() throws IOException, TranslateException {
        if (batches == null || !batches.hasNext()) {
            batches = trainer.iterateDataset(data.train()).iterator();
        }
        return batches.next();
    }

    /**
     * Trains one epoch as {@link EasyTrain#fit} does (the training split, then the validation
     * split, then every listener's {@code onEpoch}) and waits until the engine has finished it.
     *
     * @throws IOException if a batch cannot be read
     * @throws TranslateException if a batch cannot be prepared
     */
    void trainOneEpoch() throws IOException, TranslateException {
        EasyTrain.fit(trainer, 1, data.train(), data.validation());
        sync();
    }

    /** Blocks until every queued operator has run, by reading the block's parameters. */
    void sync() {
        NDList params = new NDList();
        block.getParameters().forEach(p -> params.add(p.getValue().getArray()));
        for (NDArray p : params) {
            p.toByteBuffer();
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
