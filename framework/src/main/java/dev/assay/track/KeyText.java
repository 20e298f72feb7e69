package dev.assay.track;

import java.util.Locale;

/** What makes a name unfit for the tables and the web UI: characters that print as nothing. */
public final class KeyText {

    private KeyText() {}

    /**
     * The first character of a name that prints as nothing or moves the cursor or the text around it
     * (a control, format or separator character other than the space: tab, newline, zero-width
     * space, right-to-left override, ...; an unassigned or private-use code point, a lone
     * surrogate), described with its code point, Unicode name and 1-based position; null if there
     * is none.
     *
     * @param name any text
     * @return e.g. {@code "U+0009 (character tabulation) at character 2"}, or null
     */
    public static String unprintable(String name) {
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED
                    || type == Character.SURROGATE || type == Character.PRIVATE_USE
                    || (type == Character.SPACE_SEPARATOR && c != ' ')) {
                String unicodeName = Character.getName(c);
                return String.format(Locale.ROOT, "U+%04X (%s) at character %d", c,
                        unicodeName != null ? unicodeName.toLowerCase(Locale.ROOT) : "unassigned",
                        name.codePointCount(0, i) + 1);
            }
            i += Character.charCount(c);
        }
        return null;
    }
}
