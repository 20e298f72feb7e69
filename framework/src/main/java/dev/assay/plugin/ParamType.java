package dev.assay.plugin;

/** The value types a plugin parameter can declare; YAML values are coerced to these. */
public enum ParamType {
    /**
     * A whole number that fits a Java {@code int} (-2147483648 to 2147483647, read as a {@code
     * Long}); a YAML float with no fractional part is accepted.
     */
    INT("an integer"),
    /** A whole number that fits a Java {@code long} (seeds); otherwise as {@link #INT}. */
    LONG("an integer"),
    /** A floating-point number; YAML {@code 1e-3}, {@code 1.0e-4}, {@code .inf} and {@code .nan} are accepted. */
    DOUBLE("a number"),
    /** {@code true} or {@code false}. */
    BOOLEAN("true or false"),
    /** Any scalar, kept as text. */
    STRING("a string"),
    /** A list of whole numbers that fit an {@code int}, e.g. {@code [256, 128]}; an empty list is allowed. */
    INT_LIST("a list of integers"),
    /** A list of numbers. */
    DOUBLE_LIST("a list of numbers");

    private final String description;

    ParamType(String description) {
        this.description = description;
    }

    /**
     * Returns how the type reads in an error message.
     *
     * @return a phrase such as "an integer"
     */
    public String description() {
        return description;
    }
}
