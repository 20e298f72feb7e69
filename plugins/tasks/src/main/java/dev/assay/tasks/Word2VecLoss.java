package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The negative-sampling objective of word2vec (Mikolov et al. 2013b, eq. 4), negated as a loss:
 * for one example with positive score {@code s_0} and negative scores {@code s_1..s_K},
 * {@code -log σ(s_0) - Σ_{k=1..K} log σ(-s_k)}, i.e. binary logistic loss on the 1 + K
 * (input, candidate) pairs. Computed stably as {@code softplus(-y·s)} with {@code y = ±1},
 * {@code softplus(x) = max(x, 0) + log(1 + exp(-|x|))}.
 *
 * <p>{@link #evaluate} returns the <em>sum</em> over the batch's examples, so the gradient of a
 * batch is the sum of its examples' gradients and a plain SGD learning rate means what it means
 * in the reference implementation (a step per pair, 0.025 for skip-gram, 0.05 for CBOW); Adam,
 * Adagrad and RMSProp are invariant to that scale. The task evaluates it with
 * {@code BatchMetric.meanOfExamples}, so what {@code batch_loss}, {@code train_loss} and
 * {@code val_loss} report is per example: total loss over total examples, in nats.
 */
final class Word2VecLoss extends Loss {

    /**
     * Creates the loss.
     *
     * @param name the evaluator name (epoch results are {@code train_<name>},
     *     {@code validate_<name>})
     */
    Word2VecLoss(String name) {
        super(name);
    }

    /**
     * Computes the loss of a batch.
     *
     * @param labels {@code (B, 1+K)}: 1 for the positive candidate, 0 for negatives
     * @param predictions {@code (B, 1+K)} scores (logits)
     * @return a scalar: the sum over the batch of each example's loss
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray scores = predictions.singletonOrThrow();
        NDArray sign = labels.singletonOrThrow().mul(2).sub(1);
        NDArray x = scores.mul(sign).neg();
        NDArray softplus = x.maximum(0f).add(x.abs().neg().exp().add(1).log());
        return softplus.sum();
    }
}
