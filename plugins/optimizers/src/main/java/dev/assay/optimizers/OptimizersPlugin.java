package dev.assay.optimizers;

import static dev.assay.plugin.ParamType.BOOLEAN;
import static dev.assay.plugin.ParamType.DOUBLE;

import ai.djl.engine.Engine;
import ai.djl.training.optimizer.Optimizer.OptimizerBuilder;
import ai.djl.training.optimizer.Optimizer;
import dev.assay.plugin.AssayPlugin;
import dev.assay.plugin.OptimizerSettings;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.spec.TrialConfig;
import java.util.List;

/**
 * Registers the optimizers. Update rules (g = gradient, η = learning rate at the step):
 *
 * <ul>
 *   <li>{@code sgd}: {@code w -= η·g}.
 *   <li>{@code momentum}: heavy ball, {@code v = μ·v + g; w -= η·v} (Polyak 1964).
 *   <li>{@code nesterov}: Nesterov accelerated gradient (Nesterov 1983; Sutskever et al. 2013).
 *   <li>{@code rmsprop}: {@code s = ρ·s + (1-ρ)·g²; w -= η·g/√(s+ε)} (Tieleman &amp; Hinton 2012);
 *       {@code centered} uses the variance instead (Graves 2013).
 *   <li>{@code adam}: Kingma &amp; Ba 2015. {@code adamw}: Adam with decoupled weight decay
 *       (Loshchilov &amp; Hutter 2019).
 *   <li>{@code adagrad}: Duchi et al. 2011. {@code adadelta}: Zeiler 2012, which has no learning
 *       rate: {@code learning_rate} and its schedule are ignored ({@link PortableOptimizer}, Assay's
 *       own: DJL's frees the weight under the local parameter server).
 * </ul>
 *
 * <p>On MXNet, DJL's fused updates run; on PyTorch, whose DJL 0.36 binding lacks them, {@code
 * nesterov} and {@code rmsprop} run as {@link PortableOptimizer} (the same rules), as does {@code
 * rmsprop} with momentum and without centering on MXNet (MXNet's fused plain update has no
 * momentum, so DJL's dropped it). {@code adagrad} is a {@link PortableOptimizer} on both engines:
 * DJL's MXNet AdaGrad fails at the first step with any {@code weight_decay}.
 *
 * <p>{@code weight_decay} is passed to DJL's {@code optWeightDecays}: added to the gradient as
 * {@code wd·w} for every optimizer but AdamW, where it is decoupled.
 */
public final class OptimizersPlugin extends AssayPlugin {

    private static final ParamDescriptor MOMENTUM_09 =
            ParamDescriptor.of("momentum", DOUBLE, 0.9, "momentum coefficient μ").range(0, 1).open(false, true);
    private static final ParamDescriptor EPSILON =
            ParamDescriptor.of("epsilon", DOUBLE, 1.0e-8, "term added for numerical stability")
                    .range(0, Double.NaN).open(true, false);
    private static final ParamDescriptor RHO =
            ParamDescriptor.of("rho", DOUBLE, 0.9, "decay of the squared-gradient average")
                    .range(0, 1).open(false, true);
    private static final ParamDescriptor BETA1 =
            ParamDescriptor.of("beta1", DOUBLE, 0.9, "decay of the first moment").range(0, 1).open(false, true);
    private static final ParamDescriptor BETA2 =
            ParamDescriptor.of("beta2", DOUBLE, 0.999, "decay of the second moment").range(0, 1).open(false, true);

