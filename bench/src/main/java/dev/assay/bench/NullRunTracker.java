package dev.assay.bench;

import dev.assay.track.RunTracker;
import java.nio.file.Path;

/**
 * A {@link RunTracker} that records nothing: the bare side of the overhead benchmark uses Assay's
 * providers to build the same data, model and optimizer, but must not track.
 */
final class NullRunTracker implements RunTracker {

    private final Path artifactDir;

    NullRunTracker(Path artifactDir) {
        this.artifactDir = artifactDir;
    }

    @Override
    public String runId() {
        return "00000000000000000000000000000000";
    }

    @Override
    public void logMetric(String key, long step, int epoch, double value) {
        // dropped on purpose
    }

    @Override
    public void setTag(String key, String value) {
        // dropped on purpose
    }

    @Override
    public Path artifactDir() {
        return artifactDir;
    }
}
