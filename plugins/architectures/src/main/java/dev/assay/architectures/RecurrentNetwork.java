package dev.assay.architectures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.assay.data.Vocabulary;
import dev.assay.train.SequenceModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A recurrent classifier or language model: (token embedding) → stacked LSTM (Hochreiter &amp;
 * Schmidhuber 1997) or GRU (Cho et al. 2014), batch first, optionally bidirectional (Schuster &amp;
 * Paliwal 1997) with dropout between layers → dropout → dense.
 *
 * <p>Input, decided from the sample shape:
 * <ul>
 *   <li>{@code (batch, steps)} token indices (needs {@link #bindVocabulary}; index 0 is
 *       padding) → embedding {@code (batch, steps, embedding_dim)};</li>
 *   <li>{@code (batch, steps, features)} real features, or {@code (batch, channels, height,
 *       width)} images read as {@code height} steps of {@code channels·width} features (a
 *       Fashion-MNIST image {@code (batch, 1, 28, 28)} is 28 steps of 28 pixels).</li>
 * </ul>
 * Recurrent output {@code (batch, steps, directions·hidden)}. Pooled mode reduces it to
 * {@code (batch, directions·hidden)}: {@code last} takes the forward direction's output at the last
 * real (non-padding) step and the backward direction's output at step 0; {@code mean} averages
 * over real steps. The dense layer gives {@code (batch, outputs)} logits. Every-step mode
 * ({@link #setOutputEveryStep}) gives {@code (batch, steps, outputs)} logits and the final states.
 */
final class RecurrentNetwork extends AbstractBlock implements SequenceModel {

    /**
     * The network's settings.
     *
     * @param cell {@code lstm} or {@code gru}
     * @param layers stacked recurrent layers
     * @param hidden state size per direction
     * @param bidirectional whether to add a backward direction
     * @param dropout drop rate between recurrent layers and before the dense layer
     * @param embeddingDim embedding size for token input
     * @param pooling {@code last} or {@code mean}
     * @param pretrained path of word2vec/GloVe text vectors, or null
     * @param freezeEmbeddings whether pretrained embeddings stay fixed
     */
    record Settings(String cell, int layers, int hidden, boolean bidirectional, float dropout,
            int embeddingDim, String pooling, Path pretrained, boolean freezeEmbeddings) {}

    private final Settings settings;
    private final int outputs;
    private final Block rnn;
    private final Block dropout;
    private final Block head;
    private TokenEmbedding embedding;
    private boolean everyStep;

    /**
     * Creates the network.
     *
     * @param settings the settings
     * @param outputs classes (pooled) or vocabulary size (every step)
     */
    RecurrentNetwork(Settings settings, int outputs) {
        this.settings = settings;
        this.outputs = outputs;
        Block cell = "lstm".equals(settings.cell())
                ? LSTM.builder().setStateSize(settings.hidden()).setNumLayers(settings.layers())
                        .optBidirectional(settings.bidirectional())
                        .optDropRate(settings.layers() > 1 ? settings.dropout() : 0f)
                        .optReturnState(true).build()
                : GRU.builder().setStateSize(settings.hidden()).setNumLayers(settings.layers())
                        .optBidirectional(settings.bidirectional())
                        .optDropRate(settings.layers() > 1 ? settings.dropout() : 0f)
                        .optReturnState(true).build();
        this.rnn = addChildBlock("rnn", cell);
        this.dropout = addChildBlock("dropout",
                Dropout.builder().optRate(settings.dropout()).build());
        this.head = addChildBlock("head", Linear.builder().setUnits(outputs).build());
    }

    @Override
    public void bindVocabulary(Vocabulary vocabulary) {
        PretrainedVectors vectors = null;
        int dim = settings.embeddingDim();
        if (settings.pretrained() != null) {
            try {
                vectors = PretrainedVectors.read(settings.pretrained(), vocabulary);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read pretrained_embeddings "
                        + settings.pretrained() + ": " + e.getMessage(), e);
            }
            if (vectors.dim() != dim) {
                throw new IllegalArgumentException("embedding_dim is " + dim + " but the vectors"
                        + " in " + settings.pretrained() + " have " + vectors.dim()
                        + " dimensions; set embedding_dim: " + vectors.dim());
            }
        }
        embedding = addChildBlock("embedding", new TokenEmbedding(
                vocabulary.size(), dim, vectors, settings.freezeEmbeddings()));
    }

    @Override
    public void setOutputEveryStep(boolean everyStep) {
        this.everyStep = everyStep;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        Shape steps = stepShape(inputs[0]);
        if (embedding != null) {
            embedding.initialize(manager, dataType, inputs[0]);
        }
        rnn.initialize(manager, dataType, steps);
        Shape features = new Shape(steps.get(0), rnn.getOutputShapes(new Shape[] {steps})[0].get(2));
        dropout.initialize(manager, dataType, features);
        head.initialize(manager, dataType, features);
    }

    /** The recurrent layer's input shape {@code (batch, steps, features)}. */
    private Shape stepShape(Shape input) {
        if (input.dimension() == 2) {
            if (embedding == null) {
                throw new IllegalStateException("input of shape " + input + " is token indices,"
                        + " but no vocabulary was bound: train token data with a sequence task"
                        + " (sequence_classification or language_model)");
            }
            return input.add(settings.embeddingDim());
        }
        if (input.dimension() == 3) {
            return input;
        }
        if (input.dimension() == 4) {
            return new Shape(input.get(0), input.get(2), input.get(1) * input.get(3));
        }
        throw new IllegalArgumentException("a recurrent network takes (batch, steps),"
                + " (batch, steps, features) or (batch, channels, height, width), got " + input);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray mask = null;
        if (embedding != null) {
            mask = x.neq(Vocabulary.PAD_INDEX).toType(DataType.FLOAT32, false);
            x = embedding.forward(store, new NDList(x), training).head();
        } else if (x.getShape().dimension() == 4) {
            Shape s = x.getShape();
            x = x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
        }
        NDList rnnInputs = new NDList(x);
        if (everyStep) {
            rnnInputs.addAll(inputs.subNDList(1));
        }
        NDList out = rnn.forward(store, rnnInputs, training);
        NDArray sequence = out.head();
        if (everyStep) {
            return perStep(store, sequence, training, out.subNDList(1));
        }
        NDArray pooled = "mean".equals(settings.pooling()) ? mean(sequence, mask)
                : last(sequence, mask);
        NDList dropped = dropout.forward(store, new NDList(pooled), training);
        return head.forward(store, dropped, training);
    }

    private NDList perStep(ParameterStore store, NDArray sequence, boolean training,
            NDList states) {
        Shape s = sequence.getShape();
        NDArray flat = sequence.reshape(s.get(0) * s.get(1), s.get(2));
        NDArray dropped = dropout.forward(store, new NDList(flat), training).head();
        NDArray logits = head.forward(store, new NDList(dropped), training).head()
                .reshape(s.get(0), s.get(1), outputs);
        NDList result = new NDList(logits);
        result.addAll(states);
        return result;
    }

    /** Mean over real steps: {@code Σ_t m_t·h_t / max(1, Σ_t m_t)}. */
    private static NDArray mean(NDArray sequence, NDArray mask) {
        if (mask == null) {
            return sequence.mean(new int[] {1});
        }
        NDArray m = mask.expandDims(2);
        NDArray count = mask.sum(new int[] {1}, true).maximum(1f);
        return sequence.mul(m).sum(new int[] {1}).div(count);
    }

    /** Forward direction at the last real step, backward direction at step 0. */
    private NDArray last(NDArray sequence, NDArray mask) {
        long steps = sequence.getShape().get(1);
        int h = settings.hidden();
        NDArray forward = settings.bidirectional() ? sequence.get(":, :, 0:" + h) : sequence;
        NDArray lastForward;
        if (mask == null) {
            lastForward = forward.get(":, " + (steps - 1) + ", :");
        } else {
            NDArray lastIndex = mask.sum(new int[] {1}, true).sub(1f);
            NDArray oneHot = sequence.getManager().arange((float) steps).reshape(1, steps)
                    .eq(lastIndex).toType(DataType.FLOAT32, false).expandDims(2);
            lastForward = forward.mul(oneHot).sum(new int[] {1});
        }
        if (!settings.bidirectional()) {
            return lastForward;
        }
        return lastForward.concat(sequence.get(":, 0, " + h + ":"), 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape steps = stepShape(inputs[0]);
        if (!everyStep) {
            return new Shape[] {new Shape(steps.get(0), outputs)};
        }
        Shape[] rnnShapes = rnn.getOutputShapes(new Shape[] {steps});
        Shape[] out = Arrays.copyOf(rnnShapes, "lstm".equals(settings.cell()) ? 3 : 2);
        out[0] = new Shape(steps.get(0), steps.get(1), outputs);
        for (int i = 2; i < out.length; i++) {
            out[i] = out[1];
        }
        return out;
    }
}
