package dev.assay.web.query;

import dev.assay.plugin.Names;
import dev.assay.track.RunStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the run filter language into a parameterized SQL condition over the runs table {@code r}.
 *
 * <pre>
 * expr       := and ('or' and)*
 * and        := unary ('and' unary)*
 * unary      := 'not' unary | '(' expr ')' | field op literal
 * op         := '=' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=' | '~'   ('~' is "contains", text only)
 * literal    := number | NaN | Infinity | -Infinity | 'quoted' | "quoted" | bare-word
 * </pre>
 *
 * <p>Inside a quoted value its own quote is written twice, as in SQL: {@code tags.note = 'it''s'}
 * compares with {@code it's}.
 *
 * Keywords are case-insensitive; fields are described by {@link RunField}. Example: {@code
 * params.training.optimizer.name = adam and metrics.val_accuracy > 0.85}. A comparison with a
 * param or tag that a run lacks is false, and {@code a != b} is {@code not (a = b)}. Ordering
 * comparisons on metrics never match NaN; a param or tag recorded as NaN or ±Infinity (any
 * spelling Java, YAML or this language uses) equals that value, and ordering comparisons with NaN
 * match no param. {@code status = X} and {@code status != X} take a status
 * in any case ({@code DIVERGED}); another value is an error naming the valid ones (it matched no
 * run, silently). User text only ever reaches SQL as bound values.
 */
public final class FilterParser {

    /**
     * How deep {@code not} and parentheses may nest: 50. A filter of a thousand nested {@code
     * not}s overflowed the stack of this parser and H2's (an empty HTTP 500); no filter a person
     * writes comes near it.
     */
    public static final int MAX_DEPTH = 50;

    private final List<FilterToken> tokens;
    private final List<Object> args = new ArrayList<>();
    private final Map<String, Integer> metrics = new LinkedHashMap<>();
    private final Map<String, Integer> params = new LinkedHashMap<>();
    private final Map<String, Integer> tags = new LinkedHashMap<>();
    private int next;
    private int depth;

    private FilterParser(String text) {
        this.tokens = FilterToken.tokenize(text);
    }

    /**
     * Parses a filter.
     *
     * @param text the expression; null or blank means "every run"
     * @return the SQL condition, its arguments and the metrics it compares
     * @throws FilterException naming the first bad token and its position
     */
    public static SqlCondition parse(String text) {
        if (text == null || text.isBlank()) {
            return SqlCondition.TRUE;
        }
        FilterParser parser = new FilterParser(text);
        String sql = parser.orExpression();
        if (!parser.peek().isEnd()) {
            throw parser.unexpected("'and', 'or' or the end of the filter");
        }
        return new SqlCondition(sql, parser.args, parser.metrics, parser.params, parser.tags);
    }

    /** {@code a or b or c} as one flat {@code (a OR b OR c)}: a long chain nests nothing. */
    private String orExpression() {
        List<String> terms = new ArrayList<>(List.of(andExpression()));
        while (peek().isKeyword("or")) {
            next++;
            terms.add(andExpression());
        }
        return terms.size() == 1 ? terms.get(0) : "(" + String.join(" OR ", terms) + ")";
    }

    private String andExpression() {
        List<String> terms = new ArrayList<>(List.of(unary()));
        while (peek().isKeyword("and")) {
            next++;
            terms.add(unary());
        }
        return terms.size() == 1 ? terms.get(0) : "(" + String.join(" AND ", terms) + ")";
    }

    private String unary() {
        FilterToken token = peek();
        if (token.isKeyword("not") || token.isSymbol("(")) {
            if (++depth > MAX_DEPTH) {
                throw new FilterException(String.format(Locale.ROOT, "The filter nests 'not' and parentheses more"
                        + " than %d deep at position %d; write it with fewer.", MAX_DEPTH, token.position()),
                        token.text(), token.position());
            }
            next++;
            String sql;
            if (token.isKeyword("not")) {
                sql = "(NOT " + unary() + ")";
            } else {
                sql = orExpression();
                expectSymbol(")");
            }
            depth--;
            return sql;
        }
        return comparison();
    }

    private String comparison() {
        FilterToken fieldToken = take("a field such as params.<key> or metrics.<key>", FilterToken.Type.WORD);
        RunField field = RunField.parse(fieldToken.text(), fieldToken.position());
        if (field.kind() == RunField.Kind.METRIC) {
            metrics.putIfAbsent(field.key(), fieldToken.position());
        } else if (field.kind() == RunField.Kind.PARAM) {
            params.putIfAbsent(field.key(), fieldToken.position());
        } else if (field.kind() == RunField.Kind.TAG) {
            tags.putIfAbsent(field.key(), fieldToken.position());
        }
        FilterToken op = take("an operator (= != < <= > >= ~)", FilterToken.Type.OPERATOR);
        FilterToken literal = take("a value", FilterToken.Type.WORD, FilterToken.Type.QUOTED);
        if (field.isStatus() && (op.text().equals("=") || op.text().equals("!="))) {
            literal = new FilterToken(literal.type(), statusLabel(literal), literal.position());
        }
        return FilterSql.comparison(field, op, literal, args);
    }

    /**
     * The stored label of the status a literal names, in any case.
     *
     * @throws FilterException naming the value, its position, the closest status and all of them
     */
    private static String statusLabel(FilterToken literal) {
        List<String> labels = Arrays.stream(RunStatus.values()).map(RunStatus::label).toList();
        String given = literal.text().trim().toLowerCase(Locale.ROOT);
        if (labels.contains(given)) {
            return given;
        }
        throw new FilterException("No run status is named '" + literal.text() + "' (position " + literal.position()
                + ")" + Names.didYouMean(given, labels, ".") + " A status is one of: " + String.join(", ", labels)
                + ".", literal.text(), literal.position());
    }

    private void expectSymbol(String symbol) {
        if (!peek().isSymbol(symbol)) {
            throw unexpected("'" + symbol + "'");
        }
        next++;
    }

    private FilterToken take(String expected, FilterToken.Type... types) {
        FilterToken token = peek();
        for (FilterToken.Type type : types) {
            if (token.type() == type && !(type == FilterToken.Type.WORD && token.isAnyKeyword())) {
                next++;
                return token;
            }
        }
        throw unexpected(expected);
    }

    private FilterToken peek() {
        return tokens.get(next);
    }

    private FilterException unexpected(String expected) {
        FilterToken token = peek();
        String found = token.isEnd() ? "The filter ends" : "Unexpected '" + token.text() + "'";
        return new FilterException(String.format(Locale.ROOT, "%s at position %d; expected %s.",
                found, token.position(), expected), token.text(), token.position());
    }
}
