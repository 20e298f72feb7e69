package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * Adagrad and RMSProp are invariant to that scale. The accumulated values (what
 * {@code batch_loss}, {@code train_loss} and {@code val_loss} report) are per example: total loss
 * over total examples, in nats.
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

    /** Per key: {loss summed over examples, examples}. */
    private final Map<String, double[]> sums = new ConcurrentHashMap<>();

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

    /**
     * Starts accumulating under a key.
     *
     * @param key e.g. {@code train_all}
     */
    @Override
    public void addAccumulator(String key) {
        sums.put(key, new double[2]);
    }

    /**
     * Adds a batch's summed loss and example count to each key.
     *
     * @param keys the accumulator keys
     * @param labels {@code (B, 1+K)}
     * @param predictions {@code (B, 1+K)} scores
     */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        double total = evaluate(labels, predictions).getFloat();
        long examples = labels.head().getShape().get(0);
        for (String key : keys) {
            sums.compute(key, (k, v) -> {
                double[] a = v == null ? new double[2] : v;
                a[0] += total;
                a[1] += examples;
                return a;
            });
        }
    }

    /**
     * Clears a key.
     *
     * @param key the accumulator key
     */
    @Override
    public void resetAccumulator(String key) {
        sums.put(key, new double[2]);
    }

    /**
     * Returns the mean loss per example accumulated under a key.
     *
     * @param key the accumulator key
     * @return nats per example, NaN before any batch
     * @throws IllegalArgumentException if the key was never added
     */
    @Override
    public float getAccumulator(String key) {
        double[] a = sums.get(key);
        if (a == null) {
            throw new IllegalArgumentException("No loss found at that path: " + key);
        }
        return a[1] == 0 ? Float.NaN : (float) (a[0] / a[1]);
    }
}
