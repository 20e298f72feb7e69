package dev.assay.datasets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads tab-separated sentence pairs in the Anki / Tatoeba format of
 * <a href="https://www.manythings.org/anki/">manythings.org/anki</a> ({@code fra.txt} in
 * {@code fra-eng.zip}, ...): one pair per line, {@code source<TAB>target}, optionally followed by
 * a third attribution column ({@code CC-BY 2.0 (France) Attribution: tatoeba.org #... }), which is
 * ignored. Tatoeba's own four-column export {@code id<TAB>source<TAB>id<TAB>target} is read too
 * (recognized by numeric first and third columns); any other line of more than three columns is an
 * error (a tab inside a sentence would otherwise cut it short), and so is an empty sentence. Blank
 * lines without a tab and a leading byte-order mark are skipped; a line ends at {@code \r\n},
 * {@code \n} or a lone {@code \r}.
 */
final class SentencePairsReader {

    /**
     * One pair as written in the file.
     *
     * @param source the source sentence
     * @param target the target sentence
     */
    record TextPair(String source, String target) {}

    private SentencePairsReader() {}

    /**
     * Parses the text of a file.
     *
     * @param text the file's content
     * @param name the file name, for error messages
     * @return the pairs, in file order
     * @throws IOException if a non-blank line has fewer than two columns, more than three that are
     *     not Tatoeba's four, or an empty sentence (the message gives {@code name:line})
     */
    static List<TextPair> parse(String text, String name) throws IOException {
        List<TextPair> pairs = new ArrayList<>();
        // \r\n, \n or a lone \r (old Mac files) ends a line: a file of lone \r was one line, refused as
        // "N columns" on line 1
        String[] lines = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (!line.isBlank() || line.indexOf('\t') >= 0) { // "   <TAB>   " is a pair of two empty sentences
                pairs.add(pair(line.split("\t", -1), name, i + 1));
            }
        }
        return pairs;
    }

    private static TextPair pair(String[] columns, String name, int lineNumber)
            throws IOException {
        boolean tatoebaIds = columns.length == 4 && columns[0].strip().matches("\\d+")
                && columns[2].strip().matches("\\d+");
        String source = (tatoebaIds ? columns[1] : columns[0]).strip();
        String target = columns.length < 2 ? "" : (tatoebaIds ? columns[3] : columns[1]).strip();
        if (columns.length > 3 && !tatoebaIds) {
            // a tab inside a sentence: taking columns 1 and 2 dropped the rest of the line silently
            throw new IOException(name + ":" + lineNumber + ": expected source<TAB>target [<TAB>attribution],"
                    + " or Tatoeba's id<TAB>source<TAB>id<TAB>target, got " + columns.length + " columns"
                    + " (a tab inside a sentence?)");
        }
        if (columns.length < 2) {
            throw new IOException(name + ":" + lineNumber + ": expected source<TAB>target"
                    + " [<TAB>attribution], got one column (no tab)");
        }
        if (source.isEmpty() || target.isEmpty()) {
            // it said "got 3 column(s)" for "Empty target.<TAB><TAB>x", naming the columns, not the empty sentence
            String empty = source.isEmpty() && target.isEmpty() ? "both sentences are"
                    : source.isEmpty() ? "the source sentence is" : "the target sentence is";
            throw new IOException(name + ":" + lineNumber + ": " + empty + " empty; every line needs"
                    + " source<TAB>target [<TAB>attribution] with two non-empty sentences");
        }
        return new TextPair(source, target);
    }
}
