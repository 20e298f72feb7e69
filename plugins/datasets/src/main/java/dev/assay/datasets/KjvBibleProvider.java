package dev.assay.datasets;

import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.data.LanguageModelData;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The King James Bible (1611) as a language-modelling corpus ({@code kjv-bible}), read from the
 * Debian package {@code bible-kjv-text} ({@code /usr/lib/bible.data}, decoded by
 * {@link BibleDataReader}): one verse per line, the reference ({@code "Ge1:1 "}) and the title line
 * removed, lines split into train/validation/test by {@link LanguageModelBuilder#split}.
 *
 * <p>Searched as {@code bible.data} or {@code kjv/bible.data} in the data directories and
 * {@code ASSAY_DATA_DIR}, then {@code /usr/lib/bible.data}, then {@code ~/.assay/datasets}.
 * Missing, the error says {@code sudo apt-get install bible-kjv-text}.
 */
public final class KjvBibleProvider implements DatasetProvider {

    private static final Logger LOG = LoggerFactory.getLogger(KjvBibleProvider.class);
    private static final Pattern REFERENCE = Pattern.compile("^[0-9A-Za-z]+?\\d+:\\d+\\s+");
    private static final List<ParamDescriptor> PARAMS = params();

    private final TextDataLocator locator;
    private final List<Path> systemRoots;

    /** Creates the provider with the process environment and the Debian location. */
    public KjvBibleProvider() {
        this(new TextDataLocator(), List.of(Path.of("/usr/lib")));
    }

    KjvBibleProvider(TextDataLocator locator, List<Path> systemRoots) {
        this.locator = locator;
        this.systemRoots = List.copyOf(systemRoots);
    }

    private static List<ParamDescriptor> params() {
        List<ParamDescriptor> p = new ArrayList<>(LanguageModelBuilder.SPLIT_PARAMS);
        p.addAll(LanguageModelBuilder.TOKEN_PARAMS);
        return List.copyOf(p);
    }

    @Override
    public String description() {
        return "King James Bible from Debian bible-kjv-text (/usr/lib/bible.data), by verse";
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
     * Loads the verses.
     *
     * @param params split and token parameters
     * @param context manager, batch size, data directories
     * @return the token streams
     * @throws IOException if {@code bible.data} is not found (the message says how to install it)
     *     or is not in the expected format
     */
    @Override
    public LanguageModelData load(Params params, DatasetContext context) throws IOException {
        List<Path> roots = locator.roots(context.dataDirs(), systemRoots);
        Path file = TextDataLocator.find(roots, List.of("bible.data", "kjv/bible.data"),
                Files::isRegularFile).orElseThrow(() -> new IOException("bible.data not found in "
                        + roots + ". Install it with `sudo apt-get install bible-kjv-text`, or"
                        + " copy /usr/lib/bible.data from that package into a --data-dir."));
        ContentDigest digest = new ContentDigest();
        byte[] bytes = Files.readAllBytes(file);
        digest.update(bytes);
        List<String> verses;
        try {
            verses = verses(BibleDataReader.read(bytes));
        } catch (IOException e) { // "bad offsets of block 31" named no file, nor what to do
            throw new IOException(file + " (" + bytes.length + " bytes) cannot be read: " + e.getMessage()
                    + "; it may be truncated or another file: reinstall bible-kjv-text or copy /usr/lib/bible.data again", e);
        }
        List<List<String>> parts = LanguageModelBuilder.split(verses,
                params.getDouble("validation_fraction"), params.getDouble("test_fraction"));
        DataSource source = new DataSource(locator.kind(file, context.dataDirs(), systemRoots), file.toString(), 0, 0,
                digest.fingerprint());
        LanguageModelData data = LanguageModelBuilder.build(params, context, parts.get(0),
                parts.get(1), parts.get(2), source);
        LOG.info("kjv-bible: {} verses; {}", verses.size(), LanguageModelBuilder.describe(data));
        if (params.getDouble("validation_fraction") > 0) {
            LanguageModelBuilder.warnIfNoValidation("kjv-bible", data, "the validation"
                    + " split (validation_fraction " + params.getDouble("validation_fraction") + " of "
                    + verses.size() + " verses)");
        }
        return data;
    }

    /**
     * Returns the verse texts without references; the title line and blank lines are dropped.
     *
     * @param text the decompressed text
     * @return one verse per element
     */
    static List<String> verses(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            var m = REFERENCE.matcher(line);
            if (m.find()) {
                out.add(line.substring(m.end()).trim());
            }
        }
        return out;
    }
}
