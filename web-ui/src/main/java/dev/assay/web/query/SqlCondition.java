package dev.assay.web.query;

import java.util.List;

/**
 * A fragment of SQL with {@code ?} placeholders and the values to bind to them, in order. The
 * fragment refers to the runs table as {@code r}; it never contains user text.
 *
 * @param sql the SQL text
 * @param args the values for the placeholders (String, Double, Long)
 */
public record SqlCondition(String sql, List<Object> args) {

    /** A condition that every run meets. */
    public static final SqlCondition TRUE = new SqlCondition("TRUE", List.of());

    /** Copies the argument list. */
    public SqlCondition {
        args = List.copyOf(args);
    }
}
