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

    /**
     * The type every block {@link #build} returns is an instance of, which an experiment's task
     * is checked against when the file is read ({@link TaskProvider#blockType()}): a recurrent
     * network is a {@link dev.assay.train.SequenceModel}, a GAN's pair of networks an {@link
     * dev.assay.train.AdversarialNetworks}, a multilayer perceptron a {@code SequentialBlock} (so
     * a task that trains a sequence model refuses it).
     *
     * @return {@link Block} itself (the default), which declares nothing and passes every task's
     *     check (the task checks the block it gets when the trial starts), or a narrower type
     */
    default Class<?> blockType() {
        return Block.class;
    }
}