    @Override
    protected void configure() {
        registerOptimizer("sgd", new DjlOptimizerProvider(
                "stochastic gradient descent, no momentum", List.of(),
                (p, s) -> TwoSidedClip.sgd(shared(Optimizer.sgd().setLearningRateTracker(s.learningRate()), s))));
        registerOptimizer("momentum", new DjlOptimizerProvider(
                "SGD with heavy-ball momentum", List.of(MOMENTUM_09),
                (p, s) -> TwoSidedClip.sgd(shared(Optimizer.sgd().setLearningRateTracker(s.learningRate())
                        .optMomentum(f(p, "momentum")), s))));
        registerOptimizer("nesterov", new DjlOptimizerProvider(
                "SGD with Nesterov momentum", List.of(MOMENTUM_09.range(0, 1).open(true, true)), // DJL's Nag needs one
                (p, s) -> fusedUpdates()
                        ? shared(Optimizer.nag().setLearningRateTracker(s.learningRate())
                                .setMomentum(f(p, "momentum")), s).build()
                        : shared(PortableOptimizer.builder(PortableOptimizer.Rule.NESTEROV, s.learningRate())
                                .optMomentum(f(p, "momentum")), s).build()));
        registerOptimizer("rmsprop", new DjlOptimizerProvider("RMSProp",
                List.of(RHO, ParamDescriptor.of("momentum", DOUBLE, 0.0, "momentum").range(0, 1).open(false, true),
                        EPSILON, ParamDescriptor.of("centered", BOOLEAN, false,
                                "normalize by the gradient variance (Graves 2013)")),
                (p, s) -> fusedUpdates() && (p.getBoolean("centered") || f(p, "momentum") == 0)
                        ? shared(Optimizer.rmsprop().optLearningRateTracker(s.learningRate())
                                .optRho(f(p, "rho")).optMomentum(f(p, "momentum"))
                                .optEpsilon(f(p, "epsilon")).optCentered(p.getBoolean("centered")), s).build()
                        // MXNet's plain rmsprop_update has no momentum: DJL's RmsProp dropped it
                        : shared(PortableOptimizer.builder(PortableOptimizer.Rule.RMSPROP, s.learningRate())
                                .optRho(f(p, "rho")).optMomentum(f(p, "momentum"))
                                .optEpsilon(f(p, "epsilon")).optCentered(p.getBoolean("centered")), s).build()));
        registerOptimizer("adam", new DjlOptimizerProvider("Adam", List.of(BETA1, BETA2, EPSILON),
                (p, s) -> TwoSidedClip.adam(shared(Optimizer.adam().optLearningRateTracker(s.learningRate())
                        .optBeta1(f(p, "beta1")).optBeta2(f(p, "beta2"))
                        .optEpsilon(f(p, "epsilon")), s))));
        registerOptimizer("adamw", new DjlOptimizerProvider(
                "Adam with decoupled weight decay (set weight_decay, e.g. 0.01)",
                List.of(BETA1, BETA2, EPSILON),
                (p, s) -> TwoSidedClip.adamW(shared(Optimizer.adamW().optLearningRateTracker(s.learningRate())
                        .optBeta1(f(p, "beta1")).optBeta2(f(p, "beta2"))
                        .optEpsilon(f(p, "epsilon")), s))));
        registerOptimizer("adagrad", new DjlOptimizerProvider("AdaGrad", List.of(EPSILON),
                // on both engines: DJL's MXNet AdaGrad (_sparse_adagrad_update) fails with any weight decay
                (p, s) -> shared(PortableOptimizer.builder(PortableOptimizer.Rule.ADAGRAD, s.learningRate())
                        .optEpsilon(f(p, "epsilon")), s).build()));
        registerOptimizer("adadelta", new DjlOptimizerProvider(
                "AdaDelta (no learning rate: learning_rate and schedule are ignored)",
                List.of(RHO, EPSILON),
                (p, s) -> shared(PortableOptimizer.builder(PortableOptimizer.Rule.ADADELTA, null)
                        .optRho(f(p, "rho")).optEpsilon(f(p, "epsilon")), s).build()).withoutLearningRate());
    }

    /**
     * Whether this process's engine has DJL's fused optimizer updates (MXNet); DJL 0.36's PyTorch
     * engine throws "Not implemented" for Nesterov, RMSProp and AdaGrad, which then run as {@link
     * PortableOptimizer}.
     */
    static boolean fusedUpdates() {
        return TrialConfig.MXNET.equals(Engine.getInstance().getEngineName());
    }

    private static float f(Params p, String name) {
        return (float) p.getDouble(name);
    }

    /** Applies weight decay and clipping, which every DJL optimizer builder shares. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <B extends OptimizerBuilder> B shared(B builder, OptimizerSettings s) {
        builder.optWeightDecays((float) s.weightDecay());
        if (s.clipGradient() > 0) {
            builder.optClipGrad((float) s.clipGradient());
        }
        return builder;
    }
}
