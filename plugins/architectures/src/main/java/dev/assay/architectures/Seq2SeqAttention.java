package dev.assay.architectures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Global attention of decoder states over encoder outputs (Luong et al. 2015, "Effective
 * Approaches to Attention-based Neural Machine Translation", §3.1), with one of two scores:
 * <ul>
 *   <li>{@code additive} (Bahdanau et al. 2015, "Neural Machine Translation by Jointly Learning to
 *       Align and Translate", eq. 6 and §A.1.2; Luong's "concat"):
 *       {@code score(s_t, h_j) = vᵀ tanh(W h_j + U s_t + b)} with {@code W, U} of
 *       {@code units × hidden} and {@code v} of {@code units};</li>
 *   <li>{@code dot} (Luong et al. 2015, eq. 8): {@code score(s_t, h_j) = s_tᵀ h_j}, no
 *       parameters.</li>
 * </ul>
 * DJL has no additive attention (and {@code batchMatMul} throws on MXNet), so scores are made
 * with broadcasting and {@code batchDot}.
 *
 * <p>Input {@code NDList(queries (batch, targetTime, hidden), memory (batch, sourceTime, hidden),
 * mask (batch, sourceTime))}, the mask 1 at real source tokens and 0 at padding. Output {@code
 * NDList(context (batch, targetTime, hidden), weights (batch, targetTime, sourceTime))}: the
 * weights are {@code softmax} over source positions of the scores, padding positions set to
 * {@code -10⁹} first (so each row sums to 1 over the real tokens); the context is
 * {@code Σ_j weights_tj · h_j}.
 */
final class Seq2SeqAttention extends AbstractBlock {

    private static final float MASKED = 1e9f;

    private final boolean additive;
    private final Block keys;
    private final Block queries;
    private final Block score;

    /**
     * Creates the attention.
     *
     * @param kind {@code additive} or {@code dot}
     * @param units the additive score's hidden size (ignored for {@code dot})
     * @throws IllegalArgumentException if kind is neither
     */
    Seq2SeqAttention(String kind, int units) {
        if (!"additive".equals(kind) && !"dot".equals(kind)) {
            throw new IllegalArgumentException("attention must be additive or dot here, got '"
                    + kind + "'");
        }
        this.additive = "additive".equals(kind);
        this.keys = additive ? addChildBlock("keys", Linear.builder().setUnits(units).build())
                : null;
        this.queries = additive ? addChildBlock("queries",
                Linear.builder().setUnits(units).optBias(false).build()) : null;
        this.score = additive ? addChildBlock("score",
                Linear.builder().setUnits(1).optBias(false).build()) : null;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        if (!additive) {
            return;
        }
        long hidden = inputs[1].get(2);
        keys.initialize(manager, dataType, new Shape(1, hidden));
        queries.initialize(manager, dataType, new Shape(1, inputs[0].get(2)));
        score.initialize(manager, dataType, keys.getOutputShapes(new Shape[] {
            new Shape(1, hidden)}));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray query = inputs.get(0);
        NDArray memory = inputs.get(1);
        NDArray mask = inputs.get(2);
        NDArray scores = additive ? additiveScores(store, query, memory, training)
                : query.matMul(memory.transpose(0, 2, 1)); // batched; PyTorch has no batchDot
        NDArray weights = scores.add(mask.expandDims(1).sub(1f).mul(MASKED)).softmax(2);
        return new NDList(weights.matMul(memory), weights);
    }

    /** {@code vᵀ tanh(W h_j + U s_t + b)} for every (t, j): {@code (batch, targetTime, sourceTime)}. */
    private NDArray additiveScores(ParameterStore store, NDArray query, NDArray memory,
            boolean training) {
        Shape q = query.getShape();
        Shape m = memory.getShape();
        NDArray k = keys.forward(store, new NDList(memory.reshape(m.get(0) * m.get(1), m.get(2))),
                training).head();
        long units = k.getShape().get(1);
        NDArray u = queries.forward(store,
                new NDList(query.reshape(q.get(0) * q.get(1), q.get(2))), training).head();
        NDArray sum = k.reshape(m.get(0), 1, m.get(1), units)
                .add(u.reshape(q.get(0), q.get(1), 1, units)).tanh();
        NDArray s = score.forward(store, new NDList(sum.reshape(-1, units)), training).head();
        return s.reshape(q.get(0), q.get(1), m.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape q = inputs[0];
        Shape m = inputs[1];
        return new Shape[] {new Shape(q.get(0), q.get(1), m.get(2)),
            new Shape(q.get(0), q.get(1), m.get(1))};
    }
}
