package dev.assay.plugin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider's resolved parameters: every declared parameter present, coerced to its type, with
 * defaults filled in. Instances are immutable and made by {@link #resolve(List, Map)}.
 */
public final class Params {

    private final Map<String, Object> values;

    private Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Resolves given values against descriptors: coerces each, fills defaults, in descriptor order.
     *
     * @param descriptors the provider's declared parameters
     * @param given raw values by name (from YAML)
     * @return the resolved parameters
     * @throws IllegalArgumentException naming the parameter, if a name is not declared, a required
     *     one is missing, or a value does not fit its type; the message lists the declared names
     */
    public static Params resolve(List<ParamDescriptor> descriptors, Map<String, ?> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : given.keySet()) {
            if (descriptors.stream().noneMatch(d -> d.name().equals(key))) {
                throw new IllegalArgumentException("unknown parameter '" + key + "'"
                        + Names.didYouMean(key, descriptors.stream().map(ParamDescriptor::name).toList(), ".")
                        + " Declared parameters: " + String.join(", ",
                                descriptors.stream().map(ParamDescriptor::name).toList()));
            }
        }
        for (ParamDescriptor d : descriptors) {
            Object raw = given.get(d.name());
            if (raw == null && d.required()) {
                throw new IllegalArgumentException("missing required parameter '" + d.name() + "'");
            }
            try {
                out.put(d.name(), raw == null ? d.defaultValue() : d.coerce(raw));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(d.name() + ": " + e.getMessage(), e);
            }
        }
        return new Params(out);
    }

    /**
     * Wraps values that were already coerced against their descriptors (by the spec binder).
     *
     * @param resolved coerced values by name, in declaration order
     * @return the parameters
     */
    public static Params ofResolved(Map<String, Object> resolved) {
        return new Params(new LinkedHashMap<>(resolved));
    }

    /**
     * Returns the empty parameter set.
     *
     * @return parameters with no entries
     */
    public static Params empty() {
        return new Params(Map.of());
    }

    /**
     * Returns every value by name, in declaration order.
     *
     * @return an unmodifiable view
     */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * Returns an {@link ParamType#INT} value.
     *
     * @param name the parameter name
     * @return the value
     * @throws IllegalArgumentException if the parameter is not declared or of another type
     */
    public long getLong(String name) {
        return get(name, Long.class);
    }

    /**
     * Returns an {@link ParamType#INT} value that fits an {@code int}.
     *
     * @param name the parameter name
     * @return the value
     * @throws IllegalArgumentException if undeclared, of another type, or out of int range
     */
    public int getInt(String name) {
        long value = getLong(name);
        if (value != (int) value) {
            // it threw Math.toIntExact's bare ArithmeticException "integer overflow", naming no parameter
            throw new IllegalArgumentException("parameter '" + name + "' is " + value + ", beyond an int's range ("
                    + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + "); read it with getLong");
        }
        return (int) value;
    }

    /**
     * Returns a {@link ParamType#DOUBLE} value.
     *
     * @param name the parameter name
     * @return the value
     * @throws IllegalArgumentException if undeclared or of another type
     */
    public double getDouble(String name) {
        return get(name, Double.class);
    }

    /**
     * Returns a {@link ParamType#BOOLEAN} value.
     *
     * @param name the parameter name
     * @return the value
     * @throws IllegalArgumentException if undeclared or of another type
     */
    public boolean getBoolean(String name) {
        return get(name, Boolean.class);
    }

    /**
     * Returns a {@link ParamType#STRING} value.
     *
     * @param name the parameter name
     * @return the value
     * @throws IllegalArgumentException if undeclared or of another type
     */
    public String getString(String name) {
        return get(name, String.class);
    }

    /**
     * Returns an {@link ParamType#INT_LIST} value as ints.
     *
     * @param name the parameter name
     * @return the values
     * @throws IllegalArgumentException if undeclared or of another type
     */
    public int[] getIntArray(String name) {
        List<?> list = get(name, List.class);
        return list.stream().mapToInt(v -> Math.toIntExact((Long) v)).toArray();
    }

    /**
     * Returns a {@link ParamType#DOUBLE_LIST} value as doubles.
     *
     * @param name the parameter name
     * @return the values
     * @throws IllegalArgumentException if undeclared or of another type
     */
    public double[] getDoubleArray(String name) {
        List<?> list = get(name, List.class);
        return list.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private <T> T get(String name, Class<T> type) {
        Object v = values.get(name);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(
                    "parameter '" + name + "' is " + (v == null ? "not declared" : "a "
                            + v.getClass().getSimpleName()) + ", not a " + type.getSimpleName());
        }
        return type.cast(v);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
