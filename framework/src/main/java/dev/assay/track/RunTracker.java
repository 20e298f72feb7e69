package dev.assay.track;

import java.nio.file.Path;
import java.util.Map;

/**
 * Logs what one run produces. Metric calls never wait on the database: points are buffered and
 * written in batches by a background thread.
 */
public interface RunTracker {

    /**
     * Returns the run's id in the store.
     *
     * @return a 32-character hex id
     */
    String runId();

    /**
     * Appends one point to a metric series. NaN and ±Infinity are kept exactly.
     *
     * @param key the metric name, e.g. {@code val_accuracy}
     * @param step the global update step (batches trained so far), ≥ 0; points of one series
     *     should come in non-decreasing step order
     * @param epoch the 1-based epoch the point belongs to, or 0 for before training
     * @param value the value
     */
    void logMetric(String key, long step, int epoch, double value);

    /**
     * Appends one point to each of several metric series at the same step, all stamped with one
     * wall time: what a training loop logs after a step or an epoch, in one call (as MLflow's
     * {@code log_metrics} and W&amp;B's {@code log} take a dictionary per step). The default logs
     * each entry through {@link #logMetric}, in the map's order; {@link AsyncTracker}'s tracker
     * reads the clock and takes its lock once for the whole map.
     *
     * @param values metric name to value (NaN and ±Infinity are kept exactly); an empty map logs
     *     nothing
     * @param step the global update step, ≥ 0, as in {@link #logMetric}
     * @param epoch the 1-based epoch, or 0 for before training, as in {@link #logMetric}
     * @throws IllegalArgumentException if a name is invalid (as in {@link #logMetric}), a value is
     *     null or {@code step} is negative; {@link AsyncTracker}'s tracker then logs none of the map
     */
    default void logMetrics(Map<String, Double> values, long step, int epoch) {
        for (Map.Entry<String, Double> point : values.entrySet()) {
            logMetric(point.getKey(), step, epoch, StoreChecks.requireValue(point.getKey(), point.getValue(), step));
        }
    }

    /**
     * Fails if metrics or tags logged earlier could not be written to the store (a full disk, a
     * store that stopped), without waiting for the writes still pending. The runner calls it at
     * every epoch end, so that a trial whose results are being lost stops within an epoch instead
     * of training on while each later write fails too. The default does nothing (a tracker that
     * writes synchronously fails at the write itself).
     *
     * @throws IllegalStateException naming the run and the first write failure (its cause), which
     *     is reported once
     */
    default void requireWritten() {}

    /**
     * Records a tag (free-form key/value), e.g. the data source.
     *
     * @param key the tag name
     * @param value the tag value
     */
    void setTag(String key, String value);

    /**
     * Returns this run's artifact directory, created on first call. Files written there are
     * listed in the store when the run ends.
     *
     * @return the directory
     */
    Path artifactDir();
}
