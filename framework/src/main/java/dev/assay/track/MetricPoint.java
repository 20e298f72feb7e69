package dev.assay.track;

/**
 * One point of a metric series.
 *
 * @param step the global update step (batches trained so far), ≥ 0
 * @param epoch the 1-based epoch the point belongs to, or 0 for before training
 * @param value the value; NaN and ±Infinity are stored and read back exactly
 * @param wallTimeMillis when the point was logged, milliseconds since the epoch (UTC)
 */
public record MetricPoint(long step, int epoch, double value, long wallTimeMillis) {

    /**
     * Validates the point.
     *
     * @throws IllegalArgumentException if {@code step} is negative
     */
    public MetricPoint {
        if (step < 0) {
            throw new IllegalArgumentException("A metric point's step must be >= 0, got " + step + ".");
        }
    }
}
