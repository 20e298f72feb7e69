package dev.assay.track;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Argument checks and copies shared by the tracking records and the store. */
final class StoreChecks {

    /** The longest experiment name, param, tag or metric key the schema accepts, in characters. */
    static final int MAX_KEY_LENGTH = 250;

    private StoreChecks() {}

    /**
     * Throws IllegalArgumentException unless {@code value} is 1 to 250 characters, not blank, with
     * no character that prints as nothing or moves the text ({@link KeyText#unprintable}) and no
     * white space at either end; a metric name also has no comma. Such names broke the tables and
     * the web UI, whose lists of metrics are comma-separated (one name with a comma, or with a
     * space at its end, took every chart of its run and compare pages down; a security check).
     */
    static String requireKey(String what, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    article(what) + " " + what + " name must be 1 to " + MAX_KEY_LENGTH + " non-blank characters, got "
                            + (value == null ? "none" : value.length() + " characters: '" + value + "'") + ".");
        }
        String unprintable = KeyText.unprintable(value);
        String problem = unprintable != null ? "cannot hold " + unprintable
                : !value.equals(value.strip()) ? "cannot start or end with white space"
                : what.equals("metric") && value.indexOf(',') >= 0 ? "cannot hold a comma (lists of metrics are"
                        + " comma-separated)" : null;
        if (problem != null) {
            throw new IllegalArgumentException(article(what) + " " + what + " name " + problem + ", got '" + value + "'.");
        }
        return value;
    }

    /** "An" before a vowel ("An experiment name"), else "A" ("A metric name"). */
    static String article(String word) {
        return !word.isEmpty() && "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "An" : "A";
    }

    /** Throws IllegalArgumentException if a metric's value is null (a map given to {@code logMetrics}). */
    static double requireValue(String key, Double value, long step) {
        if (value == null) {
            throw new IllegalArgumentException("Metric '" + key + "' was logged with a null value at step " + step + ".");
        }
        return value;
    }

    /** Validates keys and values and returns an unmodifiable copy ordered by key. */
    static Map<String, String> sortedCopy(String what, Map<String, String> map) {
        if (map == null) {
            return Collections.emptySortedMap();
        }
        SortedMap<String, String> copy = new TreeMap<>();
        map.forEach((key, value) -> {
            requireKey(what, key);
            if (value == null) {
                throw new IllegalArgumentException("The " + what + " '" + key + "' has a null value.");
            }
            copy.put(key, value);
        });
        return Collections.unmodifiableSortedMap(copy);
    }

    /** Returns an unmodifiable copy ordered by key; null becomes an empty map. */
    static <V> Map<String, V> sortedView(Map<String, V> map) {
        return map == null
                ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /** Throws IllegalArgumentException unless {@code runId} is non-null and non-blank. */
    static String requireRunId(String runId) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("A run id is required, got '" + runId + "'.");
        }
        return runId;
    }
}
