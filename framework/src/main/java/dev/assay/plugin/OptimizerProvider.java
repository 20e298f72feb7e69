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
}
