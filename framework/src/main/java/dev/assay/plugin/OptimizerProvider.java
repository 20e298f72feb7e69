package dev.assay.plugin;

import ai.djl.training.optimizer.Optimizer;

/**
 * Builds an optimizer by name; registered with {@link AssayPlugin#registerOptimizer}.
 *
 * <p>Two things a plugin optimizer written as a DJL {@link Optimizer} subclass must do that DJL's
 * own do:
 *
 * <ul>
 *   <li>keep its per-parameter state (momentum, moment estimates) in instance fields of type
 *       {@code Map<String, Map<Device, NDArray>>} (parameter id → device → array; any {@code Map}
 *       type so parameterized), as DJL's optimizers do and {@code withDefaultState} fills: these are
 *       what a checkpoint saves and a continued trial restores ({@code
 *       dev.assay.train.OptimizerStates}). Arrays kept otherwise start over in a continued trial; a
 *       warning names such fields;
 *   <li>on the PyTorch engine, zero the weight's gradient after updating it, by calling {@code
 *       dev.assay.train.Gradients.updated(weight)} at the end of {@code update}: PyTorch adds each
 *       backward pass to the gradient, and only DJL's own PyTorch updates clear it, so an update
 *       rule that does not trains on the sum of every gradient so far (a plugin SGD reached a test
 *       MSE of 0.66 against 0.20 for the built-in one). A no-op on MXNet.
 * </ul>
 */
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
