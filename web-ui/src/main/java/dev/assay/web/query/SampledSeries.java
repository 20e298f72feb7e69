package dev.assay.web.query;

/**
 * A metric series as sent to the browser: parallel arrays of the kept points, in step order.
 *
 * @param runId the run id
 * @param key the metric key
 * @param totalPoints how many points the stored series has
 * @param sampled whether points were dropped by {@link Downsampler}
 * @param step the global steps
 * @param epoch the 1-based epochs (0 before training)
 * @param value the values; NaN and ±Infinity included (JSON: "NaN", "Infinity", "-Infinity")
 * @param wallTimeMillis when each point was logged, milliseconds since the epoch (UTC)
 */
public record SampledSeries(String runId, String key, long totalPoints, boolean sampled, long[] step, int[] epoch,
        double[] value, long[] wallTimeMillis) {}
