package dev.assay.plugin;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/** Builds a network by name; registered with {@link AssayPlugin#registerArchitecture}. */
public interface ArchitectureProvider extends PluginProvider {

    /**
     * Builds an uninitialized block.
     *
     * @param params the resolved parameters
     * @param sampleShape shape of one input sample without the batch axis, e.g. {@code (1, 28, 28)}
     * @param outputs the size of the output layer (classes for classification)
     * @return a block mapping {@code (batch, sampleShape...)} to {@code (batch, outputs)}
     */
    Block build(Params params, Shape sampleShape, int outputs);
}
