package dev.assay.web.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One token of a run filter, with its position for error messages.
 *
 * @param type what kind of token it is
 * @param text the token as written (for a quoted string: its value, without the enclosing quotes
 *     and with each doubled quote read as one); {@code ""} at the end
 * @param position the 0-based character offset where it starts
 */
record FilterToken(Type type, String text, int position) {

    /** Token kinds. */
    enum Type { WORD, QUOTED, OPERATOR, SYMBOL, END }

    private static final Set<String> KEYWORDS = Set.of("and", "or", "not");
    private static final String SPECIAL = "()=!<>~'\"";

    boolean isEnd() {
        return type == Type.END;
    }

    boolean isKeyword(String keyword) {
        return type == Type.WORD && text.toLowerCase(Locale.ROOT).equals(keyword);
    }

    boolean isAnyKeyword() {
        return type == Type.WORD && KEYWORDS.contains(text.toLowerCase(Locale.ROOT));
    }

    boolean isSymbol(String symbol) {
        return type == Type.SYMBOL && text.equals(symbol);
    }

    /** Splits a filter into tokens, ending with an END token. */
    static List<FilterToken> tokenize(String input) {
        List<FilterToken> tokens = new ArrayList<>();
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else {
                FilterToken token = read(input, i);
                tokens.add(token);
                i = token.end(input, i);
            }
        }
        tokens.add(new FilterToken(Type.END, "", input.length()));
        return tokens;
    }

    private int end(String input, int start) {
        return type == Type.QUOTED ? closingQuote(input, start) + 1 : start + text.length();
    }

    /**
     * The index of the quote that closes the quoted value opening at {@code open}, where a quote
     * written twice inside it ({@code 'it''s'}) stands for one, as in SQL.
     *
     * @return the index, or -1 if the value is not closed
     */
    private static int closingQuote(String input, int open) {
        char quote = input.charAt(open);
        int i = open + 1;
        while (true) {
            int close = input.indexOf(quote, i);
            if (close < 0 || close + 1 >= input.length() || input.charAt(close + 1) != quote) {
                return close;
            }
            i = close + 2;
        }
    }

    private static FilterToken read(String input, int i) {
        char c = input.charAt(i);
        if (c == '(' || c == ')') {
            return new FilterToken(Type.SYMBOL, String.valueOf(c), i);
        }
        if (c == '\'' || c == '"') {
            int close = closingQuote(input, i);
            if (close < 0) {
                throw new FilterException("Unterminated quoted value starting at position " + i
                        + "; add the closing " + c + " (a " + c + " inside the value is written twice: " + c + c
                        + ").", input.substring(i), i);
            }
            String quote = String.valueOf(c);
            return new FilterToken(Type.QUOTED, input.substring(i + 1, close).replace(quote + quote, quote), i);
        }
        if ("=!<>~".indexOf(c) >= 0) {
            return operator(input, i);
        }
        int end = i;
        while (end < input.length() && !Character.isWhitespace(input.charAt(end))
                && SPECIAL.indexOf(input.charAt(end)) < 0) {
            end++;
        }
        return new FilterToken(Type.WORD, input.substring(i, end), i);
    }

    private static FilterToken operator(String input, int i) {
        String two = input.length() > i + 1 ? input.substring(i, i + 2) : "";
        if (two.equals("!=") || two.equals("<=") || two.equals(">=")) {
            return new FilterToken(Type.OPERATOR, two, i);
        }
        char c = input.charAt(i);
        if (c == '!') {
            throw new FilterException("Unexpected '!' at position " + i + "; did you mean '!='?", "!", i);
        }
        return new FilterToken(Type.OPERATOR, String.valueOf(c), i);
    }
}
