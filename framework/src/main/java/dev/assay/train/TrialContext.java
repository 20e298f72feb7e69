package dev.assay.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.assay.data.DataTags;
import dev.assay.data.DatasetContext;
import dev.assay.data.LoadedDataset;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.MetricKind;
import dev.assay.plugin.OptimizerProvider;
import dev.assay.plugin.OptimizerSettings;
import dev.assay.plugin.PluginKind;
import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.TaskProvider;
import dev.assay.spec.OptimizerSpec;
import dev.assay.spec.TrialConfig;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.RunTracker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a task needs to train one trial: the resolved configuration and seed, factories for
 * the data, model and optimizer named in the spec, the loss penalty, the tracker and progress
 * callbacks. Made by the trial runner; one per trial.
 */
public final class TrialContext {

    private final TrialSpec trial;
    private final PluginRegistry registry;
    private final NDManager manager;
    private final RunTracker tracker;
    private final List<Path> dataDirs;
    private final TrainingProgress progress;
    private final Checkpoints checkpoints;

    /**
     * Creates the context without checkpoints.
     *
     * @param trial the trial to train
     * @param registry the providers named in its configuration
     * @param manager the trial's NDManager, closed by the runner after the task returns
     * @param tracker the run's tracker
     * @param dataDirs directories searched first for data files
     * @param progress progress callbacks
     */
    public TrialContext(
            TrialSpec trial,
            PluginRegistry registry,
            NDManager manager,
            RunTracker tracker,
            List<Path> dataDirs,
            TrainingProgress progress) {
        this(trial, registry, manager, tracker, dataDirs, progress, Checkpoints.disabled());
    }

    /**
     * Creates the context.
     *
     * @param trial the trial to train
     * @param registry the providers named in its configuration
     * @param manager the trial's NDManager, closed by the runner after the task returns
     * @param tracker the run's tracker
     * @param dataDirs directories searched first for data files
     * @param progress progress callbacks
     * @param checkpoints the trial's per-epoch checkpoints, possibly one to continue from
     */
    public TrialContext(
            TrialSpec trial,
            PluginRegistry registry,
            NDManager manager,
            RunTracker tracker,
            List<Path> dataDirs,
            TrainingProgress progress,
            Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
        this.trial = trial;
        this.registry = registry;
        this.manager = manager;
        this.tracker = tracker;
        this.dataDirs = List.copyOf(dataDirs);
        this.progress = progress;
    }

    /**
     * Returns the trial.
     *
     * @return the trial spec
     */
    public TrialSpec trial() {
        return trial;
    }

    /**
     * Returns the trial's resolved configuration.
     *
     * @return the configuration
     */
    public TrialConfig config() {
        return trial.config();
    }

    /**
     * Returns the trial's NDManager.
     *
     * @return the manager
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * Returns the run's tracker.
     *
     * @return the tracker
     */
    public RunTracker tracker() {
        return tracker;
    }

    /**
     * Returns the trial's checkpoints: tasks that train with {@link TrainingLoop#start} save one
     * per epoch and continue from {@link Checkpoints#resumePoint()} when the runner continues an
     * interrupted run.
     *
     * @return the checkpoints (disabled when the runner keeps none)
     */
    public Checkpoints checkpoints() {
        return checkpoints;
    }

    /**
     * Returns the progress callbacks.
     *
     * @return the progress
     */
    public TrainingProgress progress() {
        return progress;
    }

