package dev.assay.tasks;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import dev.assay.plugin.MetricKind;
import dev.assay.train.BatchMetric;
import dev.assay.train.DeviceEvaluationTrainingListener;
import dev.assay.train.DeviceMetricSums;
import dev.assay.train.RecordingLoss;
import dev.assay.train.TrackingTrainingListener;
import dev.assay.train.TrainingLoop;
import dev.assay.train.TrialContext;
import dev.assay.train.WeightPenalty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training and testing of a softmax classifier, shared by the {@code classification} and
 * {@code sequence_classification} tasks: softmax cross-entropy on logits plus the trial's weight
 * penalty, accuracy, {@link TrainingLoop}, then the test split in evaluation mode.
 *
 * <p>Metrics: {@code batch_loss} every {@code training.log_every_n_steps} steps; per epoch
 * {@code train_loss} and {@code val_loss} (mean cross-entropy, nats per sample, penalty
 * excluded), {@code train_accuracy}, {@code val_accuracy}, {@code epoch_time_s},
 * {@code samples_per_s}, and with a penalty {@code penalty} and {@code train_objective}; after
 * training {@code test_loss} and {@code test_accuracy}, and the artifact {@code confusion_matrix.json}
 * (the test split's confusion matrix, {@link ConfusionMatrix}).
 */
final class SoftmaxTraining {

    private static final Map<String, String> EPOCH_METRICS = epochMetrics();

    /** What the tasks built on this class log ({@link dev.assay.plugin.TaskProvider#metrics()}). */
    static final Map<String, MetricKind> METRICS = MetricKind.declare(List.of("batch_loss", "learning_rate"),
            List.of("train_loss", "train_accuracy", "val_loss", "val_accuracy", "penalty", "train_objective",
                    "epoch_time_s", "samples_per_s"),
            List.of("test_loss", "test_accuracy"));

    private SoftmaxTraining() {}

    /**
     * Trains the block and tests it.
     *
     * @param ctx the trial
     * @param block the uninitialized classifier, mapping {@code (batch, sampleShape...)} to
     *     {@code (batch, classes)} logits
     * @param sampleShape one sample's shape without the batch axis
     * @param train the training split
     * @param validation the validation split, or null
     * @param test the test split
     * @param classNames the class names, index = label (the confusion matrix's labels)
     * @return {@code test_loss} and {@code test_accuracy}
     * @throws Exception if training or reading the data fails
     */
    static Map<String, Double> trainAndTest(TrialContext ctx, Block block, Shape sampleShape,
            RandomAccessDataset train, RandomAccessDataset validation, RandomAccessDataset test,
            List<String> classNames) throws Exception {
        int batchSize = ctx.config().training().batchSize();
        int stepsPerEpoch = (int) Math.ceil(train.size() / (double) batchSize);
        try (Model model = Model.newInstance("trial-" + ctx.trial().index())) {
            model.setBlock(block);
            Tracker schedule = ctx.learningRateSchedule(stepsPerEpoch);
            Loss loss = new RecordingLoss(Loss.softmaxCrossEntropyLoss("cross_entropy"));
            DeviceEvaluationTrainingListener evaluation = new DeviceEvaluationTrainingListener(List.of(
                    BatchMetric.meanPerExample(loss), BatchMetric.accuracy("accuracy")));
            WeightPenalty penalty = ctx.penalty();
            TrackingTrainingListener tracking = ctx.trackingListener(evaluation, schedule,
                    stepsPerEpoch, EPOCH_METRICS, validation != null, block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(ctx.buildOptimizer(schedule))
                    .addTrainingListeners(evaluation, tracking);
            try (Trainer trainer = model.newTrainer(config)) {
                TrainingLoop.start(trainer, penalty, ctx.checkpoints(),
                                new Shape(batchSize).addAll(sampleShape))
                        .fit(ctx.config().training().epochs(), train, validation);
                return test(trainer, test, ctx, tracking, classNames);
            }
        }
    }

    /**
     * Mean cross-entropy and accuracy over the whole test split, in evaluation mode, summed on the
     * device ({@link DeviceMetricSums}: both metrics once on the concatenated batches, one read
     * back at the end instead of two per batch), and the test split's confusion matrix, written
     * to the run's artifacts ({@link ConfusionMatrix#FILE}).
     */
    private static Map<String, Double> test(Trainer trainer, RandomAccessDataset test,
            TrialContext ctx, TrackingTrainingListener tracking, List<String> classNames) throws Exception {
        DeviceMetricSums sums = new DeviceMetricSums(List.of(
                crossEntropySummedOverExamples(), BatchMetric.accuracy("accuracy")), false);
        long[][] confusion;
        try (NDManager owner = trainer.getManager().newSubManager();
                ConfusionMatrix matrix = new ConfusionMatrix(classNames.size(), owner)) {
            for (Batch batch : trainer.iterateDataset(test)) {
                try (batch) {
                    NDList predictions = trainer.evaluate(batch.getData());
                    matrix.add(batch.getLabels().head(), predictions.head());
                    sums.addBatch(batch.getLabels(), predictions, owner);
                }
                if (sums.full()) {
                    sums.read();
                }
            }
            sums.read();
            confusion = matrix.counts();
        }
        ConfusionMatrix.write(confusion, classNames, "test", ctx.tracker().artifactDir());
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("test_loss", sums.mean(0));
        out.put("test_accuracy", sums.mean(1));
        int lastEpoch = tracking.epoch() - 1;
        ctx.tracker().logMetrics(out, tracking.step(), lastEpoch);
        return out;
    }

    /**
     * Softmax cross-entropy summed over a batch's examples (DJL's loss is the batch mean, times
     * the batch size), counted per example: the mean over a split weighs every example once.
     */
    private static BatchMetric crossEntropySummedOverExamples() {
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        return BatchMetric.of("cross_entropy",
                (labels, predictions) -> loss.evaluate(labels, predictions).mul(labels.head().getShape().get(0)),
                (labels, predictions) -> labels.head().getShape().get(0), true);
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
