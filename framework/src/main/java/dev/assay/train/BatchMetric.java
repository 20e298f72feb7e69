package dev.assay.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.function.BiFunction;
import java.util.function.ToLongBiFunction;

/**
 * A metric that a {@link DeviceEvaluationTrainingListener} accumulates on the device: each batch
 * contributes a sum, computed as an {@link NDArray} and never read back on its own, and a count
 * known on the host. The metric's value over several batches is {@code Σ sums / Σ counts}.
 *
 * <p>Splitting a metric this way is what lets training run without a host read-back after every
 * batch: DJL's own {@code Evaluator.updateAccumulator} reads each batch's value to the host
 * (for each evaluator three times per training batch, once per accumulator key), which makes an
 * asynchronous engine such as MXNet wait for the batch to finish before the next one is queued.
 */
public interface BatchMetric {

    /**
     * Returns the metric's name; epoch results are {@code train_<name>} and {@code
     * validate_<name>}.
     *
     * @return the name
     */
    String name();

    /**
     * Computes one batch's contribution on the device.
     *
     * @param labels the batch's labels, shapes as the metric's loss or evaluator expects: for the
     *     classification metrics one array of class indices {@code (batch)} or {@code (batch, 1)}
     * @param predictions the model's outputs for the batch: for classification one array of
     *     logits {@code (batch, classes)}
     * @return a scalar NDArray (any numeric type), the batch's sum; owned by the caller
     */
    NDArray batchSum(NDList labels, NDList predictions);

    /**
     * Returns one batch's count, the denominator of {@link #batchSum}.
     *
     * @param labels the batch's labels (shapes as in {@link #batchSum})
     * @param predictions the model's outputs for the batch (shapes as in {@link #batchSum})
     * @return the count (≥ 1 for a non-empty batch)
     */
    long batchCount(NDList labels, NDList predictions);

    /**
     * Returns whether {@link #batchSum} is a sum over the batch's examples, each example's term
     * independent of the others (as a count of correct predictions is), so that the sum over
     * several batches concatenated along axis 0 equals the sum of their sums. A {@link
     * DeviceEvaluationTrainingListener} then evaluates such a metric once for a group of batches
     * instead of once per batch. False for a per-batch mean (each batch's mean counts once).
     *
     * @return true if the metric may be evaluated on concatenated batches; default false
     */
    default boolean sumsOverExamples() {
        return false;
    }

    /**
     * Returns whether {@link #batchSum} is the batch's <em>mean</em> over its {@link #batchCount}
     * units (examples, tokens) rather than their sum. A {@link DeviceMetricSums} then weighs each
     * batch's value by its count on the host ({@code Σ mean·count / Σ count}), so that every unit
     * counts once whatever the size of its batch, without an extra engine operation per batch.
     * Never true together with {@link #sumsOverExamples()}.
     *
     * @return true for a per-batch mean; default false
     */
    default boolean batchSumIsMean() {
        return false;
    }

    /**
     * The mean per example of a loss whose {@code evaluate} returns the batch's mean over its
     * examples (DJL's losses, e.g. softmax cross-entropy): each batch's mean is weighted by its
     * examples, the size of the labels' first axis, so a short last batch counts as little as it
     * holds. This is the loss a full pass over the split in one batch would give.
     *
     * @param loss the loss; a {@link RecordingLoss} given to the trainer as well hands over the
     *     value the training step computed instead of computing it again
     * @return the metric, named after the loss
     */
    static BatchMetric meanPerExample(Loss loss) {
        return weightedMean(loss, (labels, predictions) -> labels.head().getShape().get(0));
    }

    /**
     * The mean per unit of a loss whose {@code evaluate} returns the batch's mean over some units
     * (tokens, pixels, examples), each batch weighted by its number of units: {@code Σ mean·units /
     * Σ units}, the mean over every unit of the split.
     *
     * @param loss the loss (a scalar mean per batch, or an array that is summed); a {@link
     *     RecordingLoss} reuses the training step's value
     * @param units a batch's number of units the loss averaged over, from its labels and
     *     predictions (e.g. the labels' size for a language model's tokens, the non-padding target
     *     tokens for a sequence-to-sequence loss); ≥ 1 for a non-empty batch
     * @return the metric, named after the loss
     */
    static BatchMetric weightedMean(Loss loss, ToLongBiFunction<NDList, NDList> units) {
        return create(loss.getName(), (labels, predictions) -> {
            NDArray value = evaluate(loss, labels, predictions);
            return value.getShape().isScalar() ? value : value.sum();
        }, units, false, true);
    }

    /**
     * The mean over batches of a loss's per-batch value, as DJL's {@link Loss} accumulators
     * compute it: each batch counts once, whatever its size, so a short last batch weighs as much
     * as a full one (Assay's tasks use {@link #meanPerExample} or {@link #weightedMean}).
     *
     * @param loss a loss whose {@code evaluate} returns the batch's mean loss (a scalar, or an
     *     array that is summed); a {@link RecordingLoss} given to the trainer as well hands over
     *     the value the training step computed instead of computing it again
     * @return the metric, named after the loss
     */
    static BatchMetric meanOfBatches(Loss loss) {
        return of(loss.getName(), (labels, predictions) -> {
            NDArray value = evaluate(loss, labels, predictions);
            return value.getShape().isScalar() ? value : value.sum();
        }, (labels, predictions) -> 1);
    }

