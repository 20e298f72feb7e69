package dev.assay.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import dev.assay.data.DatasetContext;
import dev.assay.data.Seq2SeqData;
import dev.assay.data.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seq2seq datasets: generated dates and Anki/Tatoeba sentence pairs from a TSV fixture. */
class Seq2SeqDatasetsTest extends DatasetFixture {

    /** Three lines exactly as in manythings.org's fra.txt, plus a Tatoeba 4-column line. */
    private static final String ANKI = "\uFEFFGo.\tVa !\tCC-BY 2.0 (France) Attribution:"
            + " tatoeba.org #2877272 (CM) & #1158250 (Wittydev)\r\n"
            + "Hi.\tSalut !\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM) &"
            + " #509819 (Aiji)\n"
            + "\n"
            + "I won!\tJ'ai gagné !\n"
            + "1276\tLet's try something.\t1278\tEssayons quelque chose.\n";

    private DatasetContext context(long seed) {
        return new DatasetContext(manager, 8, seed, List.of(dir));
    }

    @Test
    void dateGeneratorIsDeterministicPerSeedAndTheTestDatesNeverOccurInTraining() {
        DateNormalisation.Examples a = DateNormalisation.generate(7, 3000, 500);
        DateNormalisation.Examples b = DateNormalisation.generate(7, 3000, 500);
        DateNormalisation.Examples c = DateNormalisation.generate(8, 3000, 500);
        assertThat(a).isEqualTo(b);
        assertThat(a.train()).isNotEqualTo(c.train());
        assertThat(a.train()).hasSize(3000);
        assertThat(a.test()).hasSize(500);
        Set<LocalDate> train = new HashSet<>();
        a.train().forEach(e -> train.add(e.date()));
        assertThat(train).hasSize(3000);
        assertThat(a.test()).noneMatch(e -> train.contains(e.date()));
        for (DateNormalisation.Example e : a.train()) {
            assertThat(LocalDate.parse(e.target())).isEqualTo(e.date());
            assertThat(e.date()).isBetween(DateNormalisation.FIRST, DateNormalisation.LAST);
        }
        Set<Integer> lengths = new HashSet<>();
        a.train().forEach(e -> lengths.add(e.source().length()));
        assertThat(lengths.size()).as("several formats in use").isGreaterThan(5);
        // the generated data's fingerprint (it was empty): the same for the same seed, another for another
        assertThat(DateNormalisationProvider.fingerprint(a)).hasSize(16)
                .isEqualTo(DateNormalisationProvider.fingerprint(b))
                .isNotEqualTo(DateNormalisationProvider.fingerprint(c));
    }

    @Test
    void dateFormatsWriteTheIssueExamples() {
        LocalDate d = LocalDate.of(2021, 3, 3);
        assertThat(DateNormalisation.format(d, 0)).isEqualTo("3 march 2021");
        assertThat(DateNormalisation.format(d, 1)).isEqualTo("03/03/21");
        assertThat(DateNormalisation.format(d, 2)).isEqualTo("Wednesday, March 3, 2021");
        assertThat(DateNormalisation.format(d, 7)).isEqualTo("MARCH 3 2021");
        assertThat(DateNormalisation.format(d, 9)).isEqualTo("3-mar-21");
        assertThat(DateNormalisation.characters("3 m")).containsExactly("3", " ", "m");
    }

