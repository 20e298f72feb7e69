package dev.assay.web.query;

import java.util.List;
import java.util.Locale;

/**
 * The order of a runs page: a {@link RunField} and a direction. Numbers sort as numbers (a param
 * sorts by its numeric value first, then as text); runs that lack the field come last in both
 * directions, and NaN metrics come just before them. Ties are broken by trial index and run id, so
 * pages are stable.
 *
 * @param field the field, or null for the default order (trial index, then start time)
 * @param descending whether the order is descending
 */
public record RunSort(RunField field, boolean descending) {

    /** Trial index ascending. */
    public static final RunSort DEFAULT = new RunSort(null, false);

    private static final String TIE_BREAK = "r.trial_index, r.start_millis, r.run_id";

    /**
     * Parses the {@code sort} and {@code order} query parameters.
     *
     * @param sort a field name as in the filter language, or null/blank for the default order
     * @param order {@code asc} (default) or {@code desc}, case-insensitive
     * @return the sort
     * @throws FilterException if the field or the order is not valid
     */
    public static RunSort parse(String sort, String order) {
        boolean descending = false;
        if (order != null && !order.isBlank()) {
            String o = order.trim().toLowerCase(Locale.ROOT);
            if (!o.equals("asc") && !o.equals("desc")) {
                throw new FilterException("Unknown order '" + order + "'; expected asc or desc.", order, 0);
            }
            descending = o.equals("desc");
        }
        if (sort == null || sort.isBlank()) {
            return new RunSort(null, descending);
        }
        return new RunSort(RunField.parse(sort.trim(), 0), descending);
    }

    /**
     * Returns the join this order needs (alias {@code sk}), with its argument in {@code args}.
     *
     * @param args receives the join's bound value, if any
     * @return the join clause, or {@code ""}
     */
    public String join(List<Object> args) {
        if (field == null || field.kind() == RunField.Kind.COLUMN) {
            return "";
        }
        args.add(field.key());
        return field.join("sk");
    }

    /**
     * Returns the ORDER BY list (without the keywords).
     *
     * @return SQL text made only of fixed identifiers
     */
    public String orderBy() {
        String dir = descending ? " DESC" : " ASC";
        if (field == null) {
            return descending ? "r.trial_index DESC, r.start_millis DESC, r.run_id DESC" : TIE_BREAK;
        }
        return switch (field.kind()) {
            case PARAM, TAG -> "CASE WHEN " + field.textValue("sk") + " IS NULL THEN 1 ELSE 0 END, "
                    + field.orderValue("sk") + dir + " NULLS LAST, " + field.textValue("sk") + dir + ", " + TIE_BREAK;
            case METRIC -> "CASE WHEN sk.last_value IS NULL THEN 2 WHEN sk.last_value = " + FilterSql.NAN
                    + " THEN 1 ELSE 0 END, sk.last_value" + dir + ", " + TIE_BREAK;
            case COLUMN -> field.key() + dir + " NULLS LAST, " + TIE_BREAK;
        };
    }
}
