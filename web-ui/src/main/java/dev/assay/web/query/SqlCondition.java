package dev.assay.web.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fragment of SQL with {@code ?} placeholders and the values to bind to them, in order. The
 * fragment refers to the runs table as {@code r}; it never contains user text.
 *
 * @param sql the SQL text
 * @param args the values for the placeholders (String, Double, Long)
 * @param metricKeys the metrics it compares ({@code metrics.<key>}), each with the position of its
 *     first mention in the filter (0-based, in characters), in order of appearance
 * @param paramKeys the params it compares ({@code params.<key>}), the same way
 * @param tagKeys the tags it compares ({@code tags.<key>}), the same way
 */
public record SqlCondition(String sql, List<Object> args, Map<String, Integer> metricKeys,
        Map<String, Integer> paramKeys, Map<String, Integer> tagKeys) {

    /** A condition that every run meets. */
    public static final SqlCondition TRUE = new SqlCondition("TRUE", List.of(), Map.of(), Map.of(), Map.of());

    /** Copies the argument list and the metric, param and tag keys (keeping their order). */
    public SqlCondition {
        args = List.copyOf(args);
        metricKeys = Collections.unmodifiableMap(new LinkedHashMap<>(metricKeys));
        paramKeys = Collections.unmodifiableMap(new LinkedHashMap<>(paramKeys));
        tagKeys = Collections.unmodifiableMap(new LinkedHashMap<>(tagKeys));
    }
}
