package dev.assay.train;

import dev.assay.track.RunTracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link RunTracker} that forwards everything and remembers, per metric, the last step logged.
 * A checkpoint records this map, so that a run continued from it can cut each series back to
 * exactly what had been logged when it was taken ({@link dev.assay.track.TrackingStore#continueRun}).
 */
public final class LoggedStepsTracker implements RunTracker {

    private final RunTracker delegate;
    private final Map<String, Long> lastSteps = new TreeMap<>();
    private int lastEpoch;

    /**
     * Wraps a tracker.
     *
     * @param delegate the run's tracker
     * @param alreadyLogged metric name to last step of the history kept from before (a continued
     *     run's checkpoint), or an empty map
     */
    public LoggedStepsTracker(RunTracker delegate, Map<String, Long> alreadyLogged) {
        this.delegate = delegate;
        this.lastSteps.putAll(alreadyLogged);
    }

    @Override
    public String runId() {
        return delegate.runId();
    }

    @Override
    public synchronized void logMetric(String key, long step, int epoch, double value) {
        delegate.logMetric(key, step, epoch, value);
        lastSteps.merge(key, step, Math::max);
        lastEpoch = Math.max(lastEpoch, epoch);
    }

    @Override
    public synchronized void logMetrics(Map<String, Double> values, long step, int epoch) {
        delegate.logMetrics(values, step, epoch);
        for (String key : values.keySet()) {
            lastSteps.merge(key, step, Math::max);
        }
        if (!values.isEmpty()) {
            lastEpoch = Math.max(lastEpoch, epoch);
        }
    }

    /**
     * Logs each value whose metric has no point yet, at the largest step and epoch logged so far
     * (0 when nothing was): a task's final metrics that it returned without logging them.
     *
     * @param metrics metric name to value (may hold NaN or ±Infinity)
     * @return the names logged now, in the map's order
     */
    public synchronized List<String> logUnlogged(Map<String, Double> metrics) {
        long step = lastSteps.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<String> logged = new ArrayList<>();
        for (Map.Entry<String, Double> metric : metrics.entrySet()) {
            if (!lastSteps.containsKey(metric.getKey()) && metric.getValue() != null) {
                logMetric(metric.getKey(), step, lastEpoch, metric.getValue());
                logged.add(metric.getKey());
            }
        }
        return logged;
    }

    @Override
    public void setTag(String key, String value) {
        delegate.setTag(key, value);
    }

    @Override
    public void requireWritten() {
        delegate.requireWritten();
    }

    @Override
    public Path artifactDir() {
        return delegate.artifactDir();
    }

    /**
     * Returns the last step logged per metric so far.
     *
     * @return a sorted copy: metric name to its largest step
     */
    public synchronized Map<String, Long> lastSteps() {
        return new TreeMap<>(lastSteps);
    }
}
