package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.data.Seq2SeqData;
import dev.assay.data.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a greedy prediction is scored against a reference that holds a word the vocabulary lacks. */
class Seq2SeqDecodingTest {

    private static final Vocabulary TARGET = Vocabulary.of(List.of("<pad>", "<unk>", "<bos>", "<eos>", "w1", "w2"));
    private static final int W1 = 4;
    private static final int W2 = 5;

    @Test
    void aPredictedUnkMatchesNoReferenceWord() {
        // the reference "w1 u7 w2": u7 is outside the vocabulary. Scored against the encoded labels it read
        // "w1 <unk> w2" on both sides, and a model emitting <unk> got every position, an exact match and
        // BLEU 1 (found by a fresh-clone check: BLEU 0.99 where no test sentence could be produced)
        int[] predicted = {W1, Vocabulary.UNK_INDEX, W2, Seq2SeqData.EOS_INDEX, 0};
        List<String> reference = List.of("w1", "u7", "w2");

        assertThat(Seq2SeqDecoding.correctPositions(TARGET, predicted, reference)).isEqualTo(3); // w1, w2, <eos>
        List<String> candidate = Seq2SeqData.decode(TARGET, predicted);
        assertThat(candidate).containsExactly("w1", "<unk>", "w2").isNotEqualTo(reference);
        // p1 = 2/3, p2 = 0/2: BLEU-4 is 0
        assertThat(new Bleu().add(candidate, reference).score()).isEqualTo(0.0);
    }

    @Test
    void eosIsScoredAtTheEndOfTheReferenceAndAShortPredictionMissesTheRest() {
        int[] exact = {W1, W2, Seq2SeqData.EOS_INDEX};
        assertThat(Seq2SeqDecoding.correctPositions(TARGET, exact, List.of("w1", "w2"))).isEqualTo(3);
        int[] noEos = {W1, W2, W2};
        assertThat(Seq2SeqDecoding.correctPositions(TARGET, noEos, List.of("w1", "w2"))).isEqualTo(2);
        int[] shorter = {W1}; // decoding stopped after one step: positions 1 and 2 are missed
        assertThat(Seq2SeqDecoding.correctPositions(TARGET, shorter, List.of("w1", "w2"))).isEqualTo(1);
        // a numbers audit: "205-02-03<eos>" against "2037-08-15" was credited with the reference's <eos> at step 10,
        // decoded after the output had ended at step 9; what follows the first <eos> is not output
        int[] endedEarly = {W1, Seq2SeqData.EOS_INDEX, Seq2SeqData.EOS_INDEX};
        assertThat(Seq2SeqDecoding.correctPositions(TARGET, endedEarly, List.of("w1", "w2"))).isEqualTo(1);
        int[] endedThenCopied = {Seq2SeqData.EOS_INDEX, W2, Seq2SeqData.EOS_INDEX};
        assertThat(Seq2SeqDecoding.correctPositions(TARGET, endedThenCopied, List.of("w1", "w2"))).isZero();
        int[] padded = {Vocabulary.PAD_INDEX, Seq2SeqData.BOS_INDEX, Seq2SeqData.EOS_INDEX};
        assertThat(Seq2SeqDecoding.correctPositions(TARGET, padded, List.of("<pad>", "<bos>"))).isEqualTo(1);
    }

    @Test
    void mostlyShortReferencesAreWarnedAboutForBleu() {
        List<List<String>> shortOnes = List.of(List.of("je", "vais"),
                List.of("a", "b", "c"), List.of("a", "b", "c", "d"));
        try (LogCapture log = new LogCapture("dev.assay.tasks")) {
            assertThat(Seq2SeqTask.warnIfShortReferences(shortOnes, "val_bleu")).isTrue();
            assertThat(Seq2SeqTask.warnIfShortReferences(
                    List.of(List.of("a", "b"), List.of("a", "b", "c", "d")), "val_bleu"))
                    .isFalse(); // half is not most
            assertThat(log.warnings()).containsExactly("seq2seq: 2 of 3 references have"
                    + " fewer than 4 tokens, so they hold no 4-gram and val_bleu (BLEU-4, unsmoothed) reads 0 unless the"
                    + " other outputs match 4-grams; read the exact match and token accuracy beside it");
        }
    }
}