    /**
     * Loads the dataset named in {@code dataset.name}, batched with {@code training.batch_size}
     * and split with the trial seed, and records its source as run tags ({@code data.source},
     * {@code data.location}, {@code data.fingerprint}, sample counts).
     *
     * @return the splits
     * @throws IOException if the provider cannot find or read the data
     * @throws IllegalArgumentException if the training split is empty, or the test split is and the
     *     task reports test metrics
     * @throws IllegalStateException if the provider returns null
     */
    public LoadedDataset loadDataset() throws IOException {
        DatasetProvider provider = registry.get(PluginKind.DATASET, config().dataset().name());
        DatasetContext ctx = new DatasetContext(
                manager, config().training().batchSize(), trial.seed(), dataDirs);
        LoadedDataset data = provider.load(config().dataset().params(), ctx);
        String name = config().dataset().name();
        if (data == null) {
            // was "NullPointerException: Cannot invoke ... because "data" is null", naming no provider
            throw new IllegalStateException("Dataset '" + name + "' (" + provider.getClass().getName()
                    + ") returned no data: its load() returned null");
        }
        if (data.train() == null || data.train().size() == 0) {
            // a trial with no training batch ran to "completed" with NaN training metrics
            // "less the validation split" misled for WikiText, which has none (3 tokens made no batch of 4)
            throw new IllegalArgumentException("Dataset '" + name + "' has no training examples (read "
                    + data.source().trainSamples() + " from " + data.source().location() + "; none is left once a"
                    + " validation split, where the dataset has one, is held out and examples are formed, e.g."
                    + " sequences for batches of " + config().training().batchSize() + "); check its files and its"
                    + " size and split parameters (`assay plugins --kind dataset`).");
        }
        if (data.source().testSamples() == 0 && testsOnTheTestSplit()) {
            // an empty test file was found only after every epoch had trained
            throw new IllegalArgumentException("Dataset '" + name + "' has no test examples (from "
                    + data.source().location() + "), which task '" + config().task().name() + "' is scored on;"
                    + " check its test file and its size and split parameters.");
        }
        tracker.setTag(DataTags.SOURCE, data.source().kind());
        tracker.setTag(DataTags.LOCATION, data.source().location());
        tracker.setTag(DataTags.FINGERPRINT, data.source().fingerprint());
        tracker.setTag(DataTags.TRAIN_SAMPLES, String.valueOf(data.source().trainSamples()));
        tracker.setTag(DataTags.TEST_SAMPLES, String.valueOf(data.source().testSamples()));
        return data;
    }

    /** Whether the trial's task reports metrics of the test split ({@code test_*} after training). */
    private boolean testsOnTheTestSplit() {
        TaskProvider task = registry.get(PluginKind.TASK, config().task().name());
        return task.metrics().entrySet().stream()
                .anyMatch(e -> e.getValue() == MetricKind.FINAL && e.getKey().startsWith("test_"));
    }

    /**
     * Builds the architecture named in {@code model.architecture}.
     *
     * @param sampleShape one input sample's shape without the batch axis, e.g. {@code (1, 28, 28)}
     *     for Fashion-MNIST images, {@code (length)} for token ids
     * @param outputs the output size (classes, vocabulary size)
     * @return an uninitialized block mapping {@code (batch, sampleShape...)} to {@code (batch,
     *     outputs)} (sequence models: as their provider documents)
     * @throws IllegalStateException if the provider returns null, or fails with a message that does
     *     not name it (the message then does; an {@link IllegalArgumentException} stays one)
     */
    public Block buildModel(Shape sampleShape, int outputs) {
        ArchitectureProvider provider =
                registry.get(PluginKind.ARCHITECTURE, config().model().name());
        return built("architecture", config().model().name(), provider,
                () -> provider.build(config().model().params(), sampleShape, outputs));
    }

