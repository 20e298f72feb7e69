package dev.assay.track;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link RunTracker} handed out by {@link AsyncTracker}: buffers points and tags in memory
 * (column arrays per series, no JDBC, no object per point) until the writer thread drains them.
 */
final class BufferedRunTracker implements RunTracker {

    private final AsyncTracker owner;
    private final String runId;
    private final Path artifactDir;
    private final Map<String, PointColumns> series = new HashMap<>();
    private final Map<String, String> tags = new LinkedHashMap<>();
    private int buffered;
    private volatile boolean artifactDirCreated;

    BufferedRunTracker(AsyncTracker owner, String runId, Path artifactDir) {
        this.owner = owner;
        this.runId = runId;
        this.artifactDir = artifactDir;
    }

    /** What one drain took out of the buffers. */
    record Drained(Map<String, PointColumns> series, Map<String, String> tags) {
        boolean isEmpty() {
            return series.isEmpty() && tags.isEmpty();
        }
    }

    @Override
    public String runId() {
        return runId;
    }

    Path artifactDirPath() {
        return artifactDir;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Stamps the point with {@link System#currentTimeMillis()} and buffers it. When the run
     * has {@link AsyncTracker#maxBufferedPoints()} points buffered, waits until the writer thread
     * takes them (an interrupt ends the wait early, with the thread's interrupt flag set again;
     * the point stays buffered either way).
     *
     * @throws IllegalArgumentException if {@code key} is null, blank or longer than 250 characters,
     *     or {@code step} is negative
     * @throws IllegalStateException if the {@link AsyncTracker} is closed
     */
    @Override
    public void logMetric(String key, long step, int epoch, double value) {
        if (step < 0) {
            throw new IllegalArgumentException("Metric '" + key + "' was logged with a negative step: " + step + ".");
        }
        owner.requireOpen(runId);
        long now = System.currentTimeMillis();
        boolean full;
        boolean atBound;
        synchronized (this) {
            PointColumns columns = series.get(key);
            if (columns == null) {
                columns = new PointColumns(64);
                series.put(StoreChecks.requireKey("metric", key), columns);
            }
            columns.add(step, epoch, value, now);
            full = columns.size == AsyncTracker.EARLY_FLUSH_POINTS;
            atBound = ++buffered >= owner.maxBufferedPoints();
        }
        if (full || atBound) {
            owner.wakeWriter();
        }
        if (atBound) {
            awaitDrain();
        }
    }

    /** Waits while the buffer is at its bound and the writer runs (back-pressure). */
    private synchronized void awaitDrain() {
        while (buffered >= owner.maxBufferedPoints() && owner.writerRunning()) {
            try {
                wait(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code key} is null, blank or longer than 250 characters,
     *     or {@code value} is null
     * @throws IllegalStateException if the {@link AsyncTracker} is closed
     */
    @Override
    public void setTag(String key, String value) {
        StoreChecks.requireKey("tag", key);
        if (value == null) {
            throw new IllegalArgumentException("The tag '" + key + "' has a null value.");
        }
        owner.requireOpen(runId);
        synchronized (this) {
            tags.put(key, value);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws UncheckedIOException if the directory cannot be created
     */
    @Override
    public Path artifactDir() {
        if (!artifactDirCreated) {
            try {
                Files.createDirectories(artifactDir);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot create the artifact directory " + artifactDir + " of run " + runId + ".", e);
            }
            artifactDirCreated = true;
        }
        return artifactDir;
    }

    /** Takes everything buffered so far, leaving the buffers empty (their capacity is kept). */
    synchronized Drained drain() {
        Map<String, PointColumns> points = new LinkedHashMap<>();
        series.forEach((key, columns) -> {
            if (columns.size > 0) {
                points.put(key, columns.copy());
                columns.clear();
            }
        });
        Map<String, String> drainedTags = new LinkedHashMap<>(tags);
        tags.clear();
        buffered = 0;
        notifyAll();
        return new Drained(points, drainedTags);
    }
}
