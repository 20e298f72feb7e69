package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import dev.assay.data.Vocabulary;

/**
 * Token-level softmax cross-entropy of a decoder, padding excluded: with logits {@code z (batch,
 * targetTime, vocabulary)} (the first prediction) and labels {@code y (batch, targetTime)},
 * {@code loss = Σ_{b,t: y≠pad} −log softmax(z_bt)[y_bt] / #{(b,t): y≠pad}}, in nats per target
 * token; {@link dev.assay.train.BatchMetric#weightedMean} weighs each batch's value by its tokens
 * ({@link #targetTokens}), so the epoch's loss is the mean over every target token.
 */
final class Seq2SeqLoss extends Loss {

    /**
     * Creates the loss.
     *
     * @param name the evaluator name (results are {@code train_<name>}, {@code validate_<name>})
     */
    Seq2SeqLoss(String name) {
        super(name);
    }

    /**
     * Computes the mean cross-entropy over non-padding target tokens.
     *
     * @param labels {@code NDList(y (batch, targetTime))}
     * @param predictions {@code NDList(logits (batch, targetTime, vocabulary), ...)}
     * @return a scalar
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.head();
        NDArray y = labels.head();
        int vocabulary = (int) logits.getShape().get(2);
        NDArray nll = logits.logSoftmax(2).mul(y.oneHot(vocabulary)).sum(new int[] {2}).neg();
        NDArray mask = y.neq(Vocabulary.PAD_INDEX).toType(DataType.FLOAT32, false);
        return nll.mul(mask).sum().div(mask.sum().maximum(1f));
    }

    /**
     * Counts a batch's target tokens that are not padding, the units {@link #evaluate} averages
     * over, on the host: the labels are the batch's input, with no pending engine work to wait for.
     *
     * @param labels {@code NDList(y (batch, targetTime))}
     * @param predictions unused
     * @return the non-padding tokens, at least 1 (as {@link #evaluate}'s denominator)
     */
    static long targetTokens(NDList labels, NDList predictions) {
        long tokens = 0;
        for (Number token : labels.head().toArray()) {
            if (token.intValue() != Vocabulary.PAD_INDEX) {
                tokens++;
            }
        }
        return Math.max(1, tokens);
    }
}
