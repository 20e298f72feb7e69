package dev.assay.optimizers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import dev.assay.train.Gradients;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RMSProp, Nesterov momentum, AdaGrad and AdaDelta written with engine-independent array
 * operations. The first three serve the engines whose DJL binding lacks the fused update (DJL
 * 0.36's PyTorch engine throws "Not implemented" for {@code rmspropUpdate}, {@code nagUpdate} and
 * {@code adagradUpdate}), AdaGrad on MXNet too (its {@code _sparse_adagrad_update} fails with any
 * weight decay), and RMSProp with momentum but without centering on MXNet, whose fused update
 * ({@code rmsprop_update}) has no momentum: DJL passed the momentum and MXNet ignored it. With {@code g = clip(rescale·grad)}
 * and {@code η} the learning rate at the step:
 *
 * <pre>
 *   RMSProp   (Tieleman &amp; Hinton 2012; centered: Graves 2013, eq. 38-41; MXNet's rmspropalex_update)
 *             g' = g + wd·w
 *             n  = ρ·n + (1-ρ)·g'²
 *             ḡ  = ρ·ḡ + (1-ρ)·g'                      (centered only)
 *             Δ  = μ·Δ - η·g' / √(n - ḡ² + ε)          (ḡ = 0 when not centered)
 *             w += Δ
 *   Nesterov  (Nesterov 1983; Sutskever et al. 2013, as MXNet's nag_mom_update)
 *             g' = g + wd·w
 *             m  = μ·m + g'
 *             w -= η·(g' + μ·m)
 *   AdaGrad   (Duchi et al. 2011, as MXNet's adagrad_update)
 *             h += g²
 *             w -= η·(g / √(h + ε) + wd·w)
 *   AdaDelta  (Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method", Algorithm 1; no learning rate)
 *             g' = g + wd·w
 *             s  = ρ·s + (1-ρ)·g'²
 *             Δw = √(d + ε) / √(s + ε) · g'
 *             d  = ρ·d + (1-ρ)·Δw²
 *             w -= Δw
 * </pre>
 *
 * <p>AdaDelta is Assay's own on both engines: DJL's MXNet version attaches the weight to its
 * scratch manager twice (it is in both the inputs and the outputs) and so frees the weight when
 * the scratch manager closes. Under DJL's default MXNet updater the weight it gets is a throw-away
 * wrapper of the KVStore's copy and nothing shows; under the local parameter server Assay uses
 * ({@link dev.assay.run.EngineSelection}) it is the model's own parameter, and the next forward
 * pass fails with "Native resource has been released already". Here each array is attached once.
 *
 * every state starting at zero. On MXNet they give the fused updates' parameters to within float
 * rounding ({@code PortableOptimizerTest}). After each update the gradient is zeroed on engines
 * that accumulate gradients ({@link Gradients#updated}), as DJL's own PyTorch updates do.
 */
public final class PortableOptimizer extends Optimizer {

    /** The update rule. */
    public enum Rule {
        /** RMSProp, plain or centered, with optional momentum. */
        RMSPROP,
        /** SGD with Nesterov momentum. */
        NESTEROV,
        /** AdaGrad. */
        ADAGRAD,
        /** AdaDelta, which has no learning rate. */
        ADADELTA;

        /** The rule's name in messages: {@code RMSProp}, {@code Nesterov}, {@code AdaGrad}, {@code AdaDelta}. */
        String label() {
            return switch (this) {
                case RMSPROP -> "RMSProp";
                case NESTEROV -> "Nesterov";
                case ADAGRAD -> "AdaGrad";
                case ADADELTA -> "AdaDelta";
            };
        }
    }

    private final Rule rule;
    private final ParameterTracker learningRate;
    private final float rho;
    private final float momentum;
    private final float epsilon;
    private final boolean centered;
    /** n (RMSProp), m (Nesterov), h (AdaGrad), s (AdaDelta). */
    private final Map<String, Map<Device, NDArray>> first = new ConcurrentHashMap<>();
    /** ḡ (centered RMSProp). */
    private final Map<String, Map<Device, NDArray>> mean = new ConcurrentHashMap<>();
    /** Δ (RMSProp), d (AdaDelta). */
    private final Map<String, Map<Device, NDArray>> delta = new ConcurrentHashMap<>();

    private PortableOptimizer(Builder builder) {
        super(builder);
        this.rule = builder.rule;
        this.learningRate = builder.learningRate;
        this.rho = builder.rho;
        this.momentum = builder.momentum;
        this.epsilon = builder.epsilon;
        this.centered = builder.centered;
    }

    /**
     * Starts a builder: ρ 0.9, μ 0 (RMSProp) or 0.9 (Nesterov), ε 1e-8, not centered, plus DJL's
     * shared settings (weight decay, gradient clipping, rescaling).
     *
     * @param rule the update rule
     * @param learningRate the learning rate per update step; null for {@link Rule#ADADELTA}
     * @return the builder
     * @throws IllegalArgumentException if {@code rule} is null, or {@code learningRate} is null for
     *     a rule with a learning rate
     */
    public static Builder builder(Rule rule, ParameterTracker learningRate) {
        if (rule == null || (learningRate == null) != (rule == Rule.ADADELTA)) {
            throw new IllegalArgumentException("a rule and a learning rate are required, got " + rule + " and "
                    + learningRate);
        }
        return new Builder(rule, learningRate);
    }

    /**
     * Applies one update to {@code weight} in place.
     *
     * @param parameterId the parameter's id, which keys its state and its update count
     * @param weight the parameter, any shape; updated in place
     * @param grad its gradient, the same shape; not modified
     * @throws IllegalStateException if the learning rate or weight decay is NaN or infinite
     */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float lr = rule == Rule.ADADELTA ? 0f : learningRate.getNewValue(parameterId, updateCount(parameterId));
        float wd = getWeightDecay();
        if (!Float.isFinite(lr) || !Float.isFinite(wd)) {
            throw new IllegalStateException("learning rate " + lr + " or weight decay " + wd + " is NaN or infinite");
        }
        Device device = weight.getDevice();
        NDArray s = withDefaultState(first, parameterId, device, k -> weight.zerosLike());
        NDArray m = rule == Rule.RMSPROP && centered
                ? withDefaultState(mean, parameterId, device, k -> weight.zerosLike()) : null;
        NDArray d = rule == Rule.RMSPROP || rule == Rule.ADADELTA
                ? withDefaultState(delta, parameterId, device, k -> weight.zerosLike()) : null;
        // intermediates land in the scratch manager; the arrays borrowed go back to their owners
        try (NDManager scratch = weight.getManager().getEngine().newBaseManager(device)) {
            NDList borrowed = new NDList(weight, grad, s);
            if (m != null) {
                borrowed.add(m);
            }
            if (d != null) {
                borrowed.add(d);
            }
            scratch.tempAttachAll(borrowed);
            NDArray g = grad.mul(rescaleGrad);
            if (clipGrad > 0) {
                g = g.clip(-clipGrad, clipGrad);
            }
            switch (rule) {
                case RMSPROP -> rmsprop(weight, wd == 0 ? g : g.add(weight.mul(wd)), s, m, d, lr);
                case NESTEROV -> {
                    NDArray gw = wd == 0 ? g : g.add(weight.mul(wd));
                    s.muli(momentum).addi(gw);
                    weight.subi(gw.add(s.mul(momentum)).muli(lr));
                }
                case ADAGRAD -> {
                    s.addi(g.square());
                    NDArray step = g.div(s.add(epsilon).sqrt());
                    if (wd != 0) {
                        step = step.add(weight.mul(wd));
                    }
                    weight.subi(step.muli(lr));
                }
                case ADADELTA -> {
                    NDArray gw = wd == 0 ? g : g.add(weight.mul(wd));
                    s.muli(rho).addi(gw.square().muli(1 - rho));
                    NDArray change = d.add(epsilon).sqrt().divi(s.add(epsilon).sqrt()).muli(gw);
                    d.muli(rho).addi(change.square().muli(1 - rho));
                    weight.subi(change);
                }
            }
            Gradients.updated(weight); // PyTorch accumulates: the next backward pass must start from zero
        }
    }

    private void rmsprop(NDArray weight, NDArray g, NDArray n, NDArray mean, NDArray d, float lr) {
        n.muli(rho).addi(g.square().muli(1 - rho));
        NDArray variance = n;
        if (mean != null) {
            mean.muli(rho).addi(g.mul(1 - rho));
            variance = n.sub(mean.square());
        }
        d.muli(momentum).subi(g.div(variance.add(epsilon).sqrt()).muli(lr));
        weight.addi(d);
    }

    /** Builds a {@link PortableOptimizer}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private final Rule rule;
        private final ParameterTracker learningRate;
        private float rho = 0.9f;
        private float momentum;
        private float epsilon = 1e-8f;
        private boolean centered;

        private Builder(Rule rule, ParameterTracker learningRate) {
            this.rule = rule;
            this.learningRate = learningRate;
            this.momentum = rule == Rule.NESTEROV ? 0.9f : 0f;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets ρ, the decay of RMSProp's or AdaDelta's running averages.
         *
         * @param rho in [0, 1] (default 0.9)
         * @return this builder
         * @throws IllegalArgumentException if {@code rho} is outside [0, 1] or NaN
         */
        public Builder optRho(float rho) {
            if (!(rho >= 0 && rho <= 1)) {
                throw new IllegalArgumentException(rule.label() + "'s rho must be in [0, 1], got " + rho);
            }
            this.rho = rho;
            return this;
        }

        /**
         * Sets μ, the momentum of RMSProp's or Nesterov's step.
         *
         * @param momentum in [0, 1] (default 0 for RMSProp, 0.9 for Nesterov)
         * @return this builder
         * @throws IllegalArgumentException if {@code momentum} is outside [0, 1] or NaN
         */
        public Builder optMomentum(float momentum) {
            if (!(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException(rule.label() + "'s momentum must be in [0, 1], got " + momentum);
            }
            this.momentum = momentum;
            return this;
        }

        /**
         * Sets ε, added under the square roots.
         *
         * @param epsilon ≥ 0 (default 1e-8)
         * @return this builder
         * @throws IllegalArgumentException if {@code epsilon} is negative, infinite or NaN
         */
        public Builder optEpsilon(float epsilon) {
            if (!(epsilon >= 0 && Float.isFinite(epsilon))) {
                throw new IllegalArgumentException(rule.label() + "'s epsilon must be finite and ≥ 0, got " + epsilon);
            }
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Sets whether RMSProp divides by the gradient's variance instead of its second moment.
         *
         * @param centered true for Graves's centered RMSProp (default false)
         * @return this builder
         */
        public Builder optCentered(boolean centered) {
            this.centered = centered;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public PortableOptimizer build() {
            return new PortableOptimizer(this);
        }
    }
}