    @Test
    void datesProviderEncodesPairsInTheSeq2SeqLayout() throws Exception {
        DateNormalisationProvider p = new DateNormalisationProvider();
        Seq2SeqData data = p.load(params(p, Map.of("train_size", 200L, "test_size", 50L,
                "validation_split", 0.25, "seed", 11L)), context(3));
        assertThat(data.train().size()).isEqualTo(150);
        assertThat(data.validation().size()).isEqualTo(50);
        assertThat(data.test().size()).isEqualTo(50);
        assertThat(data.maxTargetLength()).isEqualTo(11);
        assertThat(data.targetVocabulary().tokens()).startsWith("<pad>", "<unk>", "<bos>",
                "<eos>").contains("-", "0", "9").hasSize(4 + 11);
        assertThat(data.source().kind()).isEqualTo("generated");
        Record r = data.test().get(manager, 0);
        int[] in = r.getData().get(1).toType(ai.djl.ndarray.types.DataType.INT32, false)
                .toIntArray();
        int[] out = r.getLabels().head().toType(ai.djl.ndarray.types.DataType.INT32, false)
                .toIntArray();
        assertThat(in[0]).isEqualTo(Seq2SeqData.BOS_INDEX);
        assertThat(out[10]).isEqualTo(Seq2SeqData.EOS_INDEX);
        String iso = String.join("", Seq2SeqData.decode(data.targetVocabulary(), out));
        assertThat(iso).isEqualTo(DateNormalisation.generate(11, 200, 50).test().get(0).target());
        assertThat(java.util.Arrays.copyOfRange(in, 1, 11))
                .isEqualTo(java.util.Arrays.copyOfRange(out, 0, 10));
        try (Batch b = data.train().getData(manager).iterator().next()) {
            NDList x = b.getData();
            assertThat(x.get(0).getShape().getShape()).containsExactly(8, data.maxSourceLength());
            assertThat(x.get(1).getShape().getShape()).containsExactly(8, 11);
        }
    }

    @Test
    void datesRejectsMoreDatesThanExist() {
        assertThatThrownBy(() -> DateNormalisation.generate(1, 36000, 600))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("train_size and test_size")
                .hasMessage("train_size and test_size must be >= 1 and add up to at most 36525 (the"
                        + " distinct dates from 1950-01-01 to 2049-12-31), got 36000 and 600");
    }

    @Test
    void ankiReaderParsesTheFixtureExactly() throws IOException {
        assertThat(SentencePairsReader.parse(ANKI, "fra.txt")).containsExactly(
                new SentencePairsReader.TextPair("Go.", "Va !"),
                new SentencePairsReader.TextPair("Hi.", "Salut !"),
                new SentencePairsReader.TextPair("I won!", "J'ai gagné !"),
                new SentencePairsReader.TextPair("Let's try something.",
                        "Essayons quelque chose."));
    }

    @Test
    void aLoneCarriageReturnEndsALine() throws IOException {
        // found by a dataset check: a file of old Mac line ends was one line, refused as "N columns" on line 1
        assertThat(SentencePairsReader.parse("Go.\tVa !\rHi.\tSalut !\r\nRun!\tCours !\n", "mac.txt")).containsExactly(
                new SentencePairsReader.TextPair("Go.", "Va !"), new SentencePairsReader.TextPair("Hi.", "Salut !"),
                new SentencePairsReader.TextPair("Run!", "Cours !"));
        assertThatThrownBy(() -> SentencePairsReader.parse("Go.\tVa !\rno tab here\r", "x.txt"))
                .hasMessageStartingWith("x.txt:2:");
    }

    @Test
    void ankiReaderNamesTheBadLine() throws IOException {
        assertThatThrownBy(() -> SentencePairsReader.parse("Go.\tVa !\nno tab here\n", "x.txt"))
                .isInstanceOf(IOException.class)
                .hasMessage("x.txt:2: expected source<TAB>target [<TAB>attribution], got one column (no tab)");
        // an empty target was reported as "got 3 column(s)"
        assertThatThrownBy(() -> SentencePairsReader.parse("Go.\tVa !\nEmpty target.\t\tx\n", "x.txt"))
                .hasMessage("x.txt:2: the target sentence is empty; every line needs source<TAB>target"
                        + " [<TAB>attribution] with two non-empty sentences");
        // a line of blanks around a tab was dropped silently
        assertThatThrownBy(() -> SentencePairsReader.parse("Go.\tVa !\n   \t   \n", "x.txt"))
                .hasMessageStartingWith("x.txt:2: both sentences are empty;");
        assertThatThrownBy(() -> SentencePairsReader.parse("\tVa !\n", "x.txt"))
                .hasMessageStartingWith("x.txt:1: the source sentence is empty;");
        assertThat(SentencePairsReader.parse("Go.\tVa !\n   \n\n", "x.txt")).hasSize(1); // blank lines stay skipped
    }

    @Test
    void ankiReaderRefusesFourColumnsThatAreNotTatoebaIds() {
        // "Wait !<TAB>Attends<TAB>!<TAB>CC-BY" was read as the pair ("Wait !", "Attends")
        assertThatThrownBy(() -> SentencePairsReader.parse("Go.\tVa !\nWait !\tAttends\t!\tCC-BY\n", "x.txt"))
                .isInstanceOf(IOException.class)
                .hasMessage("x.txt:2: expected source<TAB>target [<TAB>attribution], or Tatoeba's"
                        + " id<TAB>source<TAB>id<TAB>target, got 4 columns (a tab inside a sentence?)");
    }

