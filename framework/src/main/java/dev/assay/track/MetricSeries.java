package dev.assay.track;

/**
 * One metric series as columns: point {@code i} is {@code (steps[i], epochs[i], values[i],
 * wallTimesMillis[i])}, in step order. NaN and ±Infinity are kept exactly. The arrays are owned
 * by the caller.
 *
 * @param steps global update steps
 * @param epochs 1-based epochs (0 before training)
 * @param values the values
 * @param wallTimesMillis wall-clock times, milliseconds since the epoch (UTC)
 */
public record MetricSeries(long[] steps, int[] epochs, double[] values, long[] wallTimesMillis) {

    /**
     * Returns the number of points.
     *
     * @return the length of every column
     */
    public int size() {
        return steps.length;
    }
}
