package dev.assay.datasets;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads one file of the CSV text classification format of {@link CsvTextProvider}: every record
 * {@code "label","title","text"[,...]} (RFC 4180, parsed by Jackson's CSV parser), the label
 * 1-based; a leading UTF-8 byte-order mark is skipped, and so are empty and whitespace-only lines.
 * Errors and suspicious labels are named with the physical line their record starts on (a quoted
 * field can span lines, so record 81 may start on line 97).
 */
final class CsvTextReader {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CsvTextReader.class);

    /**
     * Safe to share: parsers are created per file. Spaces around a separator are trimmed, so that a
     * hand-written {@code 1, "Title, x", "text"} reads its quoted fields whole (the quotes were read
     * as text and the title split at its comma, silently).
     */
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES).build();

    /**
     * What a file held.
     *
     * @param data the texts (title and text joined with a space) and 0-based labels
     * @param firstLine for each 0-based label, the 1-based physical line of its first record
     */
    record Rows(TextClassificationBuilder.Labelled data, SortedMap<Integer, Integer> firstLine) {}

    /** One record and the 1-based physical line it starts on. */
    private record Row(List<String> fields, int line) {}

    private CsvTextReader() {}

    /**
     * Reads one CSV file whose labels must be among {@code classes} classes.
     *
     * @param file the file
     * @param digest where its bytes are hashed
     * @param classes how many classes there are ({@link Integer#MAX_VALUE} when not known yet)
     * @param classesFrom where they come from, for the message
     * @return the rows
     * @throws IOException on a short row, a bad label or a label beyond the classes, naming file,
     *     1-based record ("row") and the physical line it starts on (a quoted field can span lines);
     *     on text that is not CSV, naming file, row, line and column
     */
    static Rows read(Path file, ContentDigest digest, int classes, String classesFrom) throws IOException {
        TextClassificationBuilder.Labelled out = new TextClassificationBuilder.Labelled();
        SortedMap<Integer, Integer> firstLine = new TreeMap<>();
        int row = 0;
        List<String> blank = new ArrayList<>();
        int columns = -1; // the first record's
        List<String> otherWidth = new ArrayList<>();
        String text = digest.read(file);
        // Excel's "CSV UTF-8" starts with a byte-order mark, which would be part of the first label
        try (JsonParser p = CSV.createParser(text.startsWith("\uFEFF") ? text.substring(1) : text)) {
            ((CsvParser) p).setSchema(CsvSchema.emptySchema());
            for (Row r = next(p); r != null; r = next(p)) {
                row++;
                if (r.fields().size() == 1 && r.fields().get(0).isBlank()) {
                    continue;
                }
                String at = file + " row " + row + " (line " + r.line() + ")";
                if (r.fields().size() < 2) {
                    throw new IOException(at + ": expected \"label\",\"title\",\"text\", got "
                            + r.fields().size() + " column");
                }
                if (columns < 0) {
                    columns = r.fields().size();
                } else if (r.fields().size() != columns) {
                    // read as it is (Yelp's and Amazon's files have 2 columns, AG News 3), but a file that
                    // mixes them has lost a field or a quote somewhere; it was read without a word
                    otherWidth.add(at + " has " + r.fields().size());
                }
                int label = label(r.fields().get(0), at);
                if (label >= classes) {
                    throw new IOException(at + ": label " + (label + 1) + " is beyond the " + classes
                            + (classes == 1 ? " class of " : " classes of ") + classesFrom);
                }
                String joined = String.join(" ", r.fields().subList(1, r.fields().size())).replace("\\n", " ");
                if (joined.isBlank()) { // kept, silently: an example of no token, all padding (IMDB skips them)
                    blank.add(at);
                    continue;
                }
                firstLine.putIfAbsent(label, r.line());
                out.add(joined, label);
            }
        } catch (JacksonException e) { // an unclosed quote, a stray one
            JsonLocation at = e.getLocation();
            // not chained: a run's error names the root cause, whose message is Jackson's
            // "at [Source: REDACTED ...]"; this one already holds the location and the reason
            throw new IOException(file + " row " + (row + 1) + (at == null ? "" : " (line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ")") + ": not valid CSV: " + e.getOriginalMessage());
        }
        if (!blank.isEmpty()) {
            LOG.warn("csv-text: skipped {} row(s) with an empty title and text, e.g. {}", blank.size(), blank.get(0));
        }
        if (!otherWidth.isEmpty()) {
            LOG.warn("csv-text: {} row(s) of {} have another number of columns than its first row's {}, e.g. {}:"
                    + " a field or a quote lost? They are read as they are (label, then the other columns joined)",
                    otherWidth.size(), file, columns, otherWidth.get(0));
        }
        return new Rows(out, firstLine);
    }

    /** The next record, or null at the end; the parser yields each record as an array. */
    private static Row next(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        int line = -1;
        for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (line < 0) {
                line = p.currentTokenLocation().getLineNr();
            }
            fields.add(p.getText());
        }
        return new Row(fields, line);
    }

    private static int label(String raw, String at) throws IOException {
        try {
            int label = Integer.parseInt(raw.trim());
            if (label >= 1) {
                return label - 1;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(at + ": the label must be an integer >= 1"
                + " (1-based), got '" + raw + "'");
    }
}
