package dev.assay.train;

import ai.djl.engine.Engine;
import java.util.Random;

/**
 * The random seed of each epoch of a trial: epoch 1 draws from the trial's own seed, epoch
 * {@code e > 1} from a seed derived from the trial's seed and {@code e} (SplitMix64's finalizer;
 * Steele, Lea &amp; Flood 2014, "Fast splittable pseudorandom number generators"). Because an
 * epoch's randomness (data order, dropout masks, a GAN's latents, teacher forcing, word2vec's
 * negatives) depends only on the trial and the epoch, a trial continued from the checkpoint of
 * epoch {@code k} trains epoch {@code k + 1} exactly as the uninterrupted trial does; reseeded
 * with the trial's seed, it repeated epoch 1's data order and dropout instead.
 */
public final class EpochSeeds {

    private EpochSeeds() {}

    /**
     * Returns the seed of an epoch.
     *
     * @param trialSeed the trial's seed
     * @param epoch the 1-based epoch
     * @return a non-negative int, a pure function of both arguments
     */
    public static int of(long trialSeed, int epoch) {
        long z = trialSeed + 0x9E3779B97F4A7C15L * epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (z & Integer.MAX_VALUE);
    }

    /**
     * Returns the Java random source of an epoch, for a task's own draws.
     *
     * @param trialSeed the trial's seed
     * @param epoch the 1-based epoch
     * @return {@code new Random(trialSeed)} for epoch 1, else {@code new Random(of(trialSeed, epoch))}
     */
    public static Random random(long trialSeed, int epoch) {
        return new Random(epoch == 1 ? trialSeed : of(trialSeed, epoch));
    }

    /**
     * Seeds the engine (its native generator and DJL's {@code RandomUtils}, which the data
     * samplers use) for an epoch after the first; epoch 1 keeps the seed the trial started with.
     *
     * @param trialSeed the trial's seed
     * @param epoch the 1-based epoch about to start
     */
    public static void seedEngine(long trialSeed, int epoch) {
        if (epoch > 1) {
            Engine.getInstance().setRandomSeed(of(trialSeed, epoch));
        }
    }
}
