/**
 * What the framework gives a task to train one trial: the context with its factories, the loss
 * penalties, the learning-rate schedules and the DJL training listener that streams metrics to
 * the tracker.
 */
package dev.assay.train;
