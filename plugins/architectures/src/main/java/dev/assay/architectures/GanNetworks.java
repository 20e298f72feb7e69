package dev.assay.architectures;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.assay.train.AdversarialNetworks;

/**
 * The block the {@code gan} architecture returns: a holder of the generator and the
 * discriminator, which an adversarial task takes apart and trains as two models (see {@link
 * AdversarialNetworks}). As a block in its own right it is the generator: {@code (batch,
 * latentSize)} → {@code (batch, channels, height, width)}; initializing it initializes both
 * networks (the discriminator on the generator's output shape).
 */
public final class GanNetworks extends AbstractBlock implements AdversarialNetworks {

    private final Block generator;
    private final Block discriminator;
    private final int latentSize;

    /**
     * Creates the holder.
     *
     * @param generator G, {@code (batch, latentSize)} → {@code (batch, sample...)}
     * @param discriminator D, {@code (batch, sample...)} → {@code (batch, 1)} logits
     * @param latentSize the generator's input size (≥ 1)
     * @throws IllegalArgumentException if {@code latentSize < 1}
     */
    public GanNetworks(Block generator, Block discriminator, int latentSize) {
        if (latentSize < 1) {
            throw new IllegalArgumentException("latent size must be >= 1, got " + latentSize);
        }
        this.generator = addChildBlock("generator", generator);
        this.discriminator = addChildBlock("discriminator", discriminator);
        this.latentSize = latentSize;
    }

    @Override
    public Block generator() {
        return generator;
    }

    @Override
    public Block discriminator() {
        return discriminator;
    }

    @Override
    public int latentSize() {
        return latentSize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs,
            boolean training, PairList<String, Object> params) {
        return generator.forward(parameterStore, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return generator.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        generator.initialize(manager, dataType, inputShapes);
        discriminator.initialize(manager, dataType, generator.getOutputShapes(inputShapes));
    }
}
