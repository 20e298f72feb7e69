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
    /**
     * Points in each series' last stored chunk, as the store reported after its last append
     * ({@link #stored}); a series not in it is taken to have none (a new run's series).
     */
    private final Map<String, Integer> storedTailFill = new HashMap<>();
    /** Batches the writer has written and handed back, emptied, for reuse by their series. */
    private final Map<String, PointColumns> spares = new HashMap<>();
    /** {@link #logMetrics}' per-call scratch (guarded by this): each point's series, key and value. */
    private PointColumns[] scratchColumns = new PointColumns[0];
    private String[] scratchKeys = new String[0];
    private double[] scratchValues = new double[0];
    private int buffered;
    private volatile boolean artifactDirCreated;
    private volatile boolean released;

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

    @Override
    public void requireWritten() {
        owner.requireWritten(runId);
    }

    Path artifactDirPath() {
        return artifactDir;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Stamps the point with the wall clock ({@link PointClock}: {@link
     * System#currentTimeMillis()}, or its copy of at most about a millisecond before while points
     * come in a burst) and buffers it. When the run has {@link AsyncTracker#maxBufferedPoints()}
     * points buffered, waits until the writer thread takes them (an interrupt ends the wait early, with the thread's interrupt flag set again;
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
        requireOpen();
        long now = PointClock.millis();
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
        afterAdding(full, atBound);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads the wall clock ({@link PointClock}) once and buffers every point under one lock
     * acquisition; the map is checked whole first, so bad input buffers none of it. Waits at the
     * buffer bound as {@link #logMetric} does.
     *
     * @throws IllegalStateException if the {@link AsyncTracker} is closed
     */
    @Override
    public void logMetrics(Map<String, Double> values, long step, int epoch) {
        if (step < 0) {
            throw new IllegalArgumentException("Metrics " + values.keySet() + " were logged with a negative step: "
                    + step + ".");
        }
        requireOpen();
        long now = PointClock.millis();
        boolean full = false;
        boolean atBound;
        synchronized (this) {
            int n = values.size();
            if (scratchColumns.length < n) {
                scratchColumns = new PointColumns[n];
                scratchKeys = new String[n];
                scratchValues = new double[n];
            }
            // one pass checks the whole map and looks each series up once (the checks and the adding
            // were two passes and two lookups a point); the second adds, so bad input buffers nothing
            int i = 0;
            for (Map.Entry<String, Double> point : values.entrySet()) {
                String key = point.getKey();
                scratchValues[i] = StoreChecks.requireValue(key, point.getValue(), step);
                PointColumns columns = series.get(key);
                if (columns == null) {
                    StoreChecks.requireKey("metric", key);
                }
                scratchKeys[i] = key;
                scratchColumns[i++] = columns;
            }
            for (i = 0; i < n; i++) {
                PointColumns columns = scratchColumns[i];
                if (columns == null) {
                    columns = series.computeIfAbsent(scratchKeys[i], k -> new PointColumns(64));
                }
                columns.add(step, epoch, scratchValues[i], now);
                full |= columns.size == AsyncTracker.EARLY_FLUSH_POINTS;
                scratchColumns[i] = null; // no reference kept to a series the writer may replace
                scratchKeys[i] = null;
            }
            buffered += n;
            atBound = buffered >= owner.maxBufferedPoints();
        }
        afterAdding(full, atBound);
    }

    /** Wakes the writer when a series filled a chunk or the run reached its bound, and waits at the bound. */
    private void afterAdding(boolean chunkFilled, boolean atBound) {
        if (chunkFilled || atBound) {
            owner.wakeWriter();
        }
        if (atBound) {
            awaitDrain();
        }
    }

    private void requireOpen() {
        if (released) {
            throw new IllegalStateException("The tracker of run " + runId + " was released when the run ended;"
                    + " nothing more can be logged through it.");
        }
        owner.requireOpen(runId);
    }

    /** Rejects logging from now on ({@link AsyncTracker#release}). */
    void release() {
        released = true;
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
        requireOpen();
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

    /**
     * Takes the buffered points and tags out of the buffers (their capacity is kept).
     *
     * <p>With {@code wholeChunksOnly} (the writer was woken early because a series filled a chunk's
     * worth of points), each series keeps back the points that would leave its last stored chunk
     * part-full, so that at a high logging rate every chunk is inserted once, full, instead of being
     * inserted part-full and rewritten at each later drain until it fills (which doubled the writer's
     * encoding and the database's page writes). The points kept back go at the next drain; the
     * writer drains everything at every flush interval, {@link AsyncTracker#flush}, close, and when
     * the run is at its buffer bound (so the bound's waiting logging thread always gets room).
     *
     * @param wholeChunksOnly whether to keep back points that would end in a part-full chunk
     * @return what was taken
     */
    synchronized Drained drain(boolean wholeChunksOnly) {
        boolean partial = wholeChunksOnly && buffered < owner.maxBufferedPoints();
        Map<String, PointColumns> points = new LinkedHashMap<>();
        int taken = 0;
        for (Map.Entry<String, PointColumns> entry : series.entrySet()) {
            PointColumns columns = entry.getValue();
            int count = columns.size;
            if (partial) {
                count -= (storedTailFill.getOrDefault(entry.getKey(), 0) + count) % MetricAppender.CHUNK_SIZE;
            }
            if (count > 0) {
                // hand the series' batch itself to the writer (no copy); the series goes on in a
                // batch the writer handed back, which gets the kept-back points
                PointColumns next = spares.remove(entry.getKey());
                if (next == null) {
                    next = new PointColumns(Math.max(64, columns.size - count));
                }
                next.moveTailFrom(columns, count);
                entry.setValue(next);
                points.put(entry.getKey(), columns);
                taken += count;
            }
        }
        Map<String, String> drainedTags = new LinkedHashMap<>(tags);
        tags.clear();
        buffered -= taken;
        notifyAll();
        return new Drained(points, drainedTags);
    }

    /**
     * Takes back the batches of a drain the store has written, for reuse, and records how many
     * points each appended series' last stored chunk now holds, which the next {@link
     * #drain(boolean) drain(true)} aligns to.
     *
     * @param written the drained batches, no longer used by the writer
     * @param tailFills points in the last chunk, by metric key
     */
    synchronized void stored(Map<String, PointColumns> written, Map<String, Integer> tailFills) {
        storedTailFill.putAll(tailFills);
        written.forEach((key, columns) -> {
            columns.clear();
            spares.put(key, columns);
        });
    }
}
