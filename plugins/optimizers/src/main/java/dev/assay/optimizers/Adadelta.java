package dev.assay.optimizers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.assay.train.Gradients;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AdaDelta (Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method", Algorithm 1), for every
 * parameter of any shape:
 *
 * <pre>
 *   g  = rescale·grad, clipped to [-clip, clip] if clip &gt; 0, + wd·w
 *   s  = ρ·s + (1-ρ)·g²
 *   Δw = √(d + ε) / √(s + ε) · g
 *   d  = ρ·d + (1-ρ)·Δw²
 *   w -= Δw
 * </pre>
 *
 * with {@code s} and {@code d} starting at zero; no learning rate. The same arithmetic as DJL's
 * {@code Adadelta} on MXNet, written with engine-independent operations because DJL's MXNet
 * version attaches the weight to its scratch manager twice (it is in both the inputs and the
 * outputs) and so frees the weight when the scratch manager closes. Under DJL's default MXNet
 * updater the weight it gets is a throw-away wrapper of the KVStore's copy and nothing shows; under
 * the local parameter server Assay uses ({@link dev.assay.run.EngineSelection}) it is the model's
 * own parameter, and the next forward pass fails with "Native resource has been released already".
 * Here each array is attached once. After each update the gradient is zeroed on engines that
 * accumulate gradients ({@link Gradients#updated}), as DJL's own PyTorch updates do.
 */
public final class Adadelta extends Optimizer {

    private final float rho;
    private final float epsilon;
    private final Map<String, Map<Device, NDArray>> squaredGradients = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> squaredUpdates = new ConcurrentHashMap<>();

    private Adadelta(Builder builder) {
        super(builder);
        this.rho = builder.rho;
        this.epsilon = builder.epsilon;
    }

    /**
     * Starts a builder: ρ 0.9, ε 1e-8 by default, plus DJL's shared settings (weight decay,
     * gradient clipping, rescaling).
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies one update to {@code weight} in place.
     *
     * @param parameterId the parameter's id, which keys its state
     * @param weight the parameter, any shape; updated in place
     * @param grad its gradient, the same shape; not modified
     */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float weightDecay = getWeightDecay();
        NDArray s = withDefaultState(squaredGradients, parameterId, weight.getDevice(), k -> weight.zerosLike());
        NDArray d = withDefaultState(squaredUpdates, parameterId, weight.getDevice(), k -> weight.zerosLike());
        // intermediates land in the scratch manager; the four arrays go back to their owners
        try (NDManager scratch = NDManager.newBaseManager(weight.getDevice())) {
            scratch.tempAttachAll(new NDList(weight, grad, s, d));
            NDArray g = grad.mul(rescaleGrad);
            if (clipGrad > 0) {
                g = g.clip(-clipGrad, clipGrad);
            }
            if (weightDecay != 0) {
                g = g.add(weight.mul(weightDecay));
            }
            s.muli(rho).addi(g.square().muli(1 - rho));
            NDArray delta = d.add(epsilon).sqrt().divi(s.add(epsilon).sqrt()).muli(g);
            d.muli(rho).addi(delta.square().muli(1 - rho));
            weight.subi(delta);
            // PyTorch accumulates gradients: without this each step's gradient was the sum of all so far
            Gradients.updated(weight);
        }
    }

    /** Builds an {@link Adadelta}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private float rho = 0.9f;
        private float epsilon = 1e-8f;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets ρ, the decay of both running averages.
         *
         * @param rho in [0, 1] (default 0.9)
         * @return this builder
         * @throws IllegalArgumentException if {@code rho} is outside [0, 1] or NaN
         */
        public Builder optRho(float rho) {
            if (!(rho >= 0 && rho <= 1)) {
                throw new IllegalArgumentException("Adadelta's rho must be in [0, 1], got " + rho);
            }
            this.rho = rho;
            return this;
        }

        /**
         * Sets ε, added under both square roots.
         *
         * @param epsilon ≥ 0 (default 1e-8)
         * @return this builder
         * @throws IllegalArgumentException if {@code epsilon} is negative, infinite or NaN
         */
        public Builder optEpsilon(float epsilon) {
            if (!(epsilon >= 0 && Float.isFinite(epsilon))) {
                throw new IllegalArgumentException("Adadelta's epsilon must be finite and ≥ 0, got " + epsilon);
            }
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public Adadelta build() {
            return new Adadelta(this);
        }
    }
}
