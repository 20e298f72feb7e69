package dev.assay.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.evaluator.AbstractAccuracy;
import ai.djl.training.loss.Loss;

/**
 * A metric that a {@link DeviceEvaluationTrainingListener} accumulates on the device: each batch
 * contributes a sum, computed as an {@link NDArray} and never read back on its own, and a count
 * known on the host. The metric's value over several batches is {@code Σ sums / Σ counts}.
 *
 * <p>Splitting a metric this way is what lets training run without a host read-back after every
 * batch: DJL's own {@code Evaluator.updateAccumulator} reads each batch's value to the host
 * (twice per evaluator and batch, once per accumulator key), which makes an asynchronous engine
 * such as MXNet wait for the batch to finish before the next one is queued.
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
     * @param labels the batch's labels, shapes as the metric's loss or evaluator expects
     * @param predictions the model's outputs for the batch
     * @return a scalar NDArray (any numeric type), the batch's sum; owned by the caller
     */
    NDArray batchSum(NDList labels, NDList predictions);

    /**
     * Returns one batch's count, the denominator of {@link #batchSum}.
     *
     * @param labels the batch's labels
     * @param predictions the model's outputs for the batch
     * @return the count (≥ 1 for a non-empty batch)
     */
    long batchCount(NDList labels, NDList predictions);

    /**
     * The mean over batches of a loss's per-batch value, as DJL's {@link Loss} accumulators
     * compute it: each batch counts once, whatever its size.
     *
     * @param loss a loss whose {@code evaluate} returns the batch's mean loss (a scalar, or an
     *     array that is summed)
     * @return the metric, named after the loss
     */
    static BatchMetric meanOfBatches(Loss loss) {
        return new BatchMetric() {
            @Override
            public String name() {
                return loss.getName();
            }

            @Override
            public NDArray batchSum(NDList labels, NDList predictions) {
                NDArray value = loss.evaluate(labels, predictions);
                return value.getShape().isScalar() ? value : value.sum();
            }

            @Override
            public long batchCount(NDList labels, NDList predictions) {
                return 1;
            }
        };
    }

    /**
     * The mean per example of a loss whose {@code evaluate} returns the batch's <em>summed</em>
     * loss: each batch counts its examples, the size of the labels' first axis.
     *
     * @param loss the loss, {@code evaluate} giving a scalar sum over the batch
     * @return the metric, named after the loss
     */
    static BatchMetric meanOfExamples(Loss loss) {
        return new BatchMetric() {
            @Override
            public String name() {
                return loss.getName();
            }

            @Override
            public NDArray batchSum(NDList labels, NDList predictions) {
                return loss.evaluate(labels, predictions);
            }

            @Override
            public long batchCount(NDList labels, NDList predictions) {
                return labels.head().getShape().get(0);
            }
        };
    }

    /**
     * The fraction of correct predictions, as DJL's {@link AbstractAccuracy} counts it: its
     * {@code evaluate} gives the number of correct predictions in the batch; the count is the
     * number of label values.
     *
     * @param accuracy e.g. {@code new Accuracy("accuracy")} (argmax over axis 1 against sparse
     *     labels)
     * @return the metric, named after the evaluator
     */
    static BatchMetric accuracy(AbstractAccuracy accuracy) {
        return new BatchMetric() {
            @Override
            public String name() {
                return accuracy.getName();
            }

            @Override
            public NDArray batchSum(NDList labels, NDList predictions) {
                return accuracy.evaluate(labels, predictions);
            }

            @Override
            public long batchCount(NDList labels, NDList predictions) {
                return labels.head().size();
            }
        };
    }
}
