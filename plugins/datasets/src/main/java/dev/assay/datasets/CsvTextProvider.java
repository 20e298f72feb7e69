package dev.assay.datasets;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.data.SequenceClassificationData;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text classification in the CSV format of Zhang, Zhao &amp; LeCun (2015) used by AG News, Sogou
 * News, Amazon Review Polarity/Full, Yelp and DBPedia: a directory with {@code train.csv} and
 * {@code test.csv}, no header, every row {@code "label","title","text"} (RFC 4180 quoting,
 * {@code ""} for a quote; the text may contain {@code \n} escapes), the label 1-based. Title and
 * text (and any further columns) are joined with a space. Class names come from an optional
 * {@code classes.txt} (one per line), else {@code "1".."K"}.
 *
 * <p>Parameter {@code path}: the directory, absolute or relative to a data directory,
 * {@code ASSAY_DATA_DIR} or {@code ~/.assay/datasets} (e.g. {@code ag_news_csv}).
 */
public final class CsvTextProvider implements DatasetProvider {

    private static final Logger LOG = LoggerFactory.getLogger(CsvTextProvider.class);
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
     * Loads both files.
     *
     * @param params {@code path} and the text classification parameters
     * @param context manager, batch size, seed, data directories
     * @return data {@code (N, max_length)} token indices, labels {@code (N)} 0-based
     * @throws IOException if the directory is not found, or a row has fewer than 2 columns or a
     *     label that is not an integer in [1, K] (the message names file and row)
     */
    @Override
    public SequenceClassificationData load(Params params, DatasetContext context)
            throws IOException {
        String name = params.getString("path");
        List<Path> roots = locator.roots(context.dataDirs(), List.of());
        Path dir = Path.of(name).isAbsolute() && Files.isRegularFile(Path.of(name, "train.csv"))
                ? Path.of(name)
                : TextDataLocator.find(roots, List.of(name),
                        p -> Files.isRegularFile(p.resolve("train.csv"))).orElseThrow(() ->
                        new IOException("CSV dataset '" + name + "' not found: looked for "
                                + name + "/train.csv in " + roots + ". Put the unpacked"
                                + " directory (train.csv, test.csv, classes.txt) in one of them"));
        ContentDigest digest = new ContentDigest();
        TextClassificationBuilder.Labelled train = read(dir.resolve("train.csv"), digest);
        if (train.labels().isEmpty()) {
            throw new IOException(dir.resolve("train.csv") + " has no rows");
        }
        int k = 1 + train.labels().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> classes = classNames(dir.resolve("classes.txt"), k);
        // a test label beyond the classes would be scored against outputs the model does not have
        TextClassificationBuilder.Labelled test = read(dir.resolve("test.csv"), digest, classes.size(),
                Files.isRegularFile(dir.resolve("classes.txt")) ? "classes.txt"
                        : "train.csv (its largest label; a classes.txt can list more)");
        DataSource source = new DataSource("data-dir", dir.toString(), train.texts().size(),
                test.texts().size(), digest.fingerprint());
        LOG.info("csv-text: using {}", source);
        return TextClassificationBuilder.build(params, context, train, test, classes, source);
    }

    private static List<String> classNames(Path file, int k) throws IOException {
        if (Files.isRegularFile(file)) {
            List<String> names = Files.readAllLines(file).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            if (names.size() < k) {
                throw new IOException(file + " lists " + names.size() + " classes but the data"
                        + " has labels up to " + k);
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
     * @throws IOException on a short row or bad label, naming file and 1-based row
     */
    static TextClassificationBuilder.Labelled read(Path file, ContentDigest digest)
            throws IOException {
        return read(file, digest, Integer.MAX_VALUE, "");
    }

    /**
     * Reads one CSV file whose labels must be among {@code classes} classes.
     *
     * @param file the file
     * @param digest where its bytes are hashed
     * @param classes how many classes there are
     * @param classesFrom where they come from, for the message
     * @return the texts and 0-based labels
     * @throws IOException on a short row, a bad label or a label beyond the classes, naming file and
     *     1-based row; on text that is not CSV, naming file, row, line and column
     */
    static TextClassificationBuilder.Labelled read(Path file, ContentDigest digest, int classes, String classesFrom)
            throws IOException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        TextClassificationBuilder.Labelled out = new TextClassificationBuilder.Labelled();
        int row = 0;
        try (MappingIterator<String[]> rows = mapper.readerFor(String[].class)
                .with(CsvSchema.emptySchema()).readValues(new StringReader(digest.read(file)))) {
            while (rows.hasNextValue()) {
                row++;
                String[] r = rows.nextValue();
                if (r.length == 1 && r[0].isEmpty()) {
                    continue;
                }
                if (r.length < 2) {
                    throw new IOException(file + " row " + row + ": expected \"label\",\"title\","
                            + "\"text\", got " + r.length + " column");
                }
                int label = label(r[0], file, row);
                if (label >= classes) {
                    throw new IOException(file + " row " + row + ": label " + (label + 1) + " is beyond the "
                            + classes + " classes of " + classesFrom);
                }
                out.add(String.join(" ", List.of(r).subList(1, r.length)).replace("\\n", " "), label);
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) { // an unclosed quote, a stray one
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new IOException(file + " row " + row + (at == null ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")") + ": not valid CSV: " + e.getOriginalMessage(), e);
        }
        return out;
    }

    private static int label(String raw, Path file, int row) throws IOException {
        try {
            int label = Integer.parseInt(raw.trim());
            if (label >= 1) {
                return label - 1;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(file + " row " + row + ": the label must be an integer >= 1"
                + " (1-based), got '" + raw + "'");
    }
}
