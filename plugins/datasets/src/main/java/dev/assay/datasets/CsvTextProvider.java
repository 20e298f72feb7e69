package dev.assay.datasets;

import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.data.SequenceClassificationData;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Text classification in the CSV format of Zhang, Zhao &amp; LeCun (2015) used by AG News, Sogou
 * News, Amazon Review Polarity/Full, Yelp and DBPedia: a directory with {@code train.csv} and
 * {@code test.csv}, no header, every row {@code "label","title","text"} (RFC 4180 quoting,
 * {@code ""} for a quote; the text may contain {@code \n} escapes), the label 1-based. Title and
 * text (and any further columns) are joined with a space. Class names come from an optional
 * {@code classes.txt} (one per line), else {@code "1".."K"}.
 *
 * <p>Parameter {@code path}: the directory, absolute or relative to the working directory, a data
 * directory, {@code ASSAY_DATA_DIR} or {@code ~/.assay/datasets}, tried in that order (e.g.
 * {@code ag_news_csv}), as {@code wikitext} and {@code text-corpus} do.
 */
public final class CsvTextProvider implements DatasetProvider {

    private static final List<ParamDescriptor> PARAMS = params();

    private final TextDataLocator locator;

    /** Creates the provider with the process environment and {@code ~/.assay/datasets}. */
    public CsvTextProvider() {
        this(new TextDataLocator());
    }

    CsvTextProvider(TextDataLocator locator) {
        this.locator = locator;
    }

    private static List<ParamDescriptor> params() {
        List<ParamDescriptor> p = new ArrayList<>(List.of(ParamDescriptor.of("path",
                ParamType.STRING, null, "directory with train.csv and test.csv (e.g. ag_news_csv)")));
        p.addAll(TextClassificationBuilder.PARAMS);
        return List.copyOf(p);
    }

