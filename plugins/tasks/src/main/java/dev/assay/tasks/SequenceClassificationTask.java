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
import dev.assay.data.LoadedDataset;
import dev.assay.data.SequenceClassificationData;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.plugin.TaskProvider;
import dev.assay.train.SequenceModel;
import dev.assay.train.TrackingTrainingListener;
import dev.assay.train.TrainingLoop;
import dev.assay.train.TrialContext;
import dev.assay.train.WeightPenalty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many-to-one text classification: token indices {@code (batch, max_length)} through the
 * architecture (which must be a {@link SequenceModel}; it receives the dataset's vocabulary) to
 * logits {@code (batch, classes)}, softmax cross-entropy, trained by {@link TrainingLoop} like
 * {@link ClassificationTask}.
 *
 * <p>Metrics, as for {@code classification}: {@code batch_loss} every
 * {@code training.log_every_n_steps} steps; per epoch {@code train_loss}, {@code val_loss} (mean
 * cross-entropy, nats per text), {@code train_accuracy}, {@code val_accuracy},
 * {@code epoch_time_s}, {@code samples_per_s}; at the end {@code test_loss} and
 * {@code test_accuracy}. Tags {@code data.vocabulary_size} and {@code data.max_length}.
 */
public final class SequenceClassificationTask implements TaskProvider {

    private static final Map<String, String> EPOCH_METRICS = Map.of(
            "train_cross_entropy", "train_loss", "train_accuracy", "train_accuracy",
            "validate_cross_entropy", "val_loss", "validate_accuracy", "val_accuracy");

    @Override
    public String description() {
        return "many-to-one text classification (token sequences); metrics loss and accuracy";
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
     * @throws IllegalArgumentException if the dataset is not a sequence classification dataset or
     *     the architecture is not a {@link SequenceModel}
     * @throws Exception if loading or training fails
     */
    @Override
    public Map<String, Double> run(Params params, TrialContext ctx) throws Exception {
        SequenceClassificationData data = data(ctx.loadDataset(), ctx);
        ctx.tracker().setTag("data.vocabulary_size", String.valueOf(data.vocabulary().size()));
        ctx.tracker().setTag("data.max_length", String.valueOf(data.maxLength()));
        Block block = ctx.buildModel(new Shape(data.maxLength()), data.numClasses());
        sequenceModel(block, ctx).bindVocabulary(data.vocabulary());
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
                            new LinkedHashMap<>(EPOCH_METRICS), data.validation() != null,
                            penalty.isZero() ? null
                                    : () -> penalty.value(WeightPenalty.weights(block))));
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss("cross_entropy"))
                            .addEvaluator(new Accuracy("accuracy"))
                            .optOptimizer(ctx.buildOptimizer(schedule))
                            .addTrainingListeners(evaluators, tracking);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batchSize, data.maxLength()));
                new TrainingLoop(trainer, penalty)
                        .fit(ctx.config().training().epochs(), data.train(), data.validation());
                return test(trainer, data.test(), ctx, tracking);
            }
        }
    }

    static SequenceModel sequenceModel(Block block, TrialContext ctx) {
        if (block instanceof SequenceModel m) {
            return m;
        }
        throw new IllegalArgumentException("task '" + ctx.config().task().name() + "' needs a"
                + " sequence architecture (lstm, gru); '" + ctx.config().model().name()
                + "' is not one");
    }

    private static SequenceClassificationData data(LoadedDataset data, TrialContext ctx) {
        if (data instanceof SequenceClassificationData c) {
            return c;
        }
        throw new IllegalArgumentException("task 'sequence_classification' needs a text"
                + " classification dataset (imdb, csv-text, spam-assassin); dataset '"
                + ctx.config().dataset().name() + "' gives " + data.getClass().getSimpleName());
    }

    /** Mean cross-entropy and accuracy over the test split, in evaluation mode. */
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
                int size = batch.getSize();
                lossSum += loss.evaluate(batch.getLabels(), predictions).getFloat() * size;
                correct += predictions.singletonOrThrow().argMax(1)
                        .toType(labels.getDataType(), false).eq(labels.reshape(-1))
                        .countNonzero().getLong();
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
}