    /**
     * What a provider's {@code build()} made, checked: null, or a failure whose message does not
     * name the provider, failed later or bare (a plugin architecture returning null failed inside
     * DJL with "You must set a block for the model before creating a new trainer"; a plugin's
     * "boom" named no provider), so each is said with the kind, name and class.
     *
     * @throws IllegalStateException if {@code build} returns null, or fails with a message that does
     *     not name the provider (an {@link IllegalArgumentException} stays one); its cause is the failure
     */
    private static <T> T built(String kind, String name, Object provider, java.util.function.Supplier<T> build) {
        String which = kind + " '" + name + "' (" + provider.getClass().getName() + ")";
        T made;
        try {
            made = build.get();
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains(name)) {
                throw e; // Assay's own providers name themselves: "cnn: kernel_size must be odd ..."
            }
            String text = which + " failed to build: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            throw e instanceof IllegalArgumentException ? new IllegalArgumentException(text, e)
                    : new IllegalStateException(text, e);
        }
        if (made == null) {
            throw new IllegalStateException(which + " returned null from build()");
        }
        return made;
    }

    /**
     * Builds the learning-rate schedule of {@code training.optimizer}.
     *
     * @param stepsPerEpoch update steps per epoch
     * @return the schedule over update steps
     */
    public Tracker learningRateSchedule(int stepsPerEpoch) {
        OptimizerSpec o = config().training().optimizer();
        return LearningRateSchedules.build(
                o.schedule(), o.learningRate(), stepsPerEpoch, config().training().epochs());
    }

    /**
     * Builds the optimizer named in {@code training.optimizer.name}. When the trial continues
     * from a checkpoint at step {@code s}, the optimizer reads the schedule at {@code s + n} for
     * its {@code n}-th update, so the learning rate continues where it was; when the checkpoint
     * holds the optimizer's state, the restored update count continues instead (no shift). The
     * optimizer is registered with {@link #checkpoints()}, whose checkpoints then hold its state:
     * a task with several models builds their optimizers in the order it saves the models.
     *
     * @param schedule the learning-rate schedule over global update steps (from
     *     {@link #learningRateSchedule(int)})
     * @return the optimizer
     * @throws IllegalStateException as {@link #buildModel}, for the optimizer's provider
     */
    public Optimizer buildOptimizer(Tracker schedule) {
        long offset = checkpoints.resumesOptimizerState() ? 0
                : checkpoints.resumePoint().map(Checkpoint::step).orElse(0L);
        if (offset > 0) {
            Tracker global = schedule;
            int shift = Math.toIntExact(offset);
            schedule = numUpdate -> global.getNewValue(numUpdate + shift);
        }
        OptimizerSpec o = config().training().optimizer();
        OptimizerProvider provider = registry.get(PluginKind.OPTIMIZER, o.name());
        Tracker learningRates = schedule;
        Optimizer optimizer = built("optimizer", o.name(), provider, () -> provider.build(o.params(),
                new OptimizerSettings(learningRates, o.learningRate(), o.weightDecay(), o.clipGradient())));
        checkpoints.register(optimizer);
        return optimizer;
    }

    /**
     * Builds the {@link TrackingTrainingListener} of a task that evaluates with a
     * {@link DeviceEvaluationTrainingListener}: this
     * trial's tracker, progress, epochs and {@code training.log_every_n_steps}, and, when
     * {@code training.regularization} is not zero, the penalty of {@code block}'s weights logged
     * per epoch.
     *
     * @param evaluation the evaluation listener, added to the trainer before the returned one
     * @param schedule the learning-rate schedule, logged as {@code learning_rate}
     * @param stepsPerEpoch update steps per epoch, for progress
     * @param epochMetrics result names ({@code train_<metric>}, {@code validate_<metric>}) to the
     *     metric names logged per epoch
     * @param hasValidation whether the data has a validation split
     * @param block the model, whose weights the penalty reads
     * @return the listener
     */
    public TrackingTrainingListener trackingListener(DeviceEvaluationTrainingListener evaluation,
            Tracker schedule, long stepsPerEpoch, java.util.Map<String, String> epochMetrics,
            boolean hasValidation, Block block) {
        WeightPenalty penalty = penalty();
        return new TrackingTrainingListener(tracker, progress, evaluation, loggedLearningRate(schedule),
                new TrackingTrainingListener.Settings(config().training().epochs(), stepsPerEpoch,
                        config().training().logEveryNSteps(), epochMetrics,
                        hasValidation, penalty.isZero() ? null
                                : () -> penalty.value(WeightPenalty.weights(block))));
    }

    /**
     * Returns the schedule a task's tracking listener logs as {@code learning_rate}.
     *
     * @param schedule the trial's schedule ({@link #learningRateSchedule(int)})
     * @return {@code schedule}, or null when the optimizer has no learning rate ({@link
     *     OptimizerProvider#usesLearningRate()}, e.g. {@code adadelta}): nothing is logged then
     */
    public Tracker loggedLearningRate(Tracker schedule) {
        OptimizerProvider provider = registry.get(PluginKind.OPTIMIZER, config().training().optimizer().name());
        return provider.usesLearningRate() ? schedule : null;
    }

    /**
     * Returns the loss penalty of {@code training.regularization}.
     *
     * @return the penalty (possibly zero)
     */
    public WeightPenalty penalty() {
        return new WeightPenalty(config().training().regularization());
    }
}
