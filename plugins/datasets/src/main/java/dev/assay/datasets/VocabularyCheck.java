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
}
