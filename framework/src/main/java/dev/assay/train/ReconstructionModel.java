package dev.assay.train;

/**
 * A block that reconstructs its input, {@code (batch, sampleShape...)} → the same shape (an
 * autoencoder: encoder then decoder). A task that predicts classes or tokens refuses an
 * architecture that builds one when the experiment file is read ({@link
 * dev.assay.plugin.TaskProvider#refusedBlockTypes()}): {@code task: classification} with {@code
 * architecture: autoencoder} planned, and every trial failed after loading its data.
 */
public interface ReconstructionModel {
}