    @Test
    void theTestSplitFollowsTheModelsInputSentenceSoReversedPairsDoNotLeakTestInputsIntoTraining() {
        // found by a new-user check: with reverse: true the split hashed the file's first column, the target,
        // so an input on several lines sat in both splits (290 of 322 test inputs were training inputs)
        List<SentencePairsReader.TextPair> raw = new java.util.ArrayList<>();
        for (int k = 0; k < 100; k++) {
            for (int j = 0; j < 4; j++) {
                raw.add(new SentencePairsReader.TextPair("answer " + j + " of " + k, "question " + k));
            }
        }
        SentencePairsProvider p = new SentencePairsProvider(new TextDataLocator(k -> null, dir.resolve("none")));
        for (boolean reverse : new boolean[] {false, true}) {
            List<String> keys = new java.util.ArrayList<>();
            List<Seq2SeqPairs.Pair> train = new java.util.ArrayList<>();
            List<Seq2SeqPairs.Pair> test = new java.util.ArrayList<>();
            SentencePairsProvider.split(SentencePairsProvider.tokenize(raw,
                    params(p, Map.of("reverse", reverse)), keys), keys, 0.2, train, test);
            java.util.Set<List<String>> trainInputs = new java.util.HashSet<>();
            train.forEach(pair -> trainInputs.add(pair.source()));
            assertThat(test).as("reverse %s", reverse).isNotEmpty()
                    .noneMatch(pair -> trainInputs.contains(pair.source()));
            assertThat(train.size() + test.size()).isEqualTo(400);
        }
    }

    @Test
    void thePairsMaxLengthAndMaxPairsDropAreCountedInTheLog() {
        // found by a new-user check: the log gave only the pairs kept, not the 203 of 400 max_length dropped
        List<SentencePairsReader.TextPair> raw = List.of(
                new SentencePairsReader.TextPair("a b", "x y"),
                new SentencePairsReader.TextPair("a b c d", "x"),
                new SentencePairsReader.TextPair("  ", "x"),
                new SentencePairsReader.TextPair("c", "z"),
                new SentencePairsReader.TextPair("d", "w"));
        SentencePairsProvider p = new SentencePairsProvider(new TextDataLocator(k -> null, dir.resolve("none")));
        try (LogCapture log = new LogCapture()) {
            List<Seq2SeqPairs.Pair> kept = SentencePairsProvider.tokenize(raw,
                    params(p, Map.of("max_length", 3L, "max_pairs", 2L)), new java.util.ArrayList<>());
            assertThat(kept).extracting(Seq2SeqPairs.Pair::source).containsExactly(List.of("a", "b"), List.of("c"));
            assertThat(log.infos()).containsExactly("sentence-pairs: kept 2 of the 4 pairs read; 1 longer than"
                    + " max_length 3 tokens; 1 with a side of no tokens; max_pairs 2 reached, 1 further pairs not read");
        }
        try (LogCapture log = new LogCapture()) {
            SentencePairsProvider.tokenize(raw.subList(0, 1), params(p, Map.of()), new java.util.ArrayList<>());
            assertThat(log.infos()).isEmpty();
        }
    }

