package dev.assay.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into tokens. {@code word} mode: runs of letters, digits and apostrophes are words,
 * every other non-space character is a token of its own, and each Han, Hiragana, Katakana or
 * Hangul character is a token (so Chinese text without spaces, e.g. raw Sogou News, is split by
 * character). {@code char} mode: every character is a token, each run of whitespace between two
 * characters one {@value #SPACE} token (leading and trailing whitespace dropped), so that a
 * character-level model can write the spaces between words (they were dropped: a seq2seq model's
 * output read {@code ihavethecafé.}). {@code space} mode:
 * whitespace-separated tokens as they are (for pre-tokenized text such as WikiText, whose
 * {@code <unk>} must stay one token). Optionally lower-cased first ({@link Locale#ROOT}).
 *
 * @param mode {@code word}, {@code char} or {@code space}
 * @param lowercase whether to lower-case the text first
 */
public record TextTokenizer(String mode, boolean lowercase) {

    /** The token of a run of whitespace in {@code char} mode: one space. */
    public static final String SPACE = " ";

    /**
     * Validates the mode.
     *
     * @throws IllegalArgumentException if mode is not {@code word}, {@code char} or {@code space}
     */
    public TextTokenizer {
        if (!List.of("word", "char", "space").contains(mode)) {
            throw new IllegalArgumentException("tokenizer must be word, char or space, got '"
                    + mode + "'");
        }
    }

    /**
     * Tokenizes a text.
     *
     * @param text the text
     * @return the tokens, in order
     */
    public List<String> tokenize(String text) {
        String s = lowercase ? text.toLowerCase(Locale.ROOT) : text;
        if ("space".equals(mode)) {
            String t = s.strip();
            return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
        }
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean space = false; // char mode: whitespace seen since the last token
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean wordChar = "word".equals(mode) && !isCjk(cp)
                    && (Character.isLetterOrDigit(cp) || cp == '\'');
            if (wordChar) {
                word.appendCodePoint(cp);
                continue;
            }
            flush(word, out);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                space = "char".equals(mode) && !out.isEmpty();
                continue;
            }
            if (space) {
                out.add(SPACE);
                space = false;
            }
            out.add(new String(Character.toChars(cp)));
        }
        flush(word, out);
        return out;
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (word.length() > 0) {
            out.add(word.toString());
            word.setLength(0);
        }
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || script == Character.UnicodeScript.HANGUL;
    }
}
