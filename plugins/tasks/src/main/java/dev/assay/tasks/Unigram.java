package dev.assay.tasks;

import dev.assay.data.Vocabulary;

/** The unigram baseline of {@link LanguageModelTask}. */
final class Unigram {

    private Unigram() {}

    /**
     * Perplexity of an add-one-smoothed (Laplace; Jurafsky & Martin, "Speech and Language
     * Processing", 3rd ed. draft, ch. 3, "Laplace Smoothing") unigram model: {@code p(w) = (c(w) + 1) / (N + V)}, with
     * counts c from the training stream (N tokens) over the V = vocabulary - 1 tokens that are
     * not {@code <pad>}; perplexity {@code exp(-(1/M) Σ log p(w_i))} over the M targets.
     *
     * @param train the training stream
     * @param vocabularySize the vocabulary size, {@code <pad>} included
     * @param targets the test targets
     * @return the perplexity
     */
    static double perplexity(int[] train, int vocabularySize, int[] targets) {
        long[] counts = new long[vocabularySize];
        for (int t : train) {
            counts[t]++;
        }
        double denominator = train.length + (vocabularySize - 1.0);
        double logSum = 0;
        for (int t : targets) {
            long c = t == Vocabulary.PAD_INDEX ? 0 : counts[t];
            logSum += Math.log((c + 1) / denominator);
        }
        return Math.exp(-logSum / targets.length);
    }
}
