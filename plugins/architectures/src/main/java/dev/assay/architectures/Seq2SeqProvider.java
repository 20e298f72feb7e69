package dev.assay.architectures;

import static dev.assay.plugin.ParamType.DOUBLE;
import static dev.assay.plugin.ParamType.INT;
import static dev.assay.plugin.ParamType.STRING;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import java.util.List;

/**
 * Builds {@code seq2seq}: a GRU or LSTM encoder-decoder with {@code attention: none | additive |
 * dot} ({@link Seq2SeqNetwork}: Sutskever et al. 2014; Bahdanau et al. 2015; Luong et al. 2015),
 * for the {@code seq2seq} task on a seq2seq dataset ({@code dates}, {@code sentence-pairs}).
 */
public final class Seq2SeqProvider implements ArchitectureProvider {

    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("cell", STRING, "gru", "recurrent cell of encoder and decoder")
                    .choices("gru", "lstm"),
            ParamDescriptor.of("embedding_dim", INT, 64L,
                    "token embedding size (source and target)").range(1, 4096),
            ParamDescriptor.of("hidden", INT, 128L,
                    "recurrent state size (also the additive attention's size)").range(1, 8192),
            ParamDescriptor.of("layers", INT, 1L, "stacked recurrent layers in encoder and decoder")
                    .range(1, 8),
            ParamDescriptor.of("attention", STRING, "additive",
                    "decoder attention over encoder outputs: none, additive (Bahdanau et al. 2015)"
                            + " or dot (Luong et al. 2015)")
                    .choices("none", "additive", "dot"),
            ParamDescriptor.of("dropout", DOUBLE, 0.0,
                    "drop rate on embeddings, between recurrent layers and before the output")
                    .range(0, 0.99));

    /** Creates the provider. */
    public Seq2SeqProvider() {}

    @Override
    public String description() {
        return "GRU/LSTM encoder-decoder, attention none/additive/dot, greedy decoding";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Builds the network.
     *
     * @param params the parameters above
     * @param sampleShape {@code (maxSourceLength, sourceVocabularySize)}, as given by
     *     {@link dev.assay.data.Seq2SeqData#modelSampleShape()}
     * @param outputs the target vocabulary size
     * @return the uninitialized {@link Seq2SeqNetwork}
     * @throws IllegalArgumentException if the sample shape is not two-dimensional or outputs &lt; 4
     *     (the data is not a seq2seq dataset)
     */
    /**
     * Builds a {@link Seq2SeqNetwork}: neither a sequence model of one sequence nor a generator and discriminator, so the tasks that train those refuse it when the file is read.
     *
     * @return {@link Seq2SeqNetwork}
     */
    @Override
    public Class<?> blockType() {
        return Seq2SeqNetwork.class;
    }

    @Override
    public Block build(Params params, Shape sampleShape, int outputs) {
        if (sampleShape.dimension() != 2 || outputs < 4) {
            throw new IllegalArgumentException("architecture 'seq2seq' needs a seq2seq dataset"
                    + " (dates, sentence-pairs) and the 'seq2seq' task: expected sample shape"
                    + " (maxSourceLength, sourceVocabularySize) and outputs = target vocabulary"
                    + " size >= 4, got " + sampleShape + " and " + outputs);
        }
        Seq2SeqNetwork.Settings settings = new Seq2SeqNetwork.Settings(params.getString("cell"),
                params.getInt("embedding_dim"), params.getInt("hidden"), params.getInt("layers"),
                params.getString("attention"), (float) params.getDouble("dropout"));
        return new Seq2SeqNetwork(settings, (int) sampleShape.get(1), outputs);
    }
}