    @Test
    void sentencePairsProviderSplitsByHashAndTokenizes() throws Exception {
        StringBuilder tsv = new StringBuilder(ANKI);
        for (int i = 0; i < 200; i++) {
            tsv.append("I see ").append(i).append(" cats.\tJe vois ").append(i)
                    .append(" chats.\tCC-BY 2.0 (France) Attribution: tatoeba.org #").append(i)
                    .append('\n');
        }
        Files.createDirectories(dir.resolve("anki"));
        Files.writeString(dir.resolve("anki/fra.txt"), tsv);
        SentencePairsProvider p = new SentencePairsProvider(
                new TextDataLocator(k -> null, dir.resolve("no-cache")));
        Seq2SeqData data = p.load(params(p, Map.of("test_fraction", 0.2, "max_length", 6L)),
                context(5));
        long total = data.train().size() + data.validation().size() + data.test().size();
        assertThat(total).isEqualTo(204);
        assertThat(data.test().size()).isBetween(20L, 65L);
        assertThat(data.sourceVocabulary().tokens()).contains("i", "see", "cats", ".", "go");
        assertThat(data.targetVocabulary().tokens()).contains("je", "vois", "chats", "!");
        assertThat(data.maxSourceLength()).isEqualTo(5);
        assertThat(data.maxTargetLength()).isEqualTo(6);
        Seq2SeqData again = p.load(params(p, Map.of("test_fraction", 0.2, "max_length", 6L)),
                context(99));
        assertThat(again.test().size()).as("test split does not depend on the seed")
                .isEqualTo(data.test().size());
        // nor on the tokenizer (found by a dataset check: it hashed the tokens, so a sweep over tokenizer
        // scored each trial on another test set, 106/15 pairs by word and 110/11 by character)
        for (Map<String, Object> other : List.of(Map.<String, Object>of("tokenizer", "char"),
                Map.<String, Object>of("lowercase", false))) {
            Map<String, Object> given = new java.util.HashMap<>(other);
            given.put("test_fraction", 0.2);
            assertThat(p.load(params(p, given), context(5)).test().size()).as("%s", other)
                    .isEqualTo(p.load(params(p, Map.of("test_fraction", 0.2)), context(5)).test().size());
        }
        assertThat(SentencePairsProvider.splitKey("  I  see\u00a05 Cafe\u0301s. ")).isEqualTo("i see 5 caf\u00e9s.");
        Seq2SeqData reversed = p.load(params(p, Map.of("reverse", true, "max_pairs", 10L, "test_fraction", 0.5)),
                context(5));
        assertThat(reversed.sourceVocabulary().tokens()).contains("vois", "je").doesNotContain("see", "cats");
        // the references keep each test pair's words as read: with min_frequency 2 every number is outside the
        // vocabulary and its label reads <unk>, which BLEU once compared against a predicted <unk>
        Seq2SeqData rare = p.load(params(p, Map.of("test_fraction", 0.2, "min_frequency", 2L)), context(5));
        assertThat(rare.testTargets()).hasSize((int) rare.test().size());
        assertThat(rare.validationTargets()).hasSize((int) rare.validation().size());
        int withNumber = -1;
        for (int i = 0; i < rare.testTargets().size() && withNumber < 0; i++) {
            if (rare.testTargets().get(i).stream().anyMatch(t -> t.matches("[0-9]+"))) {
                withNumber = i;
            }
        }
        assertThat(withNumber).as("a test pair with a number").isNotNegative();
        List<String> reference = rare.testTargets().get(withNumber);
        int[] label = rare.test().get(manager, withNumber).getLabels().head()
                .toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        List<String> decoded = Seq2SeqData.decode(rare.targetVocabulary(), label);
        assertThat(decoded).hasSameSizeAs(reference).contains("<unk>").isNotEqualTo(reference);
        for (int t = 0; t < reference.size(); t++) {
            assertThat(decoded.get(t)).isIn(reference.get(t), "<unk>");
        }
        // above every token's count, each vocabulary held <pad> <unk> <bos> <eos> only: val_loss 0.037, BLEU 0
        assertThatThrownBy(() -> p.load(params(p, Map.of("min_frequency", 100_000L)), context(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("anki/fra.txt") + ": no training token occurs 100000 time(s) or more, so the"
                        + " source vocabulary holds only its special tokens and every token would be <unk>; lower"
                        + " min_frequency");
    }

    @Test
    void missingSentencePairsFileSaysWhereToGetItAndWhereToPutIt() {
        SentencePairsProvider p = new SentencePairsProvider(
                new TextDataLocator(k -> null, dir.resolve("no-cache")));
        assertThatThrownBy(() -> p.load(params(p, Map.of()), context(1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("sentence pairs file 'fra.txt' not found")
                .hasMessageContaining("https://www.manythings.org/anki/")
                .hasMessageContaining("fra-eng.zip")
                .hasMessageContaining(dir.toString())
                // the working directory was listed as an empty entry: "looked in [, /tmp/...]"
                // the data directories first, then the working directory (as --data-dir's help says)
                .hasMessageContaining("looked in [" + dir + ", . (" + Path.of("").toAbsolutePath() + "), ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("[, "));
    }

    @Test
    void seq2seqVocabularyStartsWithTheFourSpecialTokens() {
        Vocabulary v = Seq2SeqData.buildVocabulary(List.of(List.of("b", "a", "b", "<eos>")), 1,
                5);
        assertThat(v.tokens()).containsExactly("<pad>", "<unk>", "<bos>", "<eos>", "b");
        assertThat(Seq2SeqData.decode(v, new int[] {2, 4, 1, 3, 4})).containsExactly("b",
                "<unk>");
        assertThat(Seq2SeqData.decoderLabels(v, List.of("b", "b"), 3)).containsExactly(4, 4, 3);
        assertThat(Seq2SeqData.decoderInput(v, List.of("b", "b"), 3)).containsExactly(2, 4, 4);
    }

    @Test
    void theValidationSplitKeepsEverySourceSentenceOnOneSide() {
        // 30 sources with two translations each, in file order; "Go ." and "go ." are one source
        List<Seq2SeqPairs.Pair> train = new java.util.ArrayList<>();
        for (int t = 0; t < 2; t++) {
            for (int s = 0; s < 30; s++) {
                train.add(new Seq2SeqPairs.Pair(List.of(t == 0 ? "Go" : "go", "n" + s), List.of("va", "v" + s + t)));
            }
        }
        Set<Set<String>> seen = new HashSet<>();
        for (long seed : new long[] {1, 2, 3}) {
            List<Seq2SeqPairs.Pair> validation = new java.util.ArrayList<>();
            List<Seq2SeqPairs.Pair> fit = new java.util.ArrayList<>();
            Seq2SeqPairs.splitValidation(train, 0.2, seed, validation, fit);
            assertThat(validation).hasSize(12); // round(60 * 0.2) pairs, whole sources
            assertThat(fit).hasSize(48);
            Set<String> held = new HashSet<>();
            validation.forEach(p -> held.add(p.source().get(1)));
            assertThat(held).hasSize(6);
            assertThat(fit).noneMatch(p -> held.contains(p.source().get(1)));
            assertThat(fit.get(0).source().get(0)).isEqualTo("Go"); // file order kept
            seen.add(held);
        }
        assertThat(seen).hasSize(3); // the seed picks the sources
        List<Seq2SeqPairs.Pair> none = new java.util.ArrayList<>();
        List<Seq2SeqPairs.Pair> all = new java.util.ArrayList<>();
        Seq2SeqPairs.splitValidation(train, 0.0, 1, none, all);
        assertThat(none).isEmpty();
        assertThat(all).isEqualTo(train);
        // one source with 60 translations beside 10 single ones: it took 63 of 66 pairs for validation
        List<Seq2SeqPairs.Pair> skewed = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            skewed.add(new Seq2SeqPairs.Pair(List.of("hello", "world"), List.of("bonjour", "monde", "v" + i)));
        }
        for (int i = 0; i < 10; i++) {
            skewed.add(new Seq2SeqPairs.Pair(List.of("good", "night", "n" + i), List.of("bonne", "nuit", "n" + i)));
        }
        for (long seed = 1; seed <= 5; seed++) {
            List<Seq2SeqPairs.Pair> validation = new java.util.ArrayList<>();
            List<Seq2SeqPairs.Pair> fit = new java.util.ArrayList<>();
            Seq2SeqPairs.splitValidation(skewed, 0.1, seed, validation, fit);
            assertThat(validation).hasSize(7).allMatch(p -> p.source().get(0).equals("good"));
            assertThat(fit).hasSize(63);
        }
        // every source bigger than what validation wants: the smallest one goes
        List<Seq2SeqPairs.Pair> twoBig = new java.util.ArrayList<>(skewed.subList(0, 60));
        for (int i = 0; i < 20; i++) {
            twoBig.add(new Seq2SeqPairs.Pair(List.of("bye"), List.of("salut", "s" + i)));
        }
        List<Seq2SeqPairs.Pair> validation = new java.util.ArrayList<>();
        Seq2SeqPairs.splitValidation(twoBig, 0.1, 3, validation, new java.util.ArrayList<>());
        assertThat(validation).hasSize(20).allMatch(p -> p.source().equals(List.of("bye")));
    }
}
