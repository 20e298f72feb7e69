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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any plain UTF-8 text as a language-modelling corpus ({@code text-corpus}): a file, or a
 * directory whose regular files are read in name order, split into lines and the lines into
 * train/validation/test by {@link LanguageModelBuilder#split} (blocks of 100 lines, or fewer for a
 * smaller corpus).
 *
 * <p>Parameter {@code path}: the file or directory, absolute or relative to a data directory,
 * {@code ASSAY_DATA_DIR} or {@code ~/.assay/datasets}.
 */
public final class TextCorpusProvider implements DatasetProvider {

    private static final Logger LOG = LoggerFactory.getLogger(TextCorpusProvider.class);
    private static final List<ParamDescriptor> PARAMS = params();

    private final TextDataLocator locator;

    /** Creates the provider with the process environment and {@code ~/.assay/datasets}. */
    public TextCorpusProvider() {
        this(new TextDataLocator());
    }

    TextCorpusProvider(TextDataLocator locator) {
        this.locator = locator;
    }

    private static List<ParamDescriptor> params() {
        List<ParamDescriptor> p = new ArrayList<>(List.of(ParamDescriptor.of("path",
                ParamType.STRING, null, "a UTF-8 text file, or a directory of them")));
        p.addAll(LanguageModelBuilder.SPLIT_PARAMS);
        p.addAll(LanguageModelBuilder.TOKEN_PARAMS);
        return List.copyOf(p);
    }

    @Override
    public String description() {
        return "plain-text corpus split by lines, for language modelling";
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
     * Loads the corpus.
     *
     * @param params {@code path}, split and token parameters
     * @param context manager, batch size, data directories
     * @return the token streams
     * @throws IOException if the path is not found (the message lists where it looked) or a file
     *     cannot be read
     */
    @Override
    public LanguageModelData load(Params params, DatasetContext context) throws IOException {
        String name = params.getString("path");
        List<Path> roots = locator.rootsForPath(context.dataDirs());
        Path path = TextDataLocator.find(roots, List.of(name), p -> true).orElseThrow(() ->
                new IOException("text corpus '" + name + "' not found; looked in " + TextDataLocator.describe(roots, name)
                        + ". Set dataset.params.path to a text file or a directory of them (relative to one of these"
                        + " directories, or absolute; add directories with --data-dir DIR or $ASSAY_DATA_DIR);"
                        + " each line is a sentence or paragraph, tokens as the tokenizer parameter says."));
        ContentDigest digest = new ContentDigest("text-corpus");
        List<String> lines = new ArrayList<>();
        for (Path f : files(path)) {
            lines.addAll(digest.read(f).lines().toList());
        }
        List<List<String>> parts = LanguageModelBuilder.split(lines,
                params.getDouble("validation_fraction"), params.getDouble("test_fraction"));
        digest.warnIfMalformed();
        DataSource source = new DataSource(locator.kind(path, context.dataDirs(), List.of()), path.toString(), 0, 0, digest.fingerprint());
        LanguageModelData data = LanguageModelBuilder.build(params, context, parts.get(0),
                parts.get(1), parts.get(2), source);
        LOG.info("text-corpus: {}", LanguageModelBuilder.describe(data));
        if (params.getDouble("validation_fraction") > 0) {
            LanguageModelBuilder.warnIfNoValidation("text-corpus", data, "the validation"
                    + " split of " + path + " (validation_fraction " + params.getDouble("validation_fraction")
                    + " of " + lines.size() + " lines)");
        }
        return data;
    }

    /**
     * The file, or a directory's files in name order: hidden ones ({@code .DS_Store}, an editor's
     * swap file) left out, as their bytes became hundreds of junk tokens; skipped subdirectories and
     * hidden files are logged.
     *
     * @throws IOException if the directory cannot be listed, or holds no file to read (empty, or only
     *     hidden files and subdirectories)
     */
    static List<Path> files(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(path)) {
            entries = s.sorted().toList();
        }
        List<Path> hidden = entries.stream().filter(LocatedFiles::isHidden).toList();
        List<Path> dirs = entries.stream().filter(Files::isDirectory).filter(p -> !hidden.contains(p)).toList();
        List<String> hiddenNames = hidden.stream().map(p -> p.getFileName().toString()).toList();
        List<String> dirNames = dirs.stream().map(p -> p.getFileName().toString()).toList();
        List<Path> files = entries.stream().filter(Files::isRegularFile).filter(p -> !hidden.contains(p)).toList();
        if (files.isEmpty()) {
            // said here: an empty corpus was later blamed on min_frequency or an empty training split
            throw new IOException("text corpus directory " + path + " holds no file to read"
                    + (hidden.isEmpty() && dirs.isEmpty() ? " (it is empty)"
                            : " (skipped: hidden files " + hiddenNames + ", subdirectories " + dirNames + ")")
                    + ". Put the text files directly in it, or set dataset.params.path to one file.");
        }
        if (!hidden.isEmpty() || !dirs.isEmpty()) {
            LOG.info("text-corpus: reading the files directly in {}; skipped hidden files {} and subdirectories {}",
                    path, hiddenNames, dirNames);
        }
        return files;
    }
}
