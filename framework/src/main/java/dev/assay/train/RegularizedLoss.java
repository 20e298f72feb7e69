package dev.assay.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;

/**
 * A data loss plus a {@link WeightPenalty} over a block's weights: the training objective
 * {@code L(y, ŷ) + l1·Σ|w| + (l2/2)·Σw²}. The weight arrays are read lazily, after the block is
 * initialized, so the loss can be given to {@code Model.newTrainer} before initialization. Since
 * MXNet overwrites gradients on each backward pass, both terms are summed into one loss and
 * differentiated once.
 */
public final class RegularizedLoss extends Loss {

    private final Loss dataLoss;
    private final WeightPenalty penalty;
    private final Block block;
    private NDList weights;

    /**
     * Creates the objective.
     *
     * @param name the evaluator name (e.g. {@code "loss"})
     * @param dataLoss the data term, e.g. softmax cross-entropy; returns a scalar
     * @param penalty the weight penalty
     * @param block the block whose weights are penalized
     */
    public RegularizedLoss(String name, Loss dataLoss, WeightPenalty penalty, Block block) {
        super(name);
        this.dataLoss = dataLoss;
        this.penalty = penalty;
        this.block = block;
    }

    /**
     * Computes the data loss plus the penalty.
     *
     * @param labels the labels, as the data loss expects them
     * @param predictions the predictions, as the data loss expects them
     * @return a scalar array
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray data = dataLoss.evaluate(labels, predictions);
        if (penalty.isZero()) {
            return data;
        }
        if (weights == null) {
            weights = WeightPenalty.weights(block);
        }
        NDArray extra = penalty.compute(weights);
        return extra == null ? data : data.add(extra);
    }
}
