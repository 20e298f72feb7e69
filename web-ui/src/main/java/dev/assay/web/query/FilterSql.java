package dev.assay.web.query;

import java.util.Collections;
import java.util.List;

/** Translates one comparison of the filter language into SQL; see {@link FilterParser}. */
final class FilterSql {

    /** H2 compares NaN as larger than every number, so ordering comparisons exclude it. */
    static final String NAN = "CAST('NaN' AS DOUBLE PRECISION)";

    private FilterSql() {}

    /** Returns the SQL of {@code field op literal}, adding its bound values to {@code args}. */
    static String comparison(RunField field, FilterToken op, FilterToken literal, List<Object> args) {
        Double number = literal.type() == FilterToken.Type.WORD ? parseNumber(literal.text()) : null;
        boolean negate = op.text().equals("!=");
        String sqlOp = negate ? "=" : op.text();
        String sql = switch (field.kind()) {
            case PARAM -> keyValue("params", "param", field, sqlOp, literal, number, args);
            case TAG -> keyValue("tags", "tag", field, sqlOp, literal, number, args);
            case METRIC -> metric(field.key(), sqlOp, literal, number, args);
            case COLUMN -> column(field, sqlOp, literal, number, args);
        };
        return negate ? "(NOT " + sql + ")" : sql;
    }

    private static String keyValue(String table, String prefix, RunField field, String op, FilterToken literal,
            Double number, List<Object> args) {
        args.add(field.key());
        String head = "EXISTS (SELECT 1 FROM " + table + " p WHERE p.run_id = r.run_id AND p." + prefix + "_key = ? AND ";
        if (op.equals("~")) {
            args.add(literal.text());
            return head + "LOCATE(?, p." + prefix + "_value) > 0)";
        }
        if (number != null && Double.isNaN(number) && !op.equals("=")) {
            return head + "FALSE)"; // no value is before or after NaN
        }
        if (number != null && !Double.isFinite(number) && op.equals("=")) {
            // a param or tag is stored as text; NaN and the infinities have no numeric value there
            List<String> spellings = nonFiniteSpellings(number);
            args.addAll(spellings);
            return head + "UPPER(TRIM(p." + prefix + "_value)) IN (" + String.join(", ",
                    Collections.nCopies(spellings.size(), "?")) + "))";
        }
        if (number != null && !op.equals("=")) {
            // an infinity spelled as text is after (or before) every number: params.x > 1 matched no Infinity
            args.add(number);
            return head + field.orderValue("p") + " " + op + " ?)";
        }
        Double quotedNumber = number == null && op.equals("=") ? parseNumber(literal.text()) : null;
        if (quotedNumber != null && Double.isFinite(quotedNumber)) {
            // a number in quotes is also that number: the tables show 1.0E-4 as 1e-4, and
            // params.l2 = '1e-4' matched nothing
            args.add(literal.text());
            args.add(quotedNumber);
            return head + "(p." + prefix + "_value = ? OR p.numeric_value = ?))";
        }
        args.add(number != null ? number : literal.text());
        return head + (number != null ? "p.numeric_value " : "p." + prefix + "_value ") + op + " ?)";
    }

    /**
     * How a param or tag may spell a non-finite value, in upper case: as Java writes it ({@code NaN},
     * {@code Infinity}, {@code -Infinity}, how Assay records a YAML {@code .nan} or {@code .inf}),
     * as the filter language reads it ({@code inf}, {@code +inf}, ...) and as YAML writes it.
     */
    static List<String> nonFiniteSpellings(double value) {
        if (Double.isNaN(value)) {
            return List.of("NAN", ".NAN");
        }
        return value > 0 ? List.of("INFINITY", "+INFINITY", "INF", "+INF", ".INF", "+.INF")
                : List.of("-INFINITY", "-INF", "-.INF");
    }

    /** Spellings (fixed upper-case words) as an SQL list of string literals: {@code 'A', 'B'}. */
    static String sqlList(List<String> spellings) {
        return String.join(", ", spellings.stream().map(w -> "'" + w + "'").toList());
    }

    private static String metric(String key, String op, FilterToken literal, Double number, List<Object> args) {
        if (number == null || op.equals("~")) {
            String why = number == null ? "'" + literal.text() + "' is not a number" : "'~' compares text";
            throw new FilterException("Metric comparisons need a number: " + why + " (position "
                    + literal.position() + ").", literal.text(), literal.position());
        }
        args.add(key);
        args.add(number);
        String notNan = op.equals("=") ? "" : " AND NOT s.last_value = " + NAN;
        return "EXISTS (SELECT 1 FROM metric_summaries s WHERE s.run_id = r.run_id AND s.metric_key = ?"
                + " AND s.last_value " + op + " ?" + notNan + ")";
    }

    private static String column(RunField field, String op, FilterToken literal, Double number, List<Object> args) {
        if (op.equals("~")) {
            args.add(literal.text());
            return "COALESCE(LOCATE(?, " + field.key() + ") > 0, FALSE)";
        }
        if (number == null && field.key().endsWith("_millis")) {
            number = epochMillis(literal);
        }
        if (field.numeric() && number == null) {
            throw new FilterException("'" + literal.text() + "' at position " + literal.position()
                    + " is not a number.", literal.text(), literal.position());
        }
        args.add(field.numeric() ? number : literal.text());
        return "COALESCE(" + field.key() + " " + op + " ?, FALSE)";
    }

    /**
     * Reads a time for {@code start} and {@code end} (milliseconds since 1970-01-01T00:00Z): an
     * ISO-8601 date ({@code 2026-12-01}, its midnight in UTC), date and time ({@code
     * 2026-12-01T10:30}, UTC) or instant with an offset ({@code 2026-12-01T10:30:00+01:00}, {@code
     * ...Z}), as the CLI prints them; {@code end > '2026-12-01'} read "'2026-12-01' is not a number".
     *
     * @throws FilterException for text that is none of these, naming the forms it takes
     */
    private static Double epochMillis(FilterToken literal) {
        String t = literal.text().strip();
        try {
            if (t.length() == 10) {
                return (double) java.time.LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            java.time.temporal.TemporalAccessor parsed = java.time.format.DateTimeFormatter.ISO_DATE_TIME.parse(t);
            java.time.LocalDateTime local = java.time.LocalDateTime.from(parsed);
            java.time.ZoneOffset offset = parsed.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)
                    ? java.time.ZoneOffset.from(parsed) : java.time.ZoneOffset.UTC;
            return (double) local.toInstant(offset).toEpochMilli();
        } catch (java.time.DateTimeException e) {
            throw new FilterException("'" + t + "' at position " + literal.position() + " is neither milliseconds since"
                    + " 1970 nor an ISO-8601 date or time (2026-12-01, 2026-12-01T10:30, 2026-12-01T10:30:00Z; UTC unless"
                    + " an offset is given).", literal.text(), literal.position());
        }
    }

    /** Parses a number, NaN, Infinity, -Infinity or inf; null when the text is not one. */
    static Double parseNumber(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("+inf") || t.equalsIgnoreCase("infinity")
                || t.equalsIgnoreCase("+infinity")) {
            return Double.POSITIVE_INFINITY;
        }
        if (t.equalsIgnoreCase("-inf") || t.equalsIgnoreCase("-infinity")) {
            return Double.NEGATIVE_INFINITY;
        }
        if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return null;
        }
        return Double.parseDouble(t);
    }
}
