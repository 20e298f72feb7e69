package dev.assay.datasets;

import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.data.LanguageModelData;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WikiText-2 / WikiText-103 (Merity et al. 2016), word level: a directory with
 * {@code wiki.train.tokens}, {@code wiki.valid.tokens} and {@code wiki.test.tokens}, UTF-8, already
 * tokenized (space-separated, rare words as {@code <unk>}, section headings as {@code = Title =}
 * lines). Each non-blank line is one line of the corpus; tokens are split on whitespace
 * ({@code tokenizer: space}, the default here, without lower-casing). A validation file without
 * tokens is a warning ({@link LanguageModelBuilder#warnIfNoValidation}); a task that needs more
 * validation tokens than the file has says so itself.
 *
 * <p>Parameter {@code path} (default {@code wikitext-2}): the directory, absolute or relative to
 * a data directory, {@code ASSAY_DATA_DIR} or {@code ~/.assay/datasets}. Missing, the error says
 * to download {@value #URL} and unpack it there.
 */
public final class WikiTextProvider implements DatasetProvider {

    /** Where WikiText-2 is published (Salesforce research). */
    public static final String URL =
            "https://s3.amazonaws.com/research.metamind.io/wikitext/wikitext-2-v1.zip";

    private static final Logger LOG = LoggerFactory.getLogger(WikiTextProvider.class);
    private static final List<ParamDescriptor> PARAMS = params();

    private static final String DEFAULT_PATH = "wikitext-2";

    private final TextDataLocator locator;

    /** Creates the provider with the process environment and {@code ~/.assay/datasets}. */
    public WikiTextProvider() {
        this(new TextDataLocator());
    }

    WikiTextProvider(TextDataLocator locator) {
        this.locator = locator;
    }

    private static List<ParamDescriptor> params() {
        List<ParamDescriptor> p = new ArrayList<>(List.of(ParamDescriptor.of("path",
                ParamType.STRING, DEFAULT_PATH, "directory with wiki.{train,valid,test}.tokens (the default"
                        + " also finds wikitext-103)")));
        for (ParamDescriptor d : LanguageModelBuilder.TOKEN_PARAMS) {
            p.add(switch (d.name()) {
                case "lowercase" -> ParamDescriptor.of("lowercase", ParamType.BOOLEAN, false,
                        "lower-case before tokenizing");
                case "tokenizer" -> ParamDescriptor.of("tokenizer", ParamType.STRING, "space",
                        "space (the files are tokenized already), word or char")
                        .choices("space", "word", "char");
                default -> d;
            });
        }
        return List.copyOf(p);
    }

    @Override
    public String description() {
        return "WikiText language modelling corpus (wiki.{train,valid,test}.tokens)";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Refuses a {@code max_vocab} with no room for a word when the experiment file is read.
     *
     * @param params the resolved parameters
     * @return {@code max_vocab} → what is wrong, or empty
     */
    @Override
    public java.util.Map<String, String> checkParams(dev.assay.plugin.Params params) {
        return VocabularyCheck.checkMaxVocab(params, LanguageModelBuilder.SPECIALS);
    }

    /**
     * Loads the three files.
     *
     * @param params {@code path} and the token parameters
     * @param context manager, batch size, data directories
     * @return the token streams
     * @throws IOException if the directory is not found (the message says where to get it) or a
     *     file cannot be read
     */
    @Override
    public LanguageModelData load(Params params, DatasetContext context) throws IOException {
        String name = params.getString("path");
        List<Path> roots = locator.rootsForPath(context.dataDirs());
        // the path given, and only it: a missing my-wikitext fell back to a wikitext-2 found anywhere. The
        // default looks for wikitext-2, then wikitext-103, in each root
        boolean byDefault = name.equals(DEFAULT_PATH);
        java.util.function.Predicate<Path> check = p -> Files.isRegularFile(p.resolve("wiki.train.tokens"));
        // by default both names in each root, roots in order: a wikitext-103 in --data-dir wins over ./wikitext-2
        Optional<Path> found = TextDataLocator.find(roots, byDefault ? List.of(name, "wikitext-103") : List.of(name),
                check);
        Path dir = found.orElseThrow(() ->
                new IOException("WikiText not found: looked for " + name + "/wiki.train.tokens in "
                        + TextDataLocator.describe(roots, name) + (byDefault ? " (also as wikitext-103/)" : "")
                        + ". Download " + URL + " and unpack it into one of them, or pass --data-dir DIR (or set"
                        + " path to the directory)."));
        ContentDigest digest = new ContentDigest("wikitext");
        List<String> train = digest.read(dir.resolve("wiki.train.tokens")).lines().toList();
        List<String> valid = digest.read(dir.resolve("wiki.valid.tokens")).lines().toList();
        List<String> test = digest.read(dir.resolve("wiki.test.tokens")).lines().toList();
        // (each file's name and length are in the fingerprint: a line moved from train to valid changes it)
        digest.warnIfMalformed();
        DataSource source = new DataSource(locator.kind(dir, context.dataDirs(), List.of()), dir.toString(), 0, 0, digest.fingerprint());
        LanguageModelData data = LanguageModelBuilder.build(params, context, train, valid, test,
                source);
        LOG.info("wikitext: {}", LanguageModelBuilder.describe(data));
        LanguageModelBuilder.warnIfNoValidation("wikitext", data,
                dir.resolve("wiki.valid.tokens").toString());
        return data;
    }
}
