package dev.assay.train;

import ai.djl.nn.Block;

/**
 * A block that holds the two networks of a generative adversarial network (Goodfellow et al.
 * 2014, "Generative Adversarial Nets"), so that a GAN fits the one-architecture experiment spec:
 * {@code model.architecture} names a provider whose {@code build} returns a block implementing
 * this interface, and an adversarial task trains {@link #generator()} and {@link
 * #discriminator()} as two separate DJL models, each with its own trainer and optimizer (the
 * holder itself is never initialized or trained).
 *
 * <p>Shapes: the generator maps latent vectors {@code (batch, latentSize)} to samples {@code
 * (batch, sampleShape...)}, e.g. {@code (batch, 1, 28, 28)}; the discriminator maps samples to
 * one logit each, {@code (batch, 1)} (probability "real" = sigmoid(logit)).
 */
public interface AdversarialNetworks {

    /**
     * Returns the generator G.
     *
     * @return a block {@code (batch, latentSize)} → {@code (batch, sampleShape...)}
     */
    Block generator();

    /**
     * Returns the discriminator D.
     *
     * @return a block {@code (batch, sampleShape...)} → {@code (batch, 1)} logits
     */
    Block discriminator();

    /**
     * Returns the size of the generator's input.
     *
     * @return the latent dimension (≥ 1)
     */
    int latentSize();
}
