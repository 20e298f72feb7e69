package dev.assay.datasets;

import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.data.SequenceClassificationData;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Large Movie Review Dataset (Maas et al. 2011), {@code imdb}: 25,000 training and 25,000 test
 * reviews in the original layout {@code aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt}, one
 * review per UTF-8 file ({@code <br />} tags, in any form and case, become spaces; the extension matched in any case, other
 * files skipped with a warning). Classes {@code neg} = 0, {@code pos}
 * = 1. The {@code unsup} folder is ignored.
 *
 * <p>Searched in the data directories, {@code ASSAY_DATA_DIR} and {@code ~/.assay/datasets}, as
 * {@code aclImdb/}, {@code imdb/aclImdb/} or a directory that itself holds {@code train/pos}.
 * Missing, the error says to download {@value #URL} and unpack it into one of those.
 */
public final class ImdbProvider implements DatasetProvider {

    /** Where the archive is published. */
    public static final String URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz";

    private static final Logger LOG = LoggerFactory.getLogger(ImdbProvider.class);
    private static final List<String> CLASSES = List.of("neg", "pos");

    private final TextDataLocator locator;

    /** Creates the provider with the process environment and {@code ~/.assay/datasets}. */
    public ImdbProvider() {
        this(new TextDataLocator());
    }

    ImdbProvider(TextDataLocator locator) {
        this.locator = locator;
    }

    @Override
    public String description() {
        return "IMDB movie reviews (aclImdb/{train,test}/{pos,neg}/*.txt), sentiment neg/pos";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return TextClassificationBuilder.PARAMS;
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
     * Loads the reviews.
     *
     * @param params the text classification parameters
     * @param context manager, batch size, seed, data directories
     * @return data {@code (N, max_length)} token indices, labels {@code (N)} in {0, 1}
     * @throws IOException if the dataset is not found (the message says where to get it and
     *     where it was looked for), a file cannot be read, or a class folder of the training split
     *     has no review (see {@link ClassCheck}; an empty test folder is a warning)
     */
    @Override
    public SequenceClassificationData load(Params params, DatasetContext context)
            throws IOException {
        // the data directories first, then the working directory (./aclImdb was not found), then the cache: a
        // ./aclImdb took the place of the one in --data-dir, which the option says is searched first
        List<Path> roots = locator.rootsForPath(context.dataDirs());
        Path dir = TextDataLocator.find(roots, List.of("aclImdb", "imdb/aclImdb", ""),
                p -> Files.isDirectory(p.resolve("train/pos"))).orElseThrow(() -> new IOException(
                        "IMDB reviews not found: looked for aclImdb/train/pos in " + TextDataLocator.describe(roots)
                                + ". Download " + URL + " and unpack it into one of these"
                                + " directories (or point --data-dir at its parent)."));
        ContentDigest digest = new ContentDigest("imdb");
        TextClassificationBuilder.Labelled train = read(dir.resolve("train"), digest);
        TextClassificationBuilder.Labelled test = read(dir.resolve("test"), digest);
        ClassCheck.check("imdb", train, test, CLASSES, c -> dir.resolve("train").resolve(CLASSES.get(c)).toString(),
                c -> dir.resolve("test").resolve(CLASSES.get(c)).toString());
        digest.warnIfMalformed();
        DataSource source = new DataSource(locator.kind(dir, context.dataDirs(), List.of()), dir.toString(), train.texts().size(),
                test.texts().size(), digest.fingerprint());
        return TextClassificationBuilder.build("imdb", params, context, train, test, CLASSES, source);
    }

    private static final java.util.regex.Pattern BREAK = java.util.regex.Pattern.compile("(?i)<br\\s*/?>");

    private static TextClassificationBuilder.Labelled read(Path split, ContentDigest digest)
            throws IOException {
        TextClassificationBuilder.Labelled out = new TextClassificationBuilder.Labelled();
        warnOfOtherFolders(split);
        for (int label = 0; label < CLASSES.size(); label++) {
            Path dir = split.resolve(CLASSES.get(label));
            if (!Files.isDirectory(dir)) {
                throw new IOException("IMDB split folder " + dir + " is missing");
            }
            List<Path> empty = new java.util.ArrayList<>();
            digest.section(split.getFileName() + "/" + CLASSES.get(label));
            for (Path f : reviews(dir)) {
                // every form of the line break tag (<br/>, <BR>) became "<", "br", "/", ">" tokens
                String text = BREAK.matcher(digest.read(f)).replaceAll(" ");
                if (text.isBlank()) {
                    empty.add(f); // it was kept, silently: a review of no token, all padding
                } else {
                    out.add(text, label);
                }
            }
            if (!empty.isEmpty()) {
                LOG.warn("imdb: skipped {} empty review file(s) in {}, e.g. {}", empty.size(), dir,
                        empty.get(0).getFileName());
            }
        }
        return out;
    }

    /**
     * Warns of a split's folders other than the classes' and {@code unsup} (the corpus's 50,000
     * unlabelled training reviews, left out by design): their reviews are not read (a {@code
     * train/neutral} folder was ignored without a word, where {@code spam-assassin} warns).
     */
    private static void warnOfOtherFolders(Path split) throws IOException {
        List<String> others;
        try (Stream<Path> s = Files.list(split)) {
            others = s.filter(Files::isDirectory).filter(p -> !LocatedFiles.isHidden(p))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !CLASSES.contains(n) && !n.equals("unsup")).sorted().toList();
        }
        if (!others.isEmpty()) {
            LOG.warn("imdb: ignored folder(s) {} in {}: the classes are neg and pos (and unsup holds unlabelled"
                    + " reviews, not used)", String.join(", ", others), split);
        }
    }

    /**
     * The review files of a folder: regular files named {@code *.txt} in any case ({@code .TXT}
     * after a copy from some file systems), not hidden ({@link LocatedFiles#isHidden}); other files
     * and subfolders are logged as skipped.
     */
    private static List<Path> reviews(Path dir) throws IOException {
        List<Path> all;
        List<Path> folders;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> entries = s.sorted().toList();
            List<Path> hidden = entries.stream().filter(LocatedFiles::isHidden).toList();
            if (!hidden.isEmpty()) { // macOS's ._0_2.txt was read as a review (and warned about as not UTF-8)
                LOG.info("imdb: skipped {} hidden file(s) in {}, e.g. {}", hidden.size(), dir, hidden.get(0).getFileName());
            }
            all = entries.stream().filter(Files::isRegularFile).filter(p -> !LocatedFiles.isHidden(p)).toList();
            folders = entries.stream().filter(Files::isDirectory).filter(p -> !LocatedFiles.isHidden(p)).toList();
        }
        if (!folders.isEmpty()) { // their reviews were left out without a word
            LOG.warn("imdb: skipped {} folder(s) in {}: the reviews of a class are its folder's own *.txt files,"
                    + " not those of subfolders, e.g. {}", folders.size(), dir, folders.get(0).getFileName());
        }
        List<Path> txt = all.stream().filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                .endsWith(".txt")).toList();
        if (txt.size() < all.size()) {
            Path first = all.stream().filter(p -> !txt.contains(p)).findFirst().orElseThrow();
            LOG.warn("imdb: skipped {} file(s) in {} not named *.txt, e.g. {}", all.size() - txt.size(), dir,
                    first.getFileName());
        }
        return txt;
    }
}
