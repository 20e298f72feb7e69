package dev.assay.train;

import ai.djl.nn.Block;
import dev.assay.data.Vocabulary;

/**
 * A block over sequences that a sequence task configures before {@code initialize}: token input
 * needs the dataset's vocabulary (for the embedding's size and for pretrained vectors), and a
 * language model needs an output at every step plus the recurrent state passed in and out.
 *
 * <p>Modes:
 * <ul>
 *   <li>pooled (default): {@code (batch, steps)} token indices, or {@code (batch, steps,
 *       features)} / {@code (batch, 1, steps, features)} real features → {@code (batch,
 *       outputs)} logits;</li>
 *   <li>every step ({@link #setOutputEveryStep}): {@code NDList(tokens (batch, steps)[, state...])}
 *       → {@code NDList(logits (batch, steps, outputs), state...)}; the states are those of the
 *       recurrent layer, shape {@code (layers·directions, batch, hidden)} each.</li>
 * </ul>
 */
public interface SequenceModel extends Block {

    /**
     * Gives the vocabulary of token input; call before {@code initialize}.
     *
     * @param vocabulary the vocabulary (index 0 is padding)
     * @throws java.io.UncheckedIOException if pretrained vectors are configured and unreadable
     */
    void bindVocabulary(Vocabulary vocabulary);

    /**
     * Switches to one output per step with the state passed in and out; call before
     * {@code initialize}.
     *
     * @param everyStep true for per-step outputs
     */
    void setOutputEveryStep(boolean everyStep);
}
