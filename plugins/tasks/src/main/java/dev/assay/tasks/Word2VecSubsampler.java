package dev.assay.tasks;

/**
 * Subsampling of frequent words (Mikolov et al. 2013b, "Distributed Representations of Words and
 * Phrases and their Compositionality", eq. 5): each occurrence of a word w with relative training
 * frequency {@code f(w) = c(w) / N} is discarded with probability {@code 1 - sqrt(t / f(w))}, so
 * it is kept with probability {@code min(1, sqrt(t / f(w)))}. Words rarer than t are always kept.
 * (The reference C code uses the slightly different {@code (sqrt(f/t) + 1)·t/f}; this is the
 * paper's formula.)
 */
final class Word2VecSubsampler {

    private final double[] keep;

    /**
     * Computes the keep probability of every token.
     *
     * @param counts training count per token index
     * @param threshold the threshold t; 0 disables subsampling
     * @throws IllegalArgumentException if the threshold is negative
     */
    Word2VecSubsampler(long[] counts, double threshold) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        keep = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            keep[i] = keepProbability(counts[i], total, threshold);
        }
    }

    /**
     * The probability of keeping one occurrence of a word.
     *
     * @param count the word's training count c(w)
     * @param total the number of training tokens N
     * @param threshold the threshold t (e.g. 1e-3 on small corpora, 1e-5 on billions of words)
     * @return {@code min(1, sqrt(t / (c/N)))}; 1 when {@code threshold == 0} or {@code count == 0}
     * @throws IllegalArgumentException if the threshold is negative
     */
    static double keepProbability(long count, long total, double threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("subsample threshold must be >= 0, got "
                    + threshold);
        }
        if (threshold == 0 || count == 0) {
            return 1;
        }
        double frequency = (double) count / total;
        return Math.min(1, Math.sqrt(threshold / frequency));
    }

    /**
     * Returns a token's keep probability.
     *
     * @param token the token index
     * @return the probability in (0, 1]
     */
    double keep(int token) {
        return keep[token];
    }
}
