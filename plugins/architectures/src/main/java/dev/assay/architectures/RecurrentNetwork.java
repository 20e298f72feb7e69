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
 * Recurrent output {@code (batch, steps, directions·hidden)}. Bidirectional layers run each
 * direction on its own: the backward direction reads each token sequence reversed within its real
 * length, so it starts at the last real token, not at the padding after it (as PyTorch's packed
 * sequences do); read with the padding first, the same text's logits moved with {@code
 * max_length}. Pooled mode reduces the output to {@code (batch, directions·hidden)}: {@code last}
 * takes the forward direction's output at the last real (non-padding) step and the backward
 * direction's output at step 0 (which has read the whole text); {@code mean} averages over real
 * steps. The dense layer gives {@code (batch, outputs)} logits. Every-step mode
 * ({@link #setOutputEveryStep}, unidirectional only) gives {@code (batch, steps, outputs)} logits
 * and the final states.
 */
final class RecurrentNetwork extends AbstractBlock implements SequenceModel {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecurrentNetwork.class);


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
    /** The stacked unidirectional layers; null when bidirectional. */
    private final Block rnn;
    /** Bidirectional only: each layer's forward and backward direction, one layer each. */
    private final java.util.List<Block> forwardLayers = new java.util.ArrayList<>();
    private final java.util.List<Block> backwardLayers = new java.util.ArrayList<>();
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
        if (settings.bidirectional()) {
            // each direction of each layer on its own, so that the backward direction reads each
            // sequence from its last real token (see the class comment)
            this.rnn = null;
            for (int l = 1; l <= settings.layers(); l++) {
                forwardLayers.add(addChildBlock("forward_" + l, cell(settings, 1, false)));
                backwardLayers.add(addChildBlock("backward_" + l, cell(settings, 1, false)));
            }
        } else {
            this.rnn = addChildBlock("rnn", cell(settings, settings.layers(), true));
        }
        this.dropout = addChildBlock("dropout",
                Dropout.builder().optRate(settings.dropout()).build());
        this.head = addChildBlock("head", Linear.builder().setUnits(outputs).build());
    }

    /** A unidirectional LSTM or GRU of {@code layers} stacked layers, batch first. */
    private static Block cell(Settings settings, int layers, boolean returnState) {
        float drop = layers > 1 ? settings.dropout() : 0f;
        if ("lstm".equals(settings.cell())) {
            LstmCheck.requireCorrect(); // PyTorch's was wrong on an AVX-512 CPU
        }
        return "lstm".equals(settings.cell())
                ? LSTM.builder().setStateSize(settings.hidden()).setNumLayers(layers)
                        .optDropRate(drop).optReturnState(returnState).build()
                : GRU.builder().setStateSize(settings.hidden()).setNumLayers(layers)
                        .optDropRate(drop).optReturnState(returnState).build();
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
            // a file for another corpus (or another case) covered none of the words and was used silently:
            // with freeze_embeddings every word then kept a frozen random vector
            if (vectors.found() == 0) {
                throw new IllegalArgumentException("pretrained_embeddings " + settings.pretrained() + " has a vector"
                        + " for none of the " + vocabulary.size() + " vocabulary words (vectors of another corpus,"
                        + " or words in another case?)");
            }
            String coverage = "pretrained_embeddings: {} of {} vocabulary words have a vector in {}; the others keep"
                    + " their random initialization{}";
            Object[] args = {vectors.found(), vocabulary.size(), settings.pretrained(),
                settings.freezeEmbeddings() ? ", frozen (freeze_embeddings)" : ""};
            if (settings.freezeEmbeddings() && vectors.found() * 2 < vocabulary.size()) {
                // most words frozen at random vectors: a warning, not a line among the others (2 of 19 read as info)
                LOG.warn(coverage, args);
            } else {
                LOG.info(coverage, args);
            }
        }
        embedding = addChildBlock("embedding", new TokenEmbedding(
                vocabulary.size(), dim, vectors, settings.freezeEmbeddings()));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the network is bidirectional: its backward direction
     *     reads the tokens a language model must predict, so its perplexity would be meaningless
     */
    @Override
    public void setOutputEveryStep(boolean everyStep) {
        if (everyStep && settings.bidirectional()) {
            throw new IllegalArgumentException("a bidirectional network cannot predict every next token:"
                    + " its backward direction has read the tokens it must predict; set"
                    + " model.params.bidirectional: false for a language model");
        }
        this.everyStep = everyStep;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        Shape steps = stepShape(inputs[0]);
        if (embedding != null) {
            embedding.initialize(manager, dataType, inputs[0]);
        }
        Shape features;
        if (rnn != null) {
            rnn.initialize(manager, dataType, steps);
            features = new Shape(steps.get(0), rnn.getOutputShapes(new Shape[] {steps})[0].get(2));
        } else {
            Shape layerInput = steps;
            for (int l = 0; l < forwardLayers.size(); l++) {
                forwardLayers.get(l).initialize(manager, dataType, layerInput);
                backwardLayers.get(l).initialize(manager, dataType, layerInput);
                layerInput = new Shape(steps.get(0), steps.get(1), 2L * settings.hidden());
            }
            features = new Shape(steps.get(0), 2L * settings.hidden());
        }
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
        NDArray sequence;
        if (rnn != null) {
            NDList out = rnn.forward(store, rnnInputs, training);
            if (everyStep) {
                return perStep(store, out.head(), training, out.subNDList(1));
            }
            sequence = out.head();
        } else {
            sequence = bidirectional(store, x, mask, training);
        }
        NDArray pooled = "mean".equals(settings.pooling()) ? mean(sequence, mask)
                : last(sequence, mask);
        NDList dropped = dropout.forward(store, new NDList(pooled), training);
        return head.forward(store, dropped, training);
    }

    /**
     * The stacked bidirectional layers over {@code (batch, steps, features)}: at each layer the
     * forward direction reads the sequence as given, the backward direction reads each sequence
     * reversed within its real length ({@link #reverseWithinLength}) and its output is reversed
     * back, so that neither direction reads padding before a real token (as PyTorch's packed
     * sequences do); the two are concatenated, {@code (batch, steps, 2·hidden)}, with dropout
     * between layers.
     */
    private NDArray bidirectional(ParameterStore store, NDArray x, NDArray mask, boolean training) {
        NDArray reverse = mask == null ? null : reversal(mask);
        NDArray h = x;
        for (int l = 0; l < forwardLayers.size(); l++) {
            if (l > 0) {
                h = dropout.forward(store, new NDList(h), training).head();
            }
            NDArray forward = forwardLayers.get(l).forward(store, new NDList(h), training).head();
            NDArray backward = reverseWithinLength(backwardLayers.get(l).forward(store,
                    new NDList(reverseWithinLength(h, reverse)), training).head(), reverse);
            h = forward.concat(backward, 2);
        }
        return h;
    }

    /**
     * The permutation matrices that reverse each sequence within its real length: {@code (batch,
     * steps, steps)}, row {@code t} of sequence {@code b} picks step {@code len_b - 1 - t} for
     * {@code t < len_b} and step {@code t} (padding stays in place) otherwise.
     *
     * @param mask {@code (batch, steps)}, 1 at real steps (a prefix), 0 at padding
     */
    private static NDArray reversal(NDArray mask) {
        long steps = mask.getShape().get(1);
        NDManager m = mask.getManager();
        NDArray t = m.arange((float) steps).reshape(1, steps);
        NDArray length = mask.sum(new int[] {1}, true);
        NDArray inside = t.lt(length).toType(DataType.FLOAT32, false);
        NDArray source = length.sub(1f).sub(t).mul(inside).add(t.mul(inside.neg().add(1f)));
        return source.expandDims(2).eq(t.expandDims(0)).toType(DataType.FLOAT32, false);
    }

    /**
     * Reverses each sequence of {@code (batch, steps, features)} within its real length ({@code
     * reversal} from {@link #reversal}), or along all steps when there is no padding ({@code
     * reversal} null). Applying it twice gives the input back.
     */
    private static NDArray reverseWithinLength(NDArray sequence, NDArray reversal) {
        return reversal == null ? sequence.flip(1) : reversal.matMul(sequence); // batched; PyTorch has no batchDot
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
