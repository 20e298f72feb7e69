package dev.assay.track;

import java.nio.file.Path;

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
