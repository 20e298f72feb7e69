package dev.assay.web.query;

import dev.assay.run.ConfigDocuments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A field of a run that the filter language and the sort option can name:
 *
 * <ul>
 *   <li>{@code params.<key>} and {@code tags.<key>}: a param or tag value; compared as a number
 *       when the other side is a number (only values stored as finite numbers match), else as
 *       text;
 *   <li>{@code metrics.<key>}: the last value of a metric series (NaN and ±Infinity included);
 *   <li>{@code name}, {@code status}, {@code run_id}, {@code trial_key} (text) and {@code seed}, {@code trial},
 *       {@code start}, {@code end} (numbers; times in milliseconds since the epoch);
 *   <li>{@code config} (text): the run's params but the seed and the variant's name ({@code
 *       ConfigDocuments.LABEL_PARAMS}), as {@code key=value} pairs in key order joined by {@code
 *       "; "}, so the repeats of one configuration share it (the trial key differs between repeats:
 *       it includes the seed), and so does its run from a file without variants.
 * </ul>
 *
 * @param kind what the field reads
 * @param key the param, tag or metric key, or the SQL column of a run attribute (from a fixed list)
 * @param numeric for a run attribute, whether it is a number
 */
public record RunField(Kind kind, String key, boolean numeric) {

    /** Where a field's value comes from. */
    public enum Kind {
        /** A row of {@code params}. */
        PARAM,
        /** A row of {@code tags}. */
        TAG,
        /** The last value of a row of {@code metric_summaries}. */
        METRIC,
        /** A column of {@code runs}. */
        COLUMN
    }

    /** Separates the {@code key=value} pairs of {@code config}. */
    static final String CONFIG_SEPARATOR = "; ";

    private static final String CONFIG = "(SELECT LISTAGG(cp.param_key || '=' || cp.param_value, '"
            + CONFIG_SEPARATOR + "') WITHIN GROUP (ORDER BY cp.param_key) FROM params cp"
            + " WHERE cp.run_id = r.run_id AND cp.param_key NOT IN ("
            + ConfigDocuments.LABEL_PARAMS.stream().map(p -> "'" + p + "'").collect(java.util.stream.Collectors.joining(", "))
            + "))";

    private static final Map<String, String> TEXT_COLUMNS = Map.of("name", "r.run_name", "status", "r.status",
            "run_id", "r.run_id", "trial_key", "r.trial_key", "config", CONFIG);
    private static final Map<String, String> NUMBER_COLUMNS =
            Map.of("seed", "r.seed", "trial", "r.trial_index", "start", "r.start_millis", "end", "r.end_millis");

    /**
     * Whether this is {@code status}, whose values are the labels of {@code RunStatus}.
     *
     * @return true for {@code status}
     */
    public boolean isStatus() {
        return kind == Kind.COLUMN && key.equals(TEXT_COLUMNS.get("status"));
    }

    /**
     * Whether this is {@code config}, whose values {@link #shortConfigs} shortens for display.
     *
     * @return true for {@code config}
     */
    public boolean isConfig() {
        return kind == Kind.COLUMN && key.equals(CONFIG);
    }

