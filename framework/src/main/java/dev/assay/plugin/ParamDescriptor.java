package dev.assay.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Describes one parameter of a provider: its name (as written in YAML), type, default and a
 * one-line description, plus optional allowed values and bounds. The CLI lists these and the spec
 * loader validates experiment files against them.
 *
 * @param name the YAML key, in snake_case
 * @param type the value type
 * @param defaultValue the value used when the key is absent, already of {@code type}'s Java type
 *     ({@code Long}, {@code Double}, {@code Boolean}, {@code String} or {@code List}); {@code null}
 *     means the parameter is required
 * @param description one line for {@code assay plugins}
 * @param choices allowed values for a {@link ParamType#STRING} parameter; empty means any
 * @param min lower bound for numbers (and for every element of a numeric list), or NaN
 * @param max upper bound, or NaN
 * @param minOpen whether {@code min} itself is refused (an optimizer's {@code epsilon} &gt; 0)
 * @param maxOpen whether {@code max} itself is refused (Adam's {@code beta1} in [0, 1): at 1 the
 *     update divides by zero; a momentum of 1 never forgets a gradient)
 */
public record ParamDescriptor(
        String name,
        ParamType type,
        Object defaultValue,
        String description,
        List<String> choices,
        double min,
        double max,
        boolean minOpen,
        boolean maxOpen) {

    private static final Pattern NUMBER =
            Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * Validates the descriptor.
     *
     * @throws NullPointerException if name, type or description is null
     * @throws IllegalArgumentException if the default value does not satisfy the type and bounds
     */
    public ParamDescriptor {
        // the messages end a sentence "... cannot declare its parameters: " (PluginFailures)
        Objects.requireNonNull(name, "a parameter has no name (null)");
        Objects.requireNonNull(type, () -> "parameter '" + name + "' has no type (null; give a ParamType)");
        Objects.requireNonNull(description, () -> "parameter '" + name + "' has no description (null)");
        choices = List.copyOf(choices);
        if (defaultValue != null) {
            try {
                defaultValue = coerce(name, type, choices, new Bounds(min, max, minOpen, maxOpen), defaultValue);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter '" + name + "': its default " + defaultValue
                        + " is not valid: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Creates an unbounded descriptor.
     *
     * @param name the YAML key
     * @param type the value type
     * @param defaultValue the default, or null for a required parameter
     * @param description one line of help
     * @return the descriptor
     */
    public static ParamDescriptor of(
            String name, ParamType type, Object defaultValue, String description) {
        return new ParamDescriptor(
                name, type, defaultValue, description, List.of(), Double.NaN, Double.NaN, false, false);
    }

    /**
     * Returns a copy restricted to the inclusive range {@code [min, max]}. Bounds made open by an
     * earlier {@link #open} are closed again: call {@code open} after {@code range}, as in {@code
     * range(0, 1).open(false, true)}.
     *
     * @param min the lower bound, or NaN for none
     * @param max the upper bound, or NaN for none
     * @return the bounded descriptor
     */
    public ParamDescriptor range(double min, double max) {
        return new ParamDescriptor(name, type, defaultValue, description, choices, min, max, false, false);
    }

    /**
     * Returns a copy whose bounds exclude themselves where asked: {@code range(0, 1).open(false,
     * true)} is {@code [0, 1)}, {@code range(0, NaN).open(true, false)} is {@code > 0}.
     *
     * @param min whether the lower bound is refused
     * @param max whether the upper bound is refused
     * @return the descriptor
     */
    public ParamDescriptor open(boolean min, boolean max) {
        return new ParamDescriptor(name, type, defaultValue, description, choices, this.min, this.max, min, max);
    }

    /**
     * Returns a copy that only accepts the given values.
     *
     * @param allowed the allowed strings
     * @return the restricted descriptor
     */
    public ParamDescriptor choices(String... allowed) {
        return new ParamDescriptor(name, type, defaultValue, description, List.of(allowed), min, max, minOpen,
                maxOpen);
    }

    /**
     * Whether the parameter has no default and must be given.
     *
     * @return true if required
     */
    public boolean required() {
        return defaultValue == null;
    }

    /**
     * Converts a raw YAML value to this parameter's Java type.
     *
     * @param raw the value as read from YAML: a {@code Number}, {@code Boolean}, {@code String}
     *     or {@code List}
     * @return a {@code Long}, {@code Double}, {@code Boolean}, {@code String} or an unmodifiable
     *     {@code List} of {@code Long}/{@code Double}
     * @throws IllegalArgumentException with a sentence naming the expected type and the value
     *     given, if the value does not fit
     */
    public Object coerce(Object raw) {
        return coerce(name, type, choices, new Bounds(min, max, minOpen, maxOpen), raw);
    }

    /** A parameter's bounds (NaN: none on that side), each included unless open. */
    private record Bounds(double min, double max, boolean minOpen, boolean maxOpen) {
        boolean none() {
            return Double.isNaN(min) && Double.isNaN(max);
        }

        boolean admits(double d) {
            return (Double.isNaN(min) || (minOpen ? d > min : d >= min))
                    && (Double.isNaN(max) || (maxOpen ? d < max : d <= max));
        }

        /** "in [a, b]", "in [a, b)", "≥ a", "> a", "≤ b", "< b". */
        String text() {
            if (Double.isNaN(max)) {
                return (minOpen ? "> " : "≥ ") + format(min);
            }
            if (Double.isNaN(min)) {
                return (maxOpen ? "< " : "≤ ") + format(max);
            }
            return "in " + (minOpen ? "(" : "[") + format(min) + ", " + format(max) + (maxOpen ? ")" : "]");
        }
    }

    private static Object coerce(String name, ParamType type, List<String> choices, Bounds bounds, Object raw) {
        Object value =
                switch (type) {
                    case INT -> toInt(raw, type, bounds.min(), bounds.max());
                    case LONG -> toLong(raw, type);
                    case DOUBLE -> toDouble(raw, type);
                    case BOOLEAN -> toBoolean(raw);
                    case STRING -> toText(raw, choices);
                    case INT_LIST, DOUBLE_LIST -> toList(raw, type, bounds.min(), bounds.max());
                };
        checkBounds(value, bounds);
        return value;
    }

    private static long toLong(Object raw, ParamType type) {
        if (raw instanceof Long l) {
            return l;
        }
        double d = toDouble(raw, type);
        if (d != Math.rint(d) || Double.isInfinite(d) || Math.abs(d) > 9.0e15) {
            throw mismatch(type, raw);
        }
        return (long) d;
    }

    /**
     * An {@link ParamType#INT} is a Java {@code int} where it is used: a larger value (epochs:
     * 99999999999) used to pass and fail later as a bare "ArithmeticException: integer overflow".
     */
    private static long toInt(Object raw, ParamType type, double min, double max) {
        long value = toLong(raw, type);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            // the parameter's own range where it has one ("in [1, 2147483647]" for epochs)
            double lo = Double.isNaN(min) ? Integer.MIN_VALUE : Math.max(min, Integer.MIN_VALUE);
            double hi = Double.isNaN(max) ? Integer.MAX_VALUE : Math.min(max, Integer.MAX_VALUE);
            throw new IllegalArgumentException(INT_RANGE + new Bounds(lo, hi, false, false).text() + ", got " + raw);
        }
        return value;
    }

    private static final String INT_RANGE = "expected an integer ";

    private static double toDouble(Object raw, ParamType type) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (NUMBER.matcher(t).matches()) {
                return Double.parseDouble(t);
            }
            switch (t) {
                case ".inf", "+.inf", "inf", "infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-.inf", "-inf", "-infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                case ".nan", "nan" -> {
                    return Double.NaN;
                }
                default -> { }
            }
        }
        throw mismatch(type, raw);
    }

    private static boolean toBoolean(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw mismatch(ParamType.BOOLEAN, raw);
    }

    private static String toText(Object raw, List<String> choices) {
        if (raw instanceof List<?> || raw instanceof java.util.Map<?, ?> || raw == null) {
            throw mismatch(ParamType.STRING, raw);
        }
        String s = String.valueOf(raw);
        if (!choices.isEmpty() && !choices.contains(s)) {
            throw new IllegalArgumentException(
                    "expected one of " + choices + ", got '" + s + "'" + Names.didYouMean(s, choices, ""));
        }
        return s;
    }

    private static List<Object> toList(Object raw, ParamType type, double min, double max) {
        if (!(raw instanceof List<?> list)) {
            throw mismatch(type, raw);
        }
        ParamType element = type == ParamType.INT_LIST ? ParamType.INT : ParamType.DOUBLE;
        List<Object> out = new ArrayList<>(list.size());
        for (Object item : list) {
            try {
                if (element == ParamType.INT) {
                    out.add(toInt(item, element, min, max));
                } else {
                    out.add(toDouble(item, element));
                }
            } catch (IllegalArgumentException e) {
                IllegalArgumentException whole = mismatch(type, raw);
                throw e.getMessage().startsWith(INT_RANGE)
                        ? new IllegalArgumentException(whole.getMessage() + " (each " + e.getMessage().substring(9) + ")")
                        : whole;
            }
        }
        return List.copyOf(out);
    }

    private static void checkBounds(Object value, Bounds bounds) {
        if (value instanceof List<?> list) {
            list.forEach(v -> checkBounds(v, bounds));
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            // a bounded parameter (a learning rate ≥ 0) takes neither NaN nor an infinity
            if (!bounds.none() && (!Double.isFinite(d) || !bounds.admits(d))) {
                // "expected a value ≥ 0, got Infinity" read as if infinity were not ≥ 0
                throw new IllegalArgumentException("expected " + (Double.isFinite(d) ? "a value " : "a finite value ")
                        + bounds.text() + ", got " + value);
            }
        }
    }

    /**
     * The allowed values of a numeric parameter, as its error messages and {@code assay plugins}
     * state them.
     *
     * @return "in [a, b]", "in [a, b)", "≥ a", "> a", "≤ b", "< b", or "" when unbounded
     */
    public String bounds() {
        Bounds b = new Bounds(min, max, minOpen, maxOpen);
        return b.none() ? "" : b.text();
    }

    private static String format(double bound) {
        return Double.isNaN(bound) ? "-" : (bound == Math.rint(bound) ? String.valueOf((long) bound)
                : String.valueOf(bound));
    }

    private static IllegalArgumentException mismatch(ParamType type, Object raw) {
        String shown = raw instanceof String s ? "'" + s + "'" : String.valueOf(raw);
        return new IllegalArgumentException(
                "expected " + type.description() + ", got " + shown);
    }
}
