package dev.assay.sweep;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Parameter values as people read them in run names and tables: a sampled decimal such as {@code
 * 0.04110815668956829} cut to 6 significant digits. {@code assay show} and the store keep the exact
 * value.
 */
public final class ValueText {

    /** Significant digits a long decimal is rounded to: 6. */
    public static final int DIGITS = 6;

    private ValueText() {}

    /**
     * Rounds a decimal with more than {@link #DIGITS} significant digits to that many ({@code
     * 0.04110815668956829} → {@code 0.0411082}, {@code 2.99732788365548E-4} → {@code 0.000299733}),
     * written plainly unless below 1e-4 or from 1e7 up ({@code 1.234568e+30}); a short decimal in
     * Java's exponent form is written as those are ({@code 1.0E-5} → {@code 1e-5}, {@code 1.0E30}
     * → {@code 1e+30}); anything else (integers, names, lists, other short decimals) is returned
     * as given.
     *
     * @param value a parameter value as text
     * @return the value to show
     */
    public static String rounded(String value) {
        if (value.indexOf('.') < 0 && value.indexOf('e') < 0 && value.indexOf('E') < 0) {
            return value;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(value);
        } catch (NumberFormatException e) {
            return value;
        }
        if (d.precision() <= DIGITS) {
            // Java's exponent form ("1.0E-5", "1.0E30") beside the rounded ones' "1e-5": one form
            return value.indexOf('E') < 0 ? value : scientific(d);
        }
        BigDecimal r = d.round(new MathContext(DIGITS)).stripTrailingZeros();
        double a = Math.abs(r.doubleValue());
        return a != 0 && (a < 1e-4 || a >= 1e7) ? scientific(r) : r.toPlainString();
    }

    /**
     * Writes a decimal in Java's exponent form the way {@link #rounded} writes exponents, keeping
     * every digit ({@code 1.0E-5} → {@code 1e-5}, {@code 2.99732788365548E-4} → {@code
     * 2.99732788365548e-4}, {@code 1.0E30} → {@code 1e+30}); anything else (plain decimals,
     * integers, names, lists) is returned as given. For {@code assay show}, which shows the exact
     * value the store holds.
     *
     * @param value a parameter value as text
     * @return the same number, written without Java's {@code E} form
     */
    public static String exact(String value) {
        if (value.indexOf('E') < 0) {
            return value;
        }
        try {
            return scientific(new BigDecimal(value));
        } catch (NumberFormatException e) {
            return value;
        }
    }

    /** {@code d} as {@code 1.23457e-7}, {@code 1e+30}: one digit before the point, no trailing zeros. */
    private static String scientific(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        String digits = s.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - s.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (s.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent >= 0 ? "+" : "") + exponent;
    }
}
