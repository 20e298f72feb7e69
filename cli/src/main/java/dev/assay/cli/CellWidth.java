package dev.assay.cli;

import java.text.Normalizer;
import org.jline.utils.WCWidth;

/**
 * Lines up table cells holding characters a terminal draws two columns wide (CJK ideographs,
 * Hangul, full-width forms; {@code wcwidth} 2) for the table renderer, which counts a cell's width
 * as its UTF-16 length. {@link #padded} gives each such character as many invisible markers as it
 * is wider than its length, so the renderer pads the cell to its true width; {@link #unmarked}
 * removes the markers from the rendered table.
 *
 * <p>Widths are jline's {@code WCWidth.wcwidth} (Markus Kuhn's {@code wcwidth}, from the Unicode
 * East Asian Width property, UAX #11). A cell is put in Unicode normalization form C first, so a
 * letter and its combining accent ({@code e} + U+0301) are one character, one column wide.
 * Characters of width 0 that remain (zero-width joiners, combining marks with no precomposed form)
 * still count one column each: a row holding them is drawn that many columns short.
 */
final class CellWidth {

    /** The marker: a private-use character, never in a cell after {@link #padded}. */
    static final char MARKER = '\uE000';

    private CellWidth() {}

    /**
     * Returns a cell as the renderer should measure it: NFC, with one {@link #MARKER} after each
     * double-width character that occupies one UTF-16 unit (a double-width character outside the
     * Basic Multilingual Plane, such as an emoji, is already two units long). A private-use
     * {@link #MARKER} already in the text is dropped.
     *
     * @param cell the cell's text (null is returned as is)
     * @return the text to render
     */
    static String padded(String cell) {
        if (cell == null) {
            return null;
        }
        String text = Normalizer.normalize(cell, Normalizer.Form.NFC);
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int units = Character.charCount(cp);
            int extra = Math.max(0, WCWidth.wcwidth(cp)) - units;
            if (extra > 0 || cp == MARKER) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                if (cp != MARKER) {
                    out.appendCodePoint(cp);
                    out.append(String.valueOf(MARKER).repeat(extra));
                }
            } else if (out != null) {
                out.appendCodePoint(cp);
            }
            i += units;
        }
        return out == null ? text : out.toString();
    }

    /**
     * Removes the markers {@link #padded} added from a rendered table.
     *
     * @param rendered the table as rendered
     * @return the table as a terminal should print it
     */
    static String unmarked(String rendered) {
        return rendered.indexOf(MARKER) < 0 ? rendered : rendered.replace(String.valueOf(MARKER), "");
    }
}
