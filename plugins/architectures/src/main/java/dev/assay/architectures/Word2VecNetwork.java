package dev.assay.architectures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * The two embedding tables of word2vec (Mikolov et al. 2013, "Efficient Estimation of Word
 * Representations in Vector Space"; "Distributed Representations of Words and Phrases and their
 * Compositionality"): input vectors {@code v} and output vectors {@code v'}, each
 * {@code (vocabulary, dim)}, scoring candidate words against a (mean of) input word(s).
 *
 * <p>Input {@code NDList(inputs, mask, candidates)}:
 * <ul>
 *   <li>{@code inputs (batch, C)}: token indices of the input side (float or int; C = 1 for
 *       skip-gram's centre word, C = 2·window for CBOW's context words);</li>
 *   <li>{@code mask (batch, C)}: 1 for a real input word, 0 for padding;</li>
 *   <li>{@code candidates (batch, 1 + negatives)}: token indices of the output side (the positive
 *       word first, then the negative samples).</li>
 * </ul>
 * Output {@code NDList(scores (batch, 1 + negatives))}, {@code score_j = v'[candidate_j] · h}
 * with {@code h = Σ_c mask_c · v[input_c] / max(1, Σ_c mask_c)}, shape {@code (batch, dim)}
 * (CBOW averages its context vectors as in the reference implementation; with C = 1, h is the
 * centre word's vector). The scores are logits of "is a true (input, candidate) pair".
 *
 * <p>Initialization as in the reference C implementation: input vectors uniform in
 * {@code [-0.5/dim, 0.5/dim]}, output vectors zero. The parameters are named
 * {@value #INPUT_VECTORS} and {@value #OUTPUT_VECTORS}; the {@code word2vec} task reads the input
 * vectors by that name after training.
 */
final class Word2VecNetwork extends AbstractBlock implements dev.assay.train.Word2VecModel {

    /** Name of the {@code (vocabulary, dim)} input-vector parameter (the word vectors). */
    static final String INPUT_VECTORS = "input_vectors";
    /** Name of the {@code (vocabulary, dim)} output-vector parameter. */
    static final String OUTPUT_VECTORS = "output_vectors";

    private final int vocabularySize;
    private final int dim;
    private final Parameter input;
    private final Parameter output;

    /**
     * Creates the network.
     *
     * @param vocabularySize rows of each table (≥ 2)
     * @param dim vector size (≥ 1)
     * @throws IllegalArgumentException if a size is out of range
     */
    Word2VecNetwork(int vocabularySize, int dim) {
        if (vocabularySize < 2 || dim < 1) {
            throw new IllegalArgumentException("architecture 'word2vec' needs a vocabulary of at"
                    + " least 2 tokens and embedding_dim >= 1, got " + vocabularySize + " and "
                    + dim);
        }
        this.vocabularySize = vocabularySize;
        this.dim = dim;
        this.input = addParameter(Parameter.builder().setName(INPUT_VECTORS)
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new UniformInitializer(0.5f / dim)).build());
        this.output = addParameter(Parameter.builder().setName(OUTPUT_VECTORS)
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new ConstantInitializer(0f)).build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        input.setShape(new Shape(vocabularySize, dim));
        output.setShape(new Shape(vocabularySize, dim));
    }

    /**
     * Scores candidates against the input words.
     *
     * @param store the parameter store
     * @param inputs {@code (inputs (B, C), mask (B, C), candidates (B, 1+K))}
     * @param training whether in training mode
     * @param params unused
     * @return {@code scores (B, 1+K)}
     * @throws IllegalArgumentException if there are not exactly three inputs
     */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 3) {
            throw new IllegalArgumentException("architecture 'word2vec' takes (inputs, mask,"
                    + " candidates) from task 'word2vec', got " + inputs.size() + " input arrays");
        }
        NDArray words = TokenEmbedding.integerIndices(inputs.get(0));
        NDArray mask = inputs.get(1).toType(DataType.FLOAT32, false);
        NDArray vIn = store.getValue(input, words.getDevice(), training);
        NDArray vOut = store.getValue(output, words.getDevice(), training);
        NDArray embedded = Embedding.embedding(words, vIn, SparseFormat.DENSE).head();
        NDArray sum = embedded.mul(mask.expandDims(2)).sum(new int[] {1});
        NDArray h = sum.div(mask.sum(new int[] {1}, true).maximum(1f));
        NDArray candidates = Embedding.embedding(TokenEmbedding.integerIndices(inputs.get(2)), vOut, SparseFormat.DENSE)
                .head();
        return new NDList(candidates.mul(h.expandDims(1)).sum(new int[] {2}));
    }

    /**
     * Returns the output shape.
     *
     * @param inputs {@code (B, C), (B, C), (B, 1+K)}
     * @return {@code (B, 1+K)}
     */
    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[inputs.length - 1]};
    }
}
