package dev.assay.spec;

import dev.assay.plugin.Params;

/**
 * {@code training.optimizer}: which optimizer, its learning rate and schedule, its own weight
 * decay, gradient clipping and optimizer-specific parameters.
 *
 * @param name the registered optimizer name, e.g. {@code adam}
 * @param learningRate the learning rate at step 0 (default 1e-3); must be ≥ 0 (0 freezes the
 *     weights, a baseline; AdaDelta ignores it)
 * @param weightDecay the optimizer's own decay coefficient (default 0): decoupled from the
 *     gradient for {@code adamw} (Loshchilov &amp; Hutter 2019), added to the gradient as
 *     {@code wd·w} for the others; compare {@link RegularizationSpec#l2()}, a penalty in the loss
 * @param clipGradient clip every gradient element to {@code [-c, c]} (default 0 = off)
 * @param schedule the learning-rate schedule
 * @param params optimizer-specific parameters (momentum, betas, epsilon, rho, ...)
 */
public record OptimizerSpec(
        String name,
        double learningRate,
        double weightDecay,
        double clipGradient,
        ScheduleSpec schedule,
        Params params) {}
