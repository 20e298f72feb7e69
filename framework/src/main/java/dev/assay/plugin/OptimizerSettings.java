package dev.assay.plugin;

import ai.djl.training.tracker.ParameterTracker;

/**
 * The settings every optimizer shares, resolved by the framework from {@code training.optimizer}.
 *
 * @param learningRate the schedule of the learning rate over update steps (constant, step or
 *     cosine); optimizers with no learning rate (AdaDelta) ignore it
 * @param baseLearningRate the learning rate at step 0
 * @param weightDecay the optimizer's own decay coefficient (decoupled for AdamW, added to the
 *     gradient for the others), 0 for none
 * @param clipGradient clip each gradient element to {@code [-c, c]}; 0 for no clipping
 */
public record OptimizerSettings(
        ParameterTracker learningRate,
        double baseLearningRate,
        double weightDecay,
        double clipGradient) {}