    @Override
    public String description() {
        return "CSV text classification (\"label\",\"title\",\"text\", 1-based): AG News, Sogou,"
                + " Amazon, Yelp";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Refuses, when the experiment file is read, a {@code max_vocab} with no room for a word and a
     * {@code limit_train} whose {@code validation_split} holds out no example or leaves too few to train on
     * ({@link SplitCheck}).
     *
     * @param params the resolved parameters
     * @return {@code max_vocab} and {@code limit_train} → what is wrong, or empty
     */
    @Override
    public java.util.Map<String, String> checkParams(dev.assay.plugin.Params params) {
        return TextClassificationBuilder.checkParams(params);
    }

    /**
     * Loads both files.
     *
     * @param params {@code path} and the text classification parameters
     * @param context manager, batch size, seed, data directories
     * @return data {@code (N, max_length)} token indices, labels {@code (N)} 0-based
     * @throws IOException if the directory is not found, or a row has fewer than 2 columns or a
     *     label that is not an integer in [1, K] (the message names file, row and line); if the training
     *     labels leave a class with no example and no {@code classes.txt} declares it (see {@link
     *     #requireNoGap}); if fewer than 2 classes have a training example (see {@link ClassCheck})
     */
    @Override
    public SequenceClassificationData load(Params params, DatasetContext context)
            throws IOException {
        String name = params.getString("path");
        List<Path> roots = locator.rootsForPath(context.dataDirs());
        Path dir = TextDataLocator.find(roots, List.of(name), p -> Files.isRegularFile(p.resolve("train.csv")))
                .orElseThrow(() -> new IOException("CSV dataset '" + name + "' not found: looked for " + name
                        + "/train.csv in " + TextDataLocator.describe(roots, name) + ". Put the unpacked directory"
                        + " (train.csv, test.csv, classes.txt) in one of them, or pass --data-dir DIR."));
        ContentDigest digest = new ContentDigest("csv-text");
        Path trainFile = dir.resolve("train.csv");
        CsvTextReader.Rows rows = CsvTextReader.read(trainFile, digest, Integer.MAX_VALUE, "");
        if (rows.firstLine().isEmpty()) {
            throw new IOException(trainFile + " has no rows");
        }
        boolean declared = Files.isRegularFile(dir.resolve("classes.txt"));
        if (!declared) {
            requireNoGap(trainFile, rows.firstLine());
        }
        List<String> classes = classNames(dir.resolve("classes.txt"), rows.firstLine().lastKey() + 1, digest,
                trainFile + ":" + rows.firstLine().get(rows.firstLine().lastKey()));
        // a test label beyond the classes would be scored against outputs the model does not have
        Path testFile = dir.resolve("test.csv");
        TextClassificationBuilder.Labelled train = rows.data();
        TextClassificationBuilder.Labelled test = CsvTextReader.read(testFile, digest, classes.size(),
                declared ? "classes.txt" : "train.csv (its largest label; a classes.txt can list more)").data();
        digest.warnIfMalformed();
        ClassCheck.check("csv-text", train, test, classes, c -> trainFile.toString(), c -> testFile.toString());
        DataSource source = new DataSource(locator.kind(dir, context.dataDirs(), List.of()), dir.toString(), train.texts().size(),
                test.texts().size(), digest.fingerprint());
        return TextClassificationBuilder.build("csv-text", params, context, train, test, classes, source);
    }

    /**
     * The class names of classes.txt, read as the data files are (through the digest: a byte order
     * mark left out, Latin-1 bytes read as U+FFFD with the same warning naming file:line; a bare
     * MalformedInputException naming no file stopped the trial), else 1..k.
     *
     * @param largestAt where label {@code k} first occurs ({@code train.csv:LINE}), for the message
     */
    private static List<String> classNames(Path file, int k, ContentDigest digest, String largestAt) throws IOException {
        if (Files.isRegularFile(file)) {
            List<String> names = digest.read(file).lines().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            if (names.size() < k) {
                throw new IOException(file + " lists " + names.size() + " classes but the data"
                        + " has labels up to " + k + " (label " + k + " first at " + largestAt + ")");
            }
            return names;
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= k; i++) {
            names.add(String.valueOf(i));
        }
        return names;
    }

    /**
     * Reads one CSV file.
     *
     * @param file the file
     * @param digest where its bytes are hashed
     * @return the texts and 0-based labels
     * @throws IOException on a short row or bad label, naming file, 1-based row and line
     */
    static TextClassificationBuilder.Labelled read(Path file, ContentDigest digest)
            throws IOException {
        return CsvTextReader.read(file, digest, Integer.MAX_VALUE, "").data();
    }

    /**
     * Refuses training labels that leave classes without an example when no {@code classes.txt}
     * says how many classes there are: labels 1-4 and one 40 (a typo) made a 40-class model.
     *
     * @param file the training file
     * @param firstLine the line each 0-based label first appears on
     * @throws IOException naming the labels above the first class with no example and their
     *     {@code file:line}
     */
    static void requireNoGap(Path file, SortedMap<Integer, Integer> firstLine) throws IOException {
        int k = firstLine.lastKey() + 1;
        int gap = 0;
        while (firstLine.containsKey(gap)) {
            gap++;
        }
        if (gap == k) {
            return;
        }
        List<String> suspects = firstLine.tailMap(gap).entrySet().stream().limit(5)
                .map(e -> "label " + (e.getKey() + 1) + " at " + file.getFileName() + ":" + e.getValue())
                .toList();
        List<Integer> empty = java.util.stream.IntStream.range(0, k).filter(c -> !firstLine.containsKey(c))
                .mapToObj(c -> c + 1).toList();
        throw new IOException(file + ": labels 1.." + k + " make " + k + " classes, but " + empty.size()
                + " of them have no training example (" + ranges(empty) + "); " + String.join(", ", suspects)
                + (firstLine.tailMap(gap).size() > 5 ? ", ..." : "") + ". Fix the label(s), or list all " + k
                + " class names in classes.txt (one per line) to train with classes that have no example.");
    }

    /** {@code [5, 6, 7, 9]} as {@code 5-7, 9}. */
    private static String ranges(List<Integer> values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            int j = i;
            while (j + 1 < values.size() && values.get(j + 1) == values.get(j) + 1) {
                j++;
            }
            s.append(s.length() == 0 ? "" : ", ").append(values.get(i)).append(i == j ? "" : "-" + values.get(j));
            i = j;
        }
        return s.toString();
    }
}
