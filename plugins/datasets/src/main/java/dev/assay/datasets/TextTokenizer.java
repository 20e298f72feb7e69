package dev.assay.datasets;

import java.text.Normalizer;
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
 * {@code <unk>} must stay one token; any Unicode space separates). Every mode reads the text in
 * Unicode's composed form (NFC) first, and {@code word} mode keeps combining marks in their word.
 * Optionally lower-cased first ({@link Locale#ROOT}).
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
        // composed first (NFC): "café" typed as e + U+0301 and as é were two words, and the accent a third
        String composed = Normalizer.normalize(text, Normalizer.Form.NFC);
        String s = lowercase ? composed.toLowerCase(Locale.ROOT) : composed;
        if ("space".equals(mode)) {
            // any Unicode space separates (a no-break space glued two words into one token)
            String t = UNICODE_SPACE.matcher(s).replaceAll(" ").strip();
            return t.isEmpty() ? List.of() : List.of(t.split(" +"));
        }
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean space = false; // char mode: whitespace seen since the last token
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean wordChar = "word".equals(mode) && !isCjk(cp)
                    && (Character.isLetterOrDigit(cp) || isMark(cp) || cp == '\'');
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

    /**
     * A combining mark (Unicode categories Mn, Mc, Me) belongs to the word it marks: Devanagari's
     * vowel signs, Arabic's harakat, a decomposed accent; they were tokens of their own and split
     * नमस्ते into five tokens.
     */
    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    private static final java.util.regex.Pattern UNICODE_SPACE = java.util.regex.Pattern.compile("(?U)\\s+");

    private static boolean isCjk(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || script == Character.UnicodeScript.HANGUL;
    }
}
