package dev.assay.architectures;

import static dev.assay.plugin.ParamType.INT;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import java.util.List;

/**
 * Builds the word2vec model (Mikolov et al. 2013): an input and an output embedding table, both
 * {@code (vocabulary, embedding_dim)}, as used by the {@code word2vec} task for CBOW and
 * skip-gram with negative sampling. See {@link Word2VecNetwork} for the inputs, output and
 * initialization. It is an architecture of its own because every experiment names
 * {@code model.architecture}; with any other task it fails on its first forward pass, saying so.
 */
public final class Word2VecProvider implements ArchitectureProvider {

    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("embedding_dim", INT, 100L,
                    "word vector size (both the input and the output table)").range(1, 4096));

    @Override
    public String description() {
        return "word2vec input + output embedding tables (for task word2vec)";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Builds the two tables.
     *
     * @param params {@code embedding_dim}
     * @param sampleShape {@code (C)}, the input words per example (not needed by the tables)
     * @param outputs the vocabulary size, {@code <pad>} and {@code <unk>} included
     * @return a block mapping {@code (inputs (B, C), mask (B, C), candidates (B, 1+K))} to
     *     {@code scores (B, 1+K)}
     * @throws IllegalArgumentException if {@code outputs < 2}
     */
    /**
     * Builds a {@link Word2VecNetwork}: neither a sequence model nor a generator and discriminator, so the tasks that train those refuse it when the file is read.
     *
     * @return {@link Word2VecNetwork}
     */
    @Override
    public Class<?> blockType() {
        return Word2VecNetwork.class;
    }

    @Override
    public Block build(Params params, Shape sampleShape, int outputs) {
        return new Word2VecNetwork(outputs, params.getInt("embedding_dim"));
    }
}
