package dev.assay.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assay.data.SequenceClassificationData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Text classification datasets whose classes are not what the files seem to say. */
class TextClassesTest extends DatasetFixture {


    /** Writes {@code "label","title","text"} rows, one per label. */
    private static void csv(Path file, int... labels) throws Exception {
        StringBuilder s = new StringBuilder();
        for (int label : labels) {
            s.append('"').append(label).append("\",\"t\",\"word ").append(label).append("\"\n");
        }
        Files.writeString(file, s);
    }

    private static void write(Path root, String... pathsThenTexts) throws Exception {
        for (int i = 0; i < pathsThenTexts.length; i += 2) {
            Path f = root.resolve(pathsThenTexts[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, pathsThenTexts[i + 1]);
        }
    }

    @Test
    void csvTypoLabelThatLeavesClassesEmptyIsRefusedNamingTheLabelAndItsLine() throws Exception {
        Path ag = Files.createDirectories(dir.resolve("ag"));
        Files.writeString(ag.resolve("train.csv"), "\"1\",\"a\",\"x\"\n\"2\",\"b\",\"two\nlines\"\n"
                + "\"40\",\"c\",\"y\"\n\"3\",\"d\",\"z\"\n\"4\",\"e\",\"w\"\n\"40\",\"f\",\"v\"\n");
        csv(ag.resolve("test.csv"), 1, 2);
        CsvTextProvider p = new CsvTextProvider(locator());
        // it trained a 40-class model
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "ag")), context()))
                .hasMessage(ag.resolve("train.csv") + ": labels 1..40 make 40 classes, but 35 of them have no"
                        + " training example (5-39); label 40 at train.csv:4. Fix the label(s), or list all 40"
                        + " class names in classes.txt (one per line) to train with classes that have no example.");
    }

    @Test
    void csvClassesTxtDeclaringAClassWithoutTrainingExamplesIsAWarning() throws Exception {
        Path ag = Files.createDirectories(dir.resolve("ag"));
        csv(ag.resolve("train.csv"), 1, 2, 4, 1);
        csv(ag.resolve("test.csv"), 1, 4);
        Files.writeString(ag.resolve("classes.txt"), "World\nSports\nBusiness\nSci/Tech\n");
        CsvTextProvider p = new CsvTextProvider(locator());
        try (LogCapture log = new LogCapture()) {
            SequenceClassificationData d = p.load(params(p, Map.of("path", "ag")), context());
            assertThat(d.classNames()).containsExactly("World", "Sports", "Business", "Sci/Tech");
            assertThat(log.warnings()).containsExactly(
                    "csv-text: class Business has no training example (none in " + ag.resolve("train.csv")
                            + "); the model cannot learn it",
                    "csv-text: the test split has no example of class Sports (none in " + ag.resolve("test.csv")
                            + "); the test metrics leave it out",
                    // 4 texts are too few for the default validation_split, which the file read did not know
                    "csv-text: validation_split 0.1 of 4 training texts holds out none, so the runs will have no"
                            + " val_* metrics and early stopping or pruning on val_loss nothing to watch");
            // one line, with the counts used (after limit_train; here no limit)
            assertThat(log.infos()).contains("csv-text: using data-dir (" + ag + "): 4 train, 2 test; 4 classes,"
                    + " examples per class trained on (validation held out) {World=2, Sports=1, Business=0, Sci/Tech=1}");
        }
    }

    @Test
    void aLatin1OrBomClassesTxtIsReadAsTheDataFilesAre() throws Exception {
        // found by a dataset check: a Latin-1 classes.txt stopped the trial with a bare
        // "MalformedInputException: Input length = 1", and a byte order mark named the first class "\uFEFFWorld"
        Path ag = Files.createDirectories(dir.resolve("latin"));
        csv(ag.resolve("train.csv"), 1, 2, 3, 1);
        csv(ag.resolve("test.csv"), 1, 3);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] names = "World\nSoci\u00e9t\u00e9\nBusiness\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] all = new byte[bom.length + names.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(names, 0, all, bom.length, names.length);
        Files.write(ag.resolve("classes.txt"), all);
        CsvTextProvider p = new CsvTextProvider(locator());
        try (LogCapture log = new LogCapture()) {
            SequenceClassificationData d = p.load(params(p, Map.of("path", "latin")), context());
            assertThat(d.classNames()).containsExactly("World", "Soci\uFFFDt\uFFFD", "Business");
            assertThat(log.warnings()).anyMatch(w -> w.startsWith("csv-text: 1 file(s) are not valid UTF-8, e.g. "
                    + ag.resolve("classes.txt") + ":2;"));
        }
    }

    @Test
    void csvWithOneTrainingClassIsRefusedEvenWhenClassesTxtListsMore() throws Exception {
        Path one = Files.createDirectories(dir.resolve("one"));
        csv(one.resolve("train.csv"), 1, 1, 1);
        csv(one.resolve("test.csv"), 1);
        CsvTextProvider p = new CsvTextProvider(locator());
        // it trained a one-class classifier: test_accuracy 1.0
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "one")), context()))
                .hasMessage("csv-text: the training split has examples of only 1 class {1=3}; a classifier"
                        + " needs at least 2. All were read from " + one.resolve("train.csv") + ". Check these"
                        + " files and folders (an empty folder, files named differently, a wrong label column).");
        Files.writeString(one.resolve("classes.txt"), "a\nb\n");
        assertThatThrownBy(() -> p.load(params(p, Map.of("path", "one")), context()))
                .hasMessageStartingWith("csv-text: the training split has examples of only 1 class {a=3, b=0};"
                        + " a classifier needs at least 2. No example of b in " + one.resolve("train.csv") + ".");
    }

    @Test
    void imdbReadsUpperCaseTxtAndRefusesATrainingClassFolderWithoutReviews() throws Exception {
        Path root = dir.resolve("aclImdb");
        write(root, "train/pos/0_9.TXT", "great film", "train/pos/1_8.txt", "great",
                "train/neg/0_2.TXT", "awful film", "train/neg/notes.md", "x",
                "test/pos/0_9.txt", "great", "test/neg/0_1.txt", "awful");
        ImdbProvider p = new ImdbProvider(locator());
        try (LogCapture log = new LogCapture()) {
            // the .TXT reviews were skipped: only pos was read, val_accuracy 1.0
            SequenceClassificationData d = p.load(params(p, Map.of("validation_split", 0.0)), context());
            assertThat(d.train().size()).isEqualTo(3);
            assertThat(log.warnings()).containsExactly("imdb: skipped 1 file(s) in " + root.resolve("train/neg")
                    + " not named *.txt, e.g. notes.md");
        }
        Files.delete(root.resolve("train/neg/0_2.TXT"));
        assertThatThrownBy(() -> p.load(params(p, Map.of()), context()))
                .hasMessageStartingWith("imdb: the training split has examples of only 1 class {neg=0, pos=2};"
                        + " a classifier needs at least 2. No example of neg in " + root.resolve("train/neg") + ".");
    }

    @Test
    void imdbEmptyTestClassFolderIsAWarning() throws Exception {
        Path root = dir.resolve("aclImdb");
        write(root, "train/pos/0_9.txt", "great film", "train/neg/0_2.txt", "awful film",
                "test/pos/0_9.txt", "great");
        Files.createDirectories(root.resolve("test/neg"));
        ImdbProvider p = new ImdbProvider(locator());
        try (LogCapture log = new LogCapture()) {
            // an all-positive test set, without a word
            p.load(params(p, Map.of("validation_split", 0.0)), context());
            assertThat(log.warnings()).containsExactly("imdb: the test split has no example of class neg (none in "
                    + root.resolve("test/neg") + "); the test metrics leave it out");
        }
    }

    @Test
    void spamAssassinWithoutAHamFolderIsRefusedListingTheFoldersFound() throws Exception {
        Path data = dir.resolve("spam-assassin");
        write(data, "spam-1/00001.aaaa.json", "{\"text\": \"Subject: win\\n\\nmoney\"}",
                "spam-1/00002.bbbb.json", "{\"text\": \"Subject: cheap\\n\\nmoney\"}",
                "legit/00001.cccc.json", "{\"text\": \"Subject: hi\\n\\nlunch\"}");
        Files.createDirectories(data.resolve("spam-2"));
        SpamAssassinProvider p = new SpamAssassinProvider(locator(), List.of());
        try (LogCapture log = new LogCapture()) {
            // it trained on spam only: test_accuracy 1.0
            assertThatThrownBy(() -> p.load(params(p, Map.of()), context()))
                    .hasMessageStartingWith("spam-assassin: the training split has examples of only 1 class"
                            + " {ham=0, spam=2}; a classifier needs at least 2. No example of ham in a folder of "
                            + data + " named spam* for spam, *ham* for ham (legit, spam-1, spam-2 there).");
            assertThat(log.warnings()).containsExactly(
                    "spam-assassin: ignored folder " + data.resolve("legit") + ": neither spam* (spam) nor *ham* (ham)",
                    "spam-assassin: folder " + data.resolve("spam-2") + " has no *.json message");
        }
    }

    @Test
    void filesThatAreNotUtf8AreCountedInOneWarningPerDataset() throws Exception {
        Path root = dir.resolve("aclImdb");
        write(root, "train/pos/0_9.txt", "great film", "train/neg/0_2.txt", "awful film",
                "test/pos/0_9.txt", "great", "test/neg/0_1.txt", "awful");
        Files.write(root.resolve("train/pos/1_9.txt"), "super\nun film g\u00e9nial".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(root.resolve("test/pos/1_9.txt"), "tr\u00e8s bien".getBytes(StandardCharsets.ISO_8859_1));
        ImdbProvider p = new ImdbProvider(locator());
        try (LogCapture log = new LogCapture()) {
            // "génial" became "g\uFFFDnial" without a word
            p.load(params(p, Map.of("validation_split", 0.0)), context());
            assertThat(log.warnings()).containsExactly("imdb: 2 file(s) are not valid UTF-8, e.g. "
                    + root.resolve("train/pos/1_9.txt") + ":2; their malformed bytes were read as U+FFFD, which"
                    + " changes the words and the vocabulary. Convert them to UTF-8 (e.g. iconv -f latin1 -t utf-8)");
        }
        ContentDigest digest = new ContentDigest("imdb");
        assertThat(digest.read(root.resolve("test/pos/1_9.txt"))).isEqualTo("tr\uFFFDs bien");
        try (LogCapture log = new LogCapture()) {
            digest.warnIfMalformed();
            digest.warnIfMalformed();
            assertThat(log.warnings()).containsExactly("imdb: 1 file(s) are not valid UTF-8, e.g. "
                    + root.resolve("test/pos/1_9.txt") + ":1; their malformed bytes were read as U+FFFD, which"
                    + " changes the words and the vocabulary. Convert them to UTF-8 (e.g. iconv -f latin1 -t utf-8)");
        }
    }

    @Test
    void csvSavedByExcelWithAByteOrderMarkReadsTheFirstLabel() throws Exception {
        Path ag = Files.createDirectories(dir.resolve("ag"));
        Files.writeString(ag.resolve("train.csv"), "\uFEFF\"1\",\"a\",\"x\"\r\n\"2\",\"b\",\"y\"\r\n");
        // it failed: the label must be an integer >= 1 (1-based), got '\uFEFF"1"'
        TextClassificationBuilder.Labelled rows = CsvTextProvider.read(ag.resolve("train.csv"), new ContentDigest());
        assertThat(rows.labels()).containsExactly(0, 1);
        assertThat(rows.texts()).containsExactly("a x", "b y");
    }

    @Test
    void csvErrorsNameThePhysicalLineAndWhitespaceOnlyLinesAreBlank() throws Exception {
        Path ag = Files.createDirectories(dir.resolve("ag"));
        Files.writeString(ag.resolve("train.csv"), "\"1\",\"a\",\"one\ntwo\nthree\"\n   \n\t\n\n\"2\",\"b\",\"y\"\n"
                + "\"x\",\"c\",\"z\"\n");
        // it said "row 5" (a record count) for the bad label on line 8, and the line of spaces was fatal
        assertThatThrownBy(() -> CsvTextProvider.read(ag.resolve("train.csv"), new ContentDigest()))
                .hasMessage(ag.resolve("train.csv") + " row 6 (line 8): the label must be an integer >= 1"
                        + " (1-based), got 'x'");
        Files.writeString(ag.resolve("train.csv"), "\"1\",\"a\",\"x\"\n  \n\"2\",\"b\",\"y\"\n");
        assertThat(CsvTextProvider.read(ag.resolve("train.csv"), new ContentDigest()).labels()).containsExactly(0, 1);
    }

    @Test
    void csvRelativePathIsLookedUpInTheDataDirectoriesThenTheWorkingDirectoryLikeTheOtherTextDatasets()
            throws Exception {
        Path relative = Path.of("target", "csv-relative-" + System.nanoTime());
        try {
            Files.createDirectories(relative);
            csv(relative.resolve("train.csv"), 1, 2, 1, 2);
            csv(relative.resolve("test.csv"), 1, 2);
            CsvTextProvider p = new CsvTextProvider(locator());
            // it searched only the data directories: "not found" for a directory next to the user
            SequenceClassificationData d = p.load(params(p, Map.of("path", relative.toString())), context());
            // recorded absolute (a relative "data.location" needed the working directory the run had)
            assertThat(d.source().location()).isEqualTo(relative.toAbsolutePath().normalize().toString());
            assertThat(d.source().trainSamples()).isEqualTo(4);
            String cwd = ". (" + Path.of("").toAbsolutePath() + ")";
            assertThatThrownBy(() -> p.load(params(p, Map.of("path", "nowhere")), context()))
                    // --data-dir first, as its help says ("searched first"): ./fra.txt won over the one there
                    .hasMessage("CSV dataset 'nowhere' not found: looked for nowhere/train.csv in [" + dir + ", "
                            + cwd + ", " + dir.resolve("no-cache") + "]. Put the unpacked directory (train.csv,"
                            + " test.csv, classes.txt) in one of them, or pass --data-dir DIR.");
        } finally {
            for (String f : List.of("train.csv", "test.csv", "")) {
                Files.deleteIfExists(relative.resolve(f));
            }
        }
    }

    @Test
    void aClassWhoseExamplesAllWentToValidationIsWarnedAbout() {
        // the one example of class c (record 0) sits at position 0 of the order: in validation
        int[] labels = {2, 0, 0, 0, 1, 1, 1};
        int[] order = {0, 1, 2, 3, 4, 5, 6};
        CsvTextProvider p = new CsvTextProvider(locator());
        try (LogCapture log = new LogCapture()) {
            int[] trained = ClassCheck.requireTwoTrained("csv-text", i -> labels[i], order, 1, List.of("a", "b", "c"),
                    params(p, Map.of("path", "x", "validation_split", 0.15)));
            assertThat(trained).containsExactly(3, 3, 0);
            assertThat(log.warnings()).containsExactly("csv-text: all 1 example(s) of class c went to the validation"
                    + " split (validation_split 0.15), so the model cannot learn it");
        }
    }

    @Test
    void imdbSkipsEmptyReviewsAndSaysSoAndNamesSubfoldersItDoesNotRead() throws Exception {
        Path root = dir.resolve("aclImdb");
        write(root, "train/pos/0_9.txt", "great film", "train/pos/1_8.txt", "great", "train/pos/2_7.txt", "  \n",
                "train/pos/more/3_9.txt", "superb", "train/neg/0_2.txt", "awful film",
                "test/pos/0_9.txt", "great", "test/neg/0_1.txt", "awful",
                // macOS's AppleDouble file beside a review was read as one (and warned about as not UTF-8)
                "train/neg/._0_2.txt", "\u0000\u0005\u0016\u0007Mac OS X");
        ImdbProvider p = new ImdbProvider(locator());
        try (LogCapture log = new LogCapture()) {
            SequenceClassificationData d = p.load(params(p, Map.of("validation_split", 0.0)), context());
            // the empty review was trained on as all padding, and more/ was left out, both without a word
            assertThat(d.train().size()).isEqualTo(3);
            assertThat(log.infos()).contains("imdb: skipped 1 hidden file(s) in " + root.resolve("train/neg") + ", e.g. ._0_2.txt");
            assertThat(log.warnings()).containsExactly("imdb: skipped 1 folder(s) in " + root.resolve("train/pos")
                    + ": the reviews of a class are its folder's own *.txt files, not those of subfolders, e.g. more",
                    "imdb: skipped 1 empty review file(s) in " + root.resolve("train/pos") + ", e.g. 2_7.txt");
        }
    }
}
