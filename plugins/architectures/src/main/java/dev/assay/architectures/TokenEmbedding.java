package dev.assay.architectures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A token embedding: a trainable {@code (vocabulary, dim)} matrix looked up by index, so
 * {@code (batch, steps)} indices become {@code (batch, steps, dim)} vectors. Initialized from
 * N(0, 0.1²); optionally overwritten, after initialization, by pretrained rows and frozen (no
 * gradient, no optimizer updates).
 */
final class TokenEmbedding extends AbstractBlock {

    private final int vocabularySize;
    private final int dim;
    private final PretrainedVectors pretrained;
    private final boolean freeze;
    private final Parameter weight;

    /**
     * Creates the embedding.
     *
     * @param vocabularySize rows
     * @param dim columns
     * @param pretrained rows to copy after initialization (rows absent from the file keep their
     *     random values), or null
     * @param freeze whether to freeze the matrix after copying pretrained rows
     */
    TokenEmbedding(int vocabularySize, int dim, PretrainedVectors pretrained, boolean freeze) {
        this.vocabularySize = vocabularySize;
        this.dim = dim;
        this.pretrained = pretrained;
        this.freeze = freeze;
        this.weight = addParameter(Parameter.builder().setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new NormalInitializer(0.1f)).build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(vocabularySize, dim));
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initialize(manager, dataType, inputShapes);
        if (pretrained == null) {
            return;
        }
        NDArray w = weight.getArray();
        float[] values = w.toFloatArray();
        for (int i = 0; i < vocabularySize; i++) {
            if (pretrained.present()[i]) {
                System.arraycopy(pretrained.matrix(), i * dim, values, i * dim, dim);
            }
        }
        w.set(values);
        if (freeze) {
            weight.freeze(true);
        }
    }

    /**
     * Returns token indices as integers: datasets and tasks hold them as float32, which MXNet's
     * embedding takes but PyTorch's refuses ("Expected tensor for argument #1 'indices' to have one
     * of the following scalar types: Long, Int").
     *
     * @param indices token indices of any shape, any data type
     * @return the same indices as int64 (the array itself when already of an integer type)
     */
    static NDArray integerIndices(NDArray indices) {
        return indices.getDataType().isInteger() ? indices : indices.toType(ai.djl.ndarray.types.DataType.INT64, false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray indices = integerIndices(inputs.head());
        NDArray w = store.getValue(weight, indices.getDevice(), training);
        return Embedding.embedding(indices, w, SparseFormat.DENSE);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0].add(dim)};
    }
}