    /**
     * Shortens {@code config} values to the {@code key=value} pairs that are not the same in all of
     * them (the params that vary), in the same order; a value with nothing left reads "(the only
     * configuration)".
     *
     * @param configs {@code config} values (null for a run without params stays null)
     * @return the shortened values, one per input
     */
    public static List<String> shortConfigs(List<String> configs) {
        List<Set<String>> parts = new ArrayList<>();
        for (String c : configs) {
            parts.add(c == null ? null : new LinkedHashSet<>(Arrays.asList(c.split(CONFIG_SEPARATOR))));
        }
        Set<String> common = null;
        for (Set<String> p : parts) {
            if (p != null) {
                if (common == null) {
                    common = new LinkedHashSet<>(p);
                } else {
                    common.retainAll(p);
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (Set<String> p : parts) {
            if (p == null) {
                out.add(null);
            } else {
                p.removeAll(common);
                out.add(p.isEmpty() ? "(the only configuration)" : String.join(CONFIG_SEPARATOR, p));
            }
        }
        return out;
    }

    /**
     * Returns a LEFT JOIN that makes this field's row available as {@code alias}, or {@code ""} for a
     * run attribute. The join has one placeholder (the key) unless it is empty.
     *
     * @param alias the SQL alias to use, a fixed identifier chosen by the caller
     * @return the join clause, starting with a space
     */
    public String join(String alias) {
        return switch (kind) {
            case PARAM -> " LEFT JOIN params " + alias + " ON " + alias + ".run_id = r.run_id AND " + alias
                    + ".param_key = ?";
            case TAG -> " LEFT JOIN tags " + alias + " ON " + alias + ".run_id = r.run_id AND " + alias
                    + ".tag_key = ?";
            case METRIC -> " LEFT JOIN metric_summaries " + alias + " ON " + alias + ".run_id = r.run_id AND "
                    + alias + ".metric_key = ?";
            case COLUMN -> "";
        };
    }

    /**
     * Returns the SQL of this field's value as text (NULL when the run lacks it).
     *
     * @param alias the alias given to {@link #join(String)}
     * @return an SQL expression
     */
    public String textValue(String alias) {
        return switch (kind) {
            case PARAM -> alias + ".param_value";
            case TAG -> alias + ".tag_value";
            case METRIC -> "CAST(" + alias + ".last_value AS VARCHAR)";
            case COLUMN -> "CAST(" + key + " AS VARCHAR)";
        };
    }

    /**
     * Returns the SQL of this field's value as a number (NULL when the run lacks it or it is text).
     *
     * @param alias the alias given to {@link #join(String)}
     * @return an SQL expression
     */
    public String numberValue(String alias) {
        return switch (kind) {
            case PARAM, TAG -> alias + ".numeric_value";
            case METRIC -> alias + ".last_value";
            case COLUMN -> numeric ? key : "CAST(NULL AS DOUBLE PRECISION)";
        };
    }

    /**
     * Returns the SQL of this field's value as a number to order by: {@link #numberValue}, and for
     * a param or tag spelled as an infinity ({@code Infinity}, {@code -inf}, YAML's {@code .inf},
     * in any case; it has no numeric value, {@code numeric_value} being finite) that infinity, so
     * that sorting and the groups' order put it after (or before) every number. A sort put a
     * learning rate of {@code Infinity} among the text values, after {@code -Infinity}'s.
     *
     * @param alias the alias given to {@link #join(String)}
     * @return an SQL expression made only of fixed identifiers and literals
     */
    public String orderValue(String alias) {
        if (kind != Kind.PARAM && kind != Kind.TAG) {
            return numberValue(alias);
        }
        String text = "UPPER(TRIM(" + textValue(alias) + "))";
        return "COALESCE(" + numberValue(alias) + ", CASE WHEN " + text + " IN ("
                + FilterSql.sqlList(FilterSql.nonFiniteSpellings(Double.POSITIVE_INFINITY))
                + ") THEN CAST('Infinity' AS DOUBLE PRECISION) WHEN " + text + " IN ("
                + FilterSql.sqlList(FilterSql.nonFiniteSpellings(Double.NEGATIVE_INFINITY))
                + ") THEN CAST('-Infinity' AS DOUBLE PRECISION) END)";
    }

    /**
     * Parses a field name.
     *
     * @param text the name as written, e.g. {@code params.training.optimizer.name}
     * @param position where it starts in the expression (for the error message)
     * @return the field
     * @throws FilterException if the name is not one of the forms above
     */
    public static RunField parse(String text, int position) {
        for (Map.Entry<String, Kind> prefix : Map.of("params.", Kind.PARAM, "tags.", Kind.TAG,
                "metrics.", Kind.METRIC).entrySet()) {
            if (text.startsWith(prefix.getKey()) && text.length() > prefix.getKey().length()) {
                return new RunField(prefix.getValue(), text.substring(prefix.getKey().length()), true);
            }
        }
        if (TEXT_COLUMNS.containsKey(text)) {
            return new RunField(Kind.COLUMN, TEXT_COLUMNS.get(text), false);
        }
        if (NUMBER_COLUMNS.containsKey(text)) {
            return new RunField(Kind.COLUMN, NUMBER_COLUMNS.get(text), true);
        }
        throw new FilterException("Unknown field '" + text + "' at position " + position
                + "; expected params.<key>, metrics.<key>, tags.<key>, name, status, run_id, trial_key, config,"
                + " seed, trial, start or end.", text, position);
    }
}
