package dev.assay.track;

/**
 * The summary of one metric series of one run, kept up to date as points are appended, for
 * filtering and sorting runs without reading their series.
 *
 * <p>{@code min} and {@code max} ignore NaN but count ±Infinity as values; on ties the earliest
 * point wins. If every value is NaN (or the series is empty), {@code min} and {@code max} are NaN
 * and {@code minStep} and {@code maxStep} are -1.
 *
 * @param key the metric name
 * @param count the number of points
 * @param last the value of the last appended point
 * @param lastStep the step of the last appended point, or -1 if there is none
 * @param min the smallest non-NaN value
 * @param minStep the step of {@code min}, or -1
 * @param max the largest non-NaN value
 * @param maxStep the step of {@code max}, or -1
 * @param nonFiniteCount how many values are NaN, +Infinity or -Infinity
 */
public record MetricSummary(
        String key,
        long count,
        double last,
        long lastStep,
        double min,
        long minStep,
        double max,
        long maxStep,
        long nonFiniteCount) {

    /**
     * Returns the summary of an empty series.
     *
     * @param key the metric name
     * @return a summary with count 0, NaN values and steps -1
     */
    public static MetricSummary empty(String key) {
        return new MetricSummary(key, 0, Double.NaN, -1, Double.NaN, -1, Double.NaN, -1, 0);
    }
}
