package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import dev.assay.data.Seq2SeqData;
import dev.assay.data.Vocabulary;
import java.io.IOException;
import java.util.List;

/**
 * Greedy decoding with a trained seq2seq block and its scores. The block is given
 * {@code NDList(source (batch, sourceTime), decoderInput (batch, L), teacherMask (L))} with
 * {@code decoderInput[:, 0] = <bos>} and mask {@code [1, 0, …, 0]}, so each step feeds back the
 * previous step's argmax; predictions are {@code argmax} of the logits {@code (batch, L,
 * vocabulary)}, cut at the first {@code <eos>}.
 *
 * <p>Scores against each example's reference: its target tokens as read, when the dataset keeps
 * them ({@link Seq2SeqData#testTargets()}: untruncated, words outside the target vocabulary kept),
 * else the labels {@code (batch, targetTime)} decoded. Token accuracy is the share of reference
 * positions {@code t} (the tokens, then {@code <eos>}) where the prediction at step {@code t}, up
 * to its first {@code <eos>}, is that token; exact match the share of examples whose predicted tokens before {@code <eos>} equal
 * the reference; BLEU is corpus BLEU-4 ({@link Bleu}) of those token lists. A predicted {@code
 * <unk>} matches no reference token: scored against the encoded labels, a word the vocabulary
 * lacks would read {@code <unk>} on both sides and count as right (found by a fresh-clone check:
 * BLEU 0.99 for a model that could not produce any test sentence's rare word).
 */
final class Seq2SeqDecoding {

    /**
     * Scores of one pass over a split.
     *
     * @param tokenAccuracy correct label positions / non-padding label positions
     * @param exactMatch exactly decoded examples / examples
     * @param bleu corpus BLEU-4 in [0, 1]
     * @param examples the examples scored
     */
    record Scores(double tokenAccuracy, double exactMatch, double bleu, long examples) {}

    private final Trainer trainer;
    private final Vocabulary target;
    private final int length;

    /**
     * Creates the decoder.
     *
     * @param trainer the trainer of the seq2seq block
     * @param target the target vocabulary
     * @param length decoding steps {@code L} (≥ 1)
     */
    Seq2SeqDecoding(Trainer trainer, Vocabulary target, int length) {
        this.trainer = trainer;
        this.target = target;
        this.length = length;
    }

    /**
     * Decodes greedily in evaluation mode.
     *
     * @param source {@code (batch, sourceTime)} token indices
     * @return {@code NDList(predictions (batch, L) as int32, attention (batch, L, sourceTime))},
     *     made in {@code source}'s manager
     */
    NDList decode(NDArray source) {
        NDManager m = source.getManager();
        long batch = source.getShape().get(0);
        float[] mask = new float[length];
        mask[0] = 1;
        float[] input = new float[Math.toIntExact(batch * length)];
        for (int i = 0; i < batch; i++) {
            input[i * length] = Seq2SeqData.BOS_INDEX;
        }
        NDList out = trainer.evaluate(new NDList(source,
                m.create(input, new Shape(batch, length)), m.create(mask)));
        return new NDList(out.get(0).argMax(2).toType(DataType.INT32, false), out.get(1));
    }

    /**
     * Decodes a split and scores it.
     *
     * @param split batches of {@code NDList(source, decoderInput)} with labels, in the order of
     *     {@code references}
     * @param references each example's target tokens, in the split's order; null to score against
     *     the labels
     * @return the scores; NaN accuracies when the split is empty
     * @throws IOException if the split cannot be read
     * @throws ai.djl.translate.TranslateException if a batch cannot be prepared
     * @throws IllegalStateException if the split holds more examples than {@code references}
     */
    Scores score(Dataset split, List<List<String>> references) throws IOException,
            ai.djl.translate.TranslateException {
        long correct = 0;
        long positions = 0;
        long exact = 0;
        long examples = 0;
        Bleu bleu = new Bleu();
        for (Batch batch : trainer.iterateDataset(split)) {
            try (batch) {
                NDArray labels = batch.getLabels().head();
                int steps = (int) labels.getShape().get(1);
                int[] predicted = decode(batch.getData().head()).head().toIntArray();
                int[] expected = labels.toType(DataType.INT32, false).toIntArray();
                for (int i = 0; i < batch.getSize(); i++) {
                    int[] p = java.util.Arrays.copyOfRange(predicted, i * length, (i + 1) * length);
                    List<String> reference;
                    if (references == null) {
                        reference = Seq2SeqData.decode(target, java.util.Arrays.copyOfRange(expected, i * steps,
                                (i + 1) * steps));
                    } else if (examples < references.size()) {
                        reference = references.get((int) examples);
                    } else {
                        throw new IllegalStateException("the split holds more examples than its " + references.size()
                                + " references");
                    }
                    positions += reference.size() + 1;
                    correct += correctPositions(target, p, reference);
                    List<String> candidate = Seq2SeqData.decode(target, p);
                    exact += candidate.equals(reference) ? 1 : 0;
                    bleu.add(candidate, reference);
                    examples++;
                }
            }
        }
        return new Scores(positions == 0 ? Double.NaN : correct / (double) positions,
                examples == 0 ? Double.NaN : exact / (double) examples, bleu.score(), examples);
    }

    /**
     * Counts the reference positions a prediction gets right: position {@code t} of the
     * reference's tokens, then {@code <eos>} at position {@code reference.size()}, is right when the
     * prediction at step {@code t} is that token; {@code <unk>} and the other special indices match
     * no token. The prediction is cut at its first {@code <eos>}, as for exact match and BLEU: the
     * steps decoded after it were credited when they happened to match the reference.
     *
     * @param target the target vocabulary
     * @param predicted one example's predicted indices {@code (L)}
     * @param reference the reference tokens
     * @return the right positions, 0 to {@code reference.size() + 1}
     */
    static int correctPositions(Vocabulary target, int[] predicted, List<String> reference) {
        int correct = 0;
        for (int t = 0; t <= reference.size() && t < predicted.length; t++) {
            int index = predicted[t];
            boolean right = t == reference.size() ? index == Seq2SeqData.EOS_INDEX
                    : index > Seq2SeqData.EOS_INDEX && index < target.size()
                            && target.token(index).equals(reference.get(t));
            correct += right ? 1 : 0;
            if (index == Seq2SeqData.EOS_INDEX) {
                break; // the output ends here: what the decoder computed after it was never output
            }
        }
        return correct;
    }
}