    /**
     * The mean per example of a loss whose {@code evaluate} returns the batch's <em>summed</em>
     * loss: each batch counts its examples, the size of the labels' first axis.
     *
     * @param loss the loss, {@code evaluate} giving a scalar sum over the batch (a
     *     {@link RecordingLoss} reuses the training step's value)
     * @return the metric, named after the loss
     */
    static BatchMetric meanOfExamples(Loss loss) {
        return of(loss.getName(), (labels, predictions) -> evaluate(loss, labels, predictions),
                (labels, predictions) -> labels.head().getShape().get(0));
    }

    /**
     * The fraction of correct predictions over class axis 1, counted as DJL's {@code Accuracy}
     * counts it (the prediction is the argmax over the class axis; a label of the predictions'
     * shape is one-hot and also reduced by argmax, any other label holds class indices), but
     * without closing intermediate arrays: DJL's MXNet {@code NDArray.close()} waits for the
     * array's pending writes, so {@code Accuracy}'s {@code try (NDArray ...)} makes every batch wait
     * for the engine. The intermediates belong to the inputs' manager and are freed with it. Class
     * indices are compared in the argmax's type (labels converted when they differ, e.g. float32
     * labels against int64 indices): four engine operations per evaluation. The count of correct
     * predictions is a sum over examples ({@link #sumsOverExamples()}), so a {@link
     * DeviceEvaluationTrainingListener} evaluates it once for a group of batches (about 80 µs a
     * batch saved, 3% of a small MLP's training step, measured out of tree on the 2-vCPU AMD EPYC
     * machine of the README's "Performance" section, the harness not kept).
     *
     * @param name the metric's name, e.g. {@code accuracy}
     * @return the metric: sum = correct predictions (an int64 scalar), count = labels (class
     *     indices, or one-hot rows)
     */
    static BatchMetric accuracy(String name) {
        return of(name, BatchMetric::correctPredictions, (labels, predictions) -> {
            NDArray label = labels.head();
            boolean oneHot = label.getShape().equals(predictions.head().getShape());
            return oneHot ? label.size() / label.getShape().get(1) : label.size();
        }, true);
    }

    /**
     * A metric from its two parts.
     *
     * @param name the metric's name
     * @param batchSum computes a batch's sum on the device (see {@link #batchSum})
     * @param batchCount gives a batch's count (see {@link #batchCount})
     * @return the metric
     */
    static BatchMetric of(String name, BiFunction<NDList, NDList, NDArray> batchSum,
            ToLongBiFunction<NDList, NDList> batchCount) {
        return of(name, batchSum, batchCount, false);
    }

    /**
     * A metric from its two parts, saying whether its batch sum is a sum over examples.
     *
     * @param name the metric's name
     * @param batchSum computes a batch's sum on the device (see {@link #batchSum})
     * @param batchCount gives a batch's count (see {@link #batchCount})
     * @param sumsOverExamples see {@link #sumsOverExamples()}
     * @return the metric
     */
    static BatchMetric of(String name, BiFunction<NDList, NDList, NDArray> batchSum,
            ToLongBiFunction<NDList, NDList> batchCount, boolean sumsOverExamples) {
        return create(name, batchSum, batchCount, sumsOverExamples, false);
    }

    private static BatchMetric create(String name, BiFunction<NDList, NDList, NDArray> batchSum,
            ToLongBiFunction<NDList, NDList> batchCount, boolean sumsOverExamples, boolean batchSumIsMean) {
        return new BatchMetric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public NDArray batchSum(NDList labels, NDList predictions) {
                return batchSum.apply(labels, predictions);
            }

            @Override
            public long batchCount(NDList labels, NDList predictions) {
                return batchCount.applyAsLong(labels, predictions);
            }

            @Override
            public boolean sumsOverExamples() {
                return sumsOverExamples;
            }

            @Override
            public boolean batchSumIsMean() {
                return batchSumIsMean;
            }
        };
    }

    /** The number of argmax predictions equal to the labels, as an engine scalar. */
    private static NDArray correctPredictions(NDList labels, NDList predictions) {
        NDArray label = labels.head();
        NDArray prediction = predictions.head();
        NDArray predicted = prediction.argMax(1);
        if (label.getShape().equals(prediction.getShape())) {
            label = label.argMax(1);
        } else if (!predicted.getShape().equals(label.getShape())) {
            predicted = predicted.reshape(label.getShape());
        }
        if (predicted.getDataType() != label.getDataType()) {
            label = label.toType(predicted.getDataType(), false);
        }
        return predicted.eq(label).countNonzero();
    }

    /** The loss's value for a batch, reused from the training step when the loss recorded it. */
    private static NDArray evaluate(Loss loss, NDList labels, NDList predictions) {
        return loss instanceof RecordingLoss recording ? recording.recordedOrEvaluate(labels, predictions)
                : loss.evaluate(labels, predictions);
    }
}
