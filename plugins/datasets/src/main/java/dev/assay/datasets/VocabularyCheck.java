package dev.assay.datasets;

import dev.assay.data.Vocabulary;

/**
 * Refuses a vocabulary that holds its special tokens only: with a {@code min_frequency} above
 * every training token's count, every token of every split is {@value Vocabulary#UNK}, and the
 * model learns to predict it perfectly (a seq2seq run's {@code val_loss} fell to 0.037 with a BLEU
 * of 0, found by a helper session).
 */
final class VocabularyCheck {

    private VocabularyCheck() {}

    /**
     * Checks that a vocabulary has a token of the data besides its special ones.
     *
     * @param dataset the dataset's name, for the message
     * @param which which vocabulary ({@code "the"}, {@code "the source"}, {@code "the target"})
     * @param vocabulary the vocabulary built from the training split
     * @param specials the tokens that are not the data's words: {@value Vocabulary#PAD}, {@value
     *     Vocabulary#UNK}, and the markers the dataset adds (a language model's {@code <eos>} after
     *     every line, which counted as a word: a corpus of all-{@code <unk>} lines trained to a
     *     perplexity of 1.6; seq2seq's {@code <bos>}, {@code <eos>})
     * @param minFrequency the {@code min_frequency} it was built with
     * @return the vocabulary
     * @throws IllegalArgumentException if it has no other token
     */
    static Vocabulary requireWords(String dataset, String which, Vocabulary vocabulary, java.util.Set<String> specials,
            int minFrequency) {
        if (specials.containsAll(vocabulary.tokens())) {
            throw new IllegalArgumentException(dataset + ": no training token occurs " + minFrequency
                    + " time(s) or more, so " + which + " vocabulary holds only its special tokens and every"
                    + " token would be " + Vocabulary.UNK + "; lower min_frequency");
        }
        return vocabulary;
    }

    /**
     * Checks {@code max_vocab} before a vocabulary is built from it: 0 (no limit) or more than the
     * special tokens, so that at least one word fits. Refused afterwards, 1 named an internal
     * {@code max_size}, and a size that held the special tokens alone said to lower {@code
     * min_frequency}, which was already 1.
     *
     * @param dataset the dataset's name, for the message
     * @param maxVocab the {@code max_vocab} parameter
     * @param specials the special tokens the vocabulary holds besides words
     * @throws IllegalArgumentException if it is positive but leaves no room for a word
     */
    static void requireMaxVocab(String dataset, int maxVocab, java.util.Set<String> specials) {
        String problem = maxVocabProblem(maxVocab, specials);
        if (problem != null) {
            throw new IllegalArgumentException(dataset + ": dataset.params.max_vocab " + problem);
        }
    }

    /**
     * What is wrong with a {@code max_vocab} ({@link #requireMaxVocab}), for a provider's {@code
     * checkParams}, which refuses it when the experiment file is read.
     *
     * @param maxVocab the value
     * @param specials the special tokens the vocabulary holds besides words
     * @return {@code must be 0 (no limit) or at least N, ...}, or null when it is fine
     */
    static String maxVocabProblem(int maxVocab, java.util.Set<String> specials) {
        return maxVocab != 0 && maxVocab <= specials.size() ? "must be 0 (no limit) or at least " + (specials.size() + 1)
                + ", room for the " + specials.size() + " special tokens (" + String.join(", ",
                new java.util.TreeSet<>(specials)) + ") and a word; got " + maxVocab : null;
    }

    /**
     * {@link #maxVocabProblem} as a provider's {@code checkParams} answer.
     *
     * @param params the provider's resolved parameters, {@code max_vocab} among them
     * @param specials the special tokens
     * @return {@code max_vocab} → the problem, or empty
     */
    static java.util.Map<String, String> checkMaxVocab(dev.assay.plugin.Params params, java.util.Set<String> specials) {
        String problem = maxVocabProblem(params.getInt("max_vocab"), specials);
        return problem == null ? java.util.Map.of() : java.util.Map.of("max_vocab", problem);
    }
}
