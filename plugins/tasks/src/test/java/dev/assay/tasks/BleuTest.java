package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Corpus BLEU-4 on hand-computed examples (Papineni et al. 2002). */
class BleuTest {

    private static List<String> words(String s) {
        return List.of(s.split(" "));
    }

    @Test
    void perfectTranslationScoresOne() {
        assertThat(Bleu.corpus(List.of(words("the cat is on the mat")),
                List.of(words("the cat is on the mat")))).isEqualTo(1.0);
    }

    @Test
    void partialMatchGivesTheGeometricMeanOfClippedPrecisionsTimesBrevityPenalty() {
        // candidate "the cat sat on the mat" vs reference "the cat is on the mat":
        // p1 = 5/6, p2 = 3/5 (the cat, on the, the mat), p3 = 1/4 (on the mat), p4 = 0/3 -> 0
        assertThat(Bleu.corpus(List.of(words("the cat sat on the mat")),
                List.of(words("the cat is on the mat")))).isEqualTo(0.0);
        // candidate "a b c d e" vs reference "a b c d f": p1 = 4/5, p2 = 3/4, p3 = 2/3, p4 = 1/2,
        // c = r = 5 -> BP = 1; BLEU = (4/5 · 3/4 · 2/3 · 1/2)^(1/4) = 0.2^(1/4)
        assertThat(Bleu.corpus(List.of(words("a b c d e")), List.of(words("a b c d f"))))
                .isCloseTo(Math.pow(0.2, 0.25), within(1e-12));
    }

    @Test
    void unigramCountsAreClippedByTheReference() {
        // Papineni's example: "the the the the the the the" vs "the cat is on the mat" has
        // modified unigram precision 2/7; with no bigram match BLEU-4 is 0.
        Bleu bleu = new Bleu().add(words("the the the the the the the"),
                words("the cat is on the mat"));
        assertThat(bleu.score()).isEqualTo(0.0);
    }

    @Test
    void shortCandidatesPayTheBrevityPenaltyAtCorpusLevel() {
        // candidate "a b c d" (c = 4) vs reference "a b c d e f" (r = 6): all precisions 1,
        // BP = exp(1 - 6/4) = exp(-0.5)
        assertThat(Bleu.corpus(List.of(words("a b c d")), List.of(words("a b c d e f"))))
                .isCloseTo(Math.exp(-0.5), within(1e-12));
        // corpus level: counts are summed before dividing; second pair perfect (c = r = 5):
        // p1 = 9/9, p2 = 7/7, p3 = 5/5, p4 = 3/3, c = 9 < r = 11 -> BP = exp(1 - 11/9)
        assertThat(Bleu.corpus(List.of(words("a b c d"), words("v w x y z")),
                List.of(words("a b c d e f"), words("v w x y z"))))
                .isCloseTo(Math.exp(1 - 11.0 / 9), within(1e-12));
    }

    @Test
    void emptyCorpusScoresZero() {
        assertThat(new Bleu().score()).isEqualTo(0.0);
    }
}
