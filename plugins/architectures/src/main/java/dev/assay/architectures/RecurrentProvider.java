package dev.assay.architectures;

import static dev.assay.plugin.ParamType.BOOLEAN;
import static dev.assay.plugin.ParamType.DOUBLE;
import static dev.assay.plugin.ParamType.INT;
import static dev.assay.plugin.ParamType.STRING;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds a {@link RecurrentNetwork} with LSTM or GRU cells. The block implements
 * {@link dev.assay.train.SequenceModel}: token input (sample shape {@code (max_length)}) needs the
 * vocabulary bound by a sequence task; image or feature input (sample shape {@code (1, 28, 28)} or
 * {@code (steps, features)}) works with the plain {@code classification} task as a row-sequence
 * classifier.
 */
public abstract class RecurrentProvider implements ArchitectureProvider {

    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("layers", INT, 1L, "stacked recurrent layers").range(1, 8),
            ParamDescriptor.of("hidden", INT, 128L, "state size per direction").range(1, 8192),
            ParamDescriptor.of("bidirectional", BOOLEAN, false,
                    "add a backward direction (outputs concatenated)"),
            ParamDescriptor.of("dropout", DOUBLE, 0.0,
                    "drop rate between recurrent layers and before the dense layer").range(0, 0.99),
            ParamDescriptor.of("embedding_dim", INT, 64L,
                    "token embedding size (token input only)").range(1, 4096),
            ParamDescriptor.of("pooling", STRING, "last",
                    "many-to-one reduction: state at the last real step, or mean over real steps")
                    .choices("last", "mean"),
            ParamDescriptor.of("pretrained_embeddings", STRING, "",
                    "word2vec/GloVe text file of vectors for the vocabulary; empty for none"),
            ParamDescriptor.of("freeze_embeddings", BOOLEAN, true,
                    "keep pretrained embeddings fixed during training"));

    private final String cell;

    /**
     * Creates the provider.
     *
     * @param cell {@code lstm} or {@code gru}
     */
    protected RecurrentProvider(String cell) {
        this.cell = cell;
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Builds the network.
     *
     * @param params the parameters above
     * @param sampleShape {@code (max_length)} for tokens, {@code (steps, features)} or
     *     {@code (channels, height, width)} for real-valued input
     * @param outputs the number of classes (or the vocabulary size for a language model)
     * @return a {@link dev.assay.train.SequenceModel}
     */
    /**
     * Builds recurrent networks, which the sequence tasks ({@code sequence_classification},
     * {@code language_model}) train.
     *
     * @return {@link dev.assay.train.SequenceModel}
     */
    @Override
    public Class<?> blockType() {
        return dev.assay.train.SequenceModel.class;
    }

    @Override
    public Block build(Params params, Shape sampleShape, int outputs) {
        String path = params.getString("pretrained_embeddings");
        return new RecurrentNetwork(new RecurrentNetwork.Settings(cell, params.getInt("layers"),
                params.getInt("hidden"), params.getBoolean("bidirectional"),
                (float) params.getDouble("dropout"), params.getInt("embedding_dim"),
                params.getString("pooling"), path.isEmpty() ? null : Path.of(path),
                params.getBoolean("freeze_embeddings")), outputs);
    }

    /** Long short-term memory cells (Hochreiter &amp; Schmidhuber 1997). */
    public static final class Lstm extends RecurrentProvider {
        /** Creates the provider. */
        public Lstm() {
            super("lstm");
        }

        @Override
        public String description() {
            return "LSTM over tokens (embedding) or image rows; last/mean pooling, dense output";
        }
    }

    /** Gated recurrent units (Cho et al. 2014). */
    public static final class Gru extends RecurrentProvider {
        /** Creates the provider. */
        public Gru() {
            super("gru");
        }

        @Override
        public String description() {
            return "GRU over tokens (embedding) or image rows; last/mean pooling, dense output";
        }
    }
}
