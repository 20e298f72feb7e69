package dev.assay.plugin;

import ai.djl.training.optimizer.Optimizer;

/** Builds an optimizer by name; registered with {@link AssayPlugin#registerOptimizer}. */
public interface OptimizerProvider extends PluginProvider {

    /**
     * Builds the optimizer.
     *
     * @param params optimizer-specific parameters (momentum, betas, epsilon, ...)
     * @param settings learning-rate schedule, weight decay and clipping shared by all optimizers
     * @return the DJL optimizer
     */
    Optimizer build(Params params, OptimizerSettings settings);

    /**
     * Whether the optimizer's updates depend on {@code training.optimizer.learning_rate} and its
     * schedule. An optimizer without a learning rate (AdaDelta, Zeiler 2012) returns false: its
     * trials then neither record those settings as parameters nor count them in the trial key (a
     * grid over learning rates gives one such trial, not several identical ones), and no {@code
     * learning_rate} series is logged. The settings are still validated.
     *
     * @return true unless the optimizer ignores the learning rate; default true
     */
    default boolean usesLearningRate() {
        return true;
    }
}
