package dev.assay.tasks;

import java.util.Arrays;
import java.util.Random;

/**
 * The noise distribution of negative sampling (Mikolov et al. 2013b, "Distributed Representations
 * of Words and Phrases and their Compositionality", section 2.2): the unigram distribution raised
 * to the power 3/4, {@code P_n(w) = c(w)^0.75 / Σ_u c(u)^0.75}, over the tokens with a positive
 * training count. Sampling is exact (inverse CDF by binary search over the cumulative weights),
 * not the reference implementation's 10⁸-entry table.
 */
final class Word2VecNoiseSampler {

    /** The exponent applied to the unigram counts. */
    static final double POWER = 0.75;

    private final double[] cumulative;
    private final double total;

    /**
     * Builds the distribution.
     *
     * @param counts training count per token index; tokens with count 0 (e.g. {@code <pad>}) are
     *     never drawn
     * @throws IllegalArgumentException if fewer than two tokens have a positive count (a negative
     *     sample must differ from its positive word)
     */
    Word2VecNoiseSampler(long[] counts) {
        cumulative = new double[counts.length];
        double sum = 0;
        int positive = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                sum += Math.pow(counts[i], POWER);
                positive++;
            }
            cumulative[i] = sum;
        }
        if (positive < 2) {
            throw new IllegalArgumentException("negative sampling needs at least 2 distinct"
                    + " training words, got " + positive);
        }
        total = sum;
    }

    /**
     * Returns the probability of drawing a token.
     *
     * @param token the token index
     * @return {@code c(token)^0.75 / Σ_u c(u)^0.75}
     */
    double probability(int token) {
        double below = token == 0 ? 0 : cumulative[token - 1];
        return (cumulative[token] - below) / total;
    }

    /**
     * Draws one token.
     *
     * @param random the random source
     * @return a token index with positive count
     */
    int sample(Random random) {
        double u = random.nextDouble() * total;
        int i = Arrays.binarySearch(cumulative, u);
        int index = i >= 0 ? i + 1 : -i - 1;
        while (index < cumulative.length - 1 && probability(index) == 0) {
            index++;
        }
        return Math.min(index, cumulative.length - 1);
    }

    /**
     * Draws one token other than the given one (redrawn until it differs, as the reference
     * implementation skips a negative equal to the positive word).
     *
     * @param positive the token to avoid
     * @param random the random source
     * @return a token index other than {@code positive}
     */
    int sampleOtherThan(int positive, Random random) {
        int t;
        do {
            t = sample(random);
        } while (t == positive);
        return t;
    }
}
