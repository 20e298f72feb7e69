package dev.assay.tasks;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import dev.assay.data.ClassificationData;
import dev.assay.data.LoadedDataset;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.plugin.TaskProvider;
import dev.assay.train.TrainingLoop;
import dev.assay.train.WeightPenalty;
import dev.assay.train.TrackingTrainingListener;
import dev.assay.train.TrialContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Supervised classification: softmax cross-entropy on logits, accuracy, trained by
 * {@link TrainingLoop}. The objective is the cross-entropy plus the trial's weight penalty
 * (whose gradient the loop adds to the weights' gradients).
 *
 * <p>Metrics: {@code batch_loss} every {@code training.log_every_n_steps} steps; per epoch
 * {@code train_loss} and {@code val_loss} (mean cross-entropy, nats per sample, penalty
 * excluded), {@code train_accuracy}, {@code val_accuracy}, and, when a penalty is set, {@code penalty}
 * (its value at the end of the epoch) and {@code train_objective} (train_loss plus penalty);
 * {@code epoch_time_s}, {@code samples_per_s}; after training {@code test_loss} and
 * {@code test_accuracy} on the test split.
 */
public final class ClassificationTask implements TaskProvider {

    private static final Map<String, String> EPOCH_METRICS = epochMetrics();

    @Override
    public String description() {
        return "softmax cross-entropy classification; metrics loss and accuracy";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return List.of();
    }

    /**
     * Trains and tests one trial.
     *
     * @param params none
     * @param ctx the trial
     * @return {@code test_loss} and {@code test_accuracy}
     * @throws IllegalArgumentException if the dataset is not a classification dataset
     * @throws Exception if loading or training fails
     */
    @Override
    public Map<String, Double> run(Params params, TrialContext ctx) throws Exception {
        ClassificationData data = classification(ctx.loadDataset(), ctx);
        Block block = ctx.buildModel(data.sampleShape(), data.numClasses());
        int batchSize = ctx.config().training().batchSize();
        int stepsPerEpoch = (int) Math.ceil(data.train().size() / (double) batchSize);
        try (Model model = Model.newInstance("trial-" + ctx.trial().index())) {
            model.setBlock(block);
            Tracker schedule = ctx.learningRateSchedule(stepsPerEpoch);
            EvaluatorTrainingListener evaluators = new EvaluatorTrainingListener();
            WeightPenalty penalty = ctx.penalty();
            TrackingTrainingListener tracking = new TrackingTrainingListener(ctx.tracker(),
                    ctx.progress(), evaluators, schedule, new TrackingTrainingListener.Settings(
                            ctx.config().training().epochs(), stepsPerEpoch,
                            ctx.config().training().logEveryNSteps(), "cross_entropy",
                            EPOCH_METRICS, data.validation() != null,
                            penalty.isZero() ? null
                                    : () -> penalty.value(WeightPenalty.weights(block))));
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss("cross_entropy"))
                            .addEvaluator(new Accuracy("accuracy"))
                            .optOptimizer(ctx.buildOptimizer(schedule))
                            .addTrainingListeners(evaluators, tracking);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batchSize).addAll(data.sampleShape()));
                new TrainingLoop(trainer, penalty)
                        .fit(ctx.config().training().epochs(), data.train(), data.validation());
                return test(trainer, data.test(), ctx, tracking);
            }
        }
    }

    private static ClassificationData classification(LoadedDataset data, TrialContext ctx) {
        if (data instanceof ClassificationData c) {
            return c;
        }
        throw new IllegalArgumentException("task 'classification' needs a classification dataset;"
                + " dataset '" + ctx.config().dataset().name() + "' gives "
                + data.getClass().getSimpleName());
    }

    /** Mean cross-entropy and accuracy over the whole test split, in evaluation mode. */
    private static Map<String, Double> test(Trainer trainer, RandomAccessDataset test,
            TrialContext ctx, TrackingTrainingListener tracking) throws Exception {
        Loss loss = Loss.softmaxCrossEntropyLoss();
        double lossSum = 0;
        long correct = 0;
        long n = 0;
        for (Batch batch : trainer.iterateDataset(test)) {
            try (batch) {
                NDList predictions = trainer.evaluate(batch.getData());
                NDArray labels = batch.getLabels().singletonOrThrow();
                NDArray logits = predictions.singletonOrThrow();
                int size = batch.getSize();
                lossSum += loss.evaluate(batch.getLabels(), predictions).getFloat() * size;
                correct += logits.argMax(1).toType(labels.getDataType(), false)
                        .eq(labels.reshape(-1)).countNonzero().getLong();
                n += size;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("test_loss", n == 0 ? Double.NaN : lossSum / n);
        out.put("test_accuracy", n == 0 ? Double.NaN : correct / (double) n);
        int lastEpoch = tracking.epoch() - 1;
        out.forEach((k, v) -> ctx.tracker().logMetric(k, tracking.step(), lastEpoch, v));
        return out;
    }

    private static Map<String, String> epochMetrics() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("train_cross_entropy", "train_loss");
        m.put("train_accuracy", "train_accuracy");
        m.put("validate_cross_entropy", "val_loss");
        m.put("validate_accuracy", "val_accuracy");
        return m;
    }
}
