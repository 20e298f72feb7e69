package dev.assay.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.assay.spec.RegularizationSpec;
import java.util.List;

/**
 * The L1/L2 penalty over a block's weight arrays: {@code l1·Σ|w| + (l2/2)·Σw²}. Only parameters
 * of type {@link Parameter.Type#WEIGHT} count; biases, batch-norm gamma/beta and running
 * statistics are never penalized (Goodfellow et al. 2016, "Deep Learning", §7.1).
 *
 * <p>This is L2 <em>in the loss</em>. For adaptive optimizers it differs from decoupled weight
 * decay; see {@link RegularizationSpec}.
 */
public final class WeightPenalty {

    private final double l1;
    private final double l2;

    /**
     * Creates the penalty.
     *
     * @param spec λ₁ and λ₂
     * @throws IllegalArgumentException if either is negative or not finite
     */
    public WeightPenalty(RegularizationSpec spec) {
        if (!(spec.l1() >= 0 && spec.l2() >= 0)
                || Double.isInfinite(spec.l1()) || Double.isInfinite(spec.l2())) {
            throw new IllegalArgumentException("l1 and l2 must be finite and >= 0, got " + spec);
        }
        this.l1 = spec.l1();
        this.l2 = spec.l2();
    }

    /**
     * Whether the penalty is zero for every input.
     *
     * @return true if λ₁ = λ₂ = 0
     */
    public boolean isZero() {
        return l1 == 0 && l2 == 0;
    }

    /**
     * Returns the weight arrays of an initialized block that the penalty applies to.
     *
     * @param block an initialized block
     * @return the arrays of its {@code WEIGHT} parameters
     * @throws IllegalStateException if the block is not initialized
     */
    public static NDList weights(Block block) {
        NDList out = new NDList();
        for (Parameter p : block.getParameters().values()) {
            if (p.getType() == Parameter.Type.WEIGHT) {
                if (!p.isInitialized()) {
                    throw new IllegalStateException("parameter " + p.getName() + " not initialized");
                }
                out.add(p.getArray());
            }
        }
        return out;
    }

    /**
     * Computes the penalty as a scalar array, differentiable inside a gradient collector.
     *
     * @param weights the weight arrays (see {@link #weights(Block)}); may be empty
     * @return a scalar (shape {@code ()}) array on the first weight's manager, or null if the
     *     penalty is zero or there are no weights
     */
    public NDArray compute(List<NDArray> weights) {
        if (isZero() || weights.isEmpty()) {
            return null;
        }
        NDArray total = null;
        for (NDArray w : weights) {
            NDArray term = null;
            if (l1 > 0) {
                term = w.abs().sum().mul((float) l1);
            }
            if (l2 > 0) {
                NDArray sq = w.square().sum().mul((float) (l2 / 2));
                term = term == null ? sq : term.add(sq);
            }
            total = total == null ? term : total.add(term);
        }
        return total;
    }
}
