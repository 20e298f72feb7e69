package dev.assay.train;

import dev.assay.track.RunTracker;
import java.nio.file.Path;
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
    }

    @Override
    public void setTag(String key, String value) {
        delegate.setTag(key, value);
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
