package dev.assay.bench;

import java.util.Locale;

/**
 * What a benchmark figure must meet: a bound on either the row's value or its ratio.
 *
 * @param on what the bound applies to
 * @param atMost true for "≤ threshold", false for "≥ threshold"
 * @param threshold the bound, in the unit of what it applies to (the row's unit for a value; a
 *     plain number for a ratio)
 */
public record Target(Applies on, boolean atMost, double threshold) {

    /** What a target bounds. */
    public enum Applies {
        /** The row's value. */
        VALUE,
        /** The row's ratio (value over reference, or the median of per-pair ratios). */
        RATIO
    }

    /**
     * A ratio of at most {@code threshold}.
     *
     * @param threshold the largest passing ratio
     * @return the target
     */
    public static Target ratioAtMost(double threshold) {
        return new Target(Applies.RATIO, true, threshold);
    }

    /**
     * A ratio of at least {@code threshold}.
     *
     * @param threshold the smallest passing ratio
     * @return the target
     */
    public static Target ratioAtLeast(double threshold) {
        return new Target(Applies.RATIO, false, threshold);
    }

    /**
     * A value of at least {@code threshold}.
     *
     * @param threshold the smallest passing value, in the row's unit
     * @return the target
     */
    public static Target valueAtLeast(double threshold) {
        return new Target(Applies.VALUE, false, threshold);
    }

    /**
     * A value of at most {@code threshold}.
     *
     * @param threshold the largest passing value, in the row's unit
     * @return the target
     */
    public static Target valueAtMost(double threshold) {
        return new Target(Applies.VALUE, true, threshold);
    }

    /**
     * Tests a value and ratio against the bound; NaN never passes.
     *
     * @param value the row's value
     * @param ratio the row's ratio, or null
     * @return whether the bound holds
     * @throws IllegalArgumentException if the target bounds the ratio and {@code ratio} is null
     */
    public boolean test(double value, Double ratio) {
        if (on == Applies.RATIO && ratio == null) {
            throw new IllegalArgumentException("A ratio target needs a ratio; the row has none.");
        }
        double x = on == Applies.RATIO ? ratio : value;
        return atMost ? x <= threshold : x >= threshold;
    }

    /**
     * Describes the bound, e.g. {@code ratio ≤ 1.03} or {@code ≥ 2,000,000}.
     *
     * @return the text
     */
    public String describe() {
        String bound = (atMost ? "≤ " : "≥ ") + format(threshold);
        return on == Applies.RATIO ? "ratio " + bound : bound;
    }

    private static String format(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) x)
                : String.format(Locale.ROOT, "%.2f", x);
    }
}
