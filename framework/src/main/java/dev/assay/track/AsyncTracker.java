package dev.assay.track;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batched writer between training and the {@link TrackingStore}: the {@link RunTracker}s it
 * hands out only append to in-memory buffers, and one daemon thread ({@code assay-tracking-writer})
 * drains all buffers into the store every flush interval, or earlier when some series has {@value
 * #EARLY_FLUSH_POINTS} pending points (an early drain takes whole chunks only: each stored chunk
 * is then written once, full, instead of part-full and again as it fills). Training threads do not
 * wait on the database, with one exception that bounds memory: a run that has buffered {@link #maxBufferedPoints()} points (by
 * default {@value #DEFAULT_MAX_BUFFERED_POINTS}, 28 bytes each, so about 29 MB) that the writer has
 * not yet taken makes its logging thread wait until the writer takes them (back-pressure), instead
 * of letting the buffer grow until the heap is exhausted when points arrive faster than the store
 * writes them.
 *
 * <p>If a write fails, the points of that write are dropped (and logged at ERROR); trackers keep
 * buffering and later writes are still tried. A run's first failure (with its later ones
 * suppressed) is reported once: by the run's next {@link RunTracker#requireWritten()} (the runner
 * calls it at each epoch end) or {@link #flush(String)}, else the next {@link #flush()}, else
 * {@link #close()}; so a run whose writes failed (e.g. its record was deleted
 * meanwhile) fails its own trial, not the trials that follow it.
 *
 * <p>Thread-safe. Closing the store while this tracker is open makes later writes fail.
 */
public final class AsyncTracker implements AutoCloseable {

    /** Pending points of one series that wake the writer before the flush interval ends. */
    public static final int EARLY_FLUSH_POINTS = MetricAppender.CHUNK_SIZE;

    /** Points one run buffers at most before its logging thread waits for the writer: 2<sup>20</sup>. */
    public static final int DEFAULT_MAX_BUFFERED_POINTS = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(AsyncTracker.class);
    private static final int MAX_SUPPRESSED = 10;

    private final TrackingStore store;
    private final long intervalNanos;
    private final int maxBufferedPoints;
    private final Map<String, BufferedRunTracker> trackers = new ConcurrentHashMap<>();
    private final Thread writer;
    private final Object progress = new Object();
    private long requested;
    private long completed;
    private boolean closed;
    /** Each run's first unreported write failure, later ones suppressed in it; guarded by {@code progress}. */
    private final Map<String, Throwable> failures = new LinkedHashMap<>();
    private volatile boolean wakeUp;
    private volatile boolean closing;

    /**
     * Starts the writer thread; each run buffers at most {@value #DEFAULT_MAX_BUFFERED_POINTS}
     * points before its logging thread waits for the writer.
     *
     * @param store where buffered points and tags are written; not closed by {@link #close()}
     * @param flushInterval how long the writer waits between drains, e.g. 500 ms; at least 1 ms
     * @throws IllegalArgumentException if {@code store} is null, or {@code flushInterval} is null or
     *     shorter than 1 millisecond
     */
    public AsyncTracker(TrackingStore store, Duration flushInterval) {
        this(store, flushInterval, DEFAULT_MAX_BUFFERED_POINTS);
    }

    /**
     * Starts the writer thread, with a bound on each run's buffer.
     *
     * @param store where buffered points and tags are written; not closed by {@link #close()}
     * @param flushInterval how long the writer waits between drains, e.g. 500 ms; at least 1 ms
     * @param maxBufferedPoints points a run buffers at most before its logging thread waits for
     *     the writer to take them; at least {@value #EARLY_FLUSH_POINTS}
     * @throws IllegalArgumentException if {@code store} is null, {@code flushInterval} is null or
     *     shorter than 1 millisecond, or {@code maxBufferedPoints} is below {@value
     *     #EARLY_FLUSH_POINTS}
     */
    public AsyncTracker(TrackingStore store, Duration flushInterval, int maxBufferedPoints) {
        if (maxBufferedPoints < EARLY_FLUSH_POINTS) {
            throw new IllegalArgumentException("A run must be able to buffer at least " + EARLY_FLUSH_POINTS
                    + " points, got maxBufferedPoints = " + maxBufferedPoints + ".");
        }
        this.maxBufferedPoints = maxBufferedPoints;
        if (store == null) {
            throw new IllegalArgumentException("A TrackingStore is required.");
        }
        if (flushInterval == null || flushInterval.toMillis() < 1) {
            throw new IllegalArgumentException("The flush interval must be at least 1 ms, got " + flushInterval + ".");
        }
        this.store = store;
        this.intervalNanos = flushInterval.toNanos();
        this.writer = new Thread(this::writeLoop, "assay-tracking-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Returns the buffered tracker of a run; the same object for the same run id.
     *
     * @param runId the run id from {@link TrackingStore#createRun}; an id the store does not know
     *     makes the writer fail, which {@link #flush()} reports
     * @param artifactDir the run's artifact directory, created on the first {@link
     *     RunTracker#artifactDir()} call
     * @return the tracker
     * @throws IllegalArgumentException if {@code runId} is null or blank, {@code artifactDir} is
     *     null, or the run already has a tracker with another artifact directory
     * @throws IllegalStateException if this tracker is closed
     */
    public RunTracker tracker(String runId, Path artifactDir) {
        StoreChecks.requireRunId(runId);
        if (artifactDir == null) {
            throw new IllegalArgumentException("The artifact directory of run " + runId + " is null.");
        }
        requireOpen(runId);
        BufferedRunTracker tracker =
                trackers.computeIfAbsent(runId, id -> new BufferedRunTracker(this, id, artifactDir));
        if (!tracker.artifactDirPath().equals(artifactDir)) {
            throw new IllegalArgumentException("Run " + runId + " already has a tracker with artifact directory "
                    + tracker.artifactDirPath() + ", not " + artifactDir + ".");
        }
        return tracker;
    }

    /**
     * Blocks until everything logged before this call has been written to the store.
     *
     * @throws IllegalStateException if a write of any run has failed and was not reported yet (the
     *     cause is the first such failure, the other runs' suppressed in it; they are reported now and
     *     not again), or the calling thread is interrupted while waiting (its interrupt flag is set
     *     again)
     */
    public void flush() {
        flush(null);
    }

    /**
     * Blocks until everything logged before this call (by any run) has been written to the store,
     * and reports the failed writes of one run.
     *
     * @param runId the run whose failures are reported; null for every run's
     * @throws IllegalStateException if a write of that run has failed and was not reported yet (the
     *     cause is its first failure; it is reported now and not again), or the calling thread is
     *     interrupted while waiting (its interrupt flag is set again)
     */
    public void flush(String runId) {
        long ticket;
        synchronized (progress) {
            if (closed) {
                throwIfFailed(runId);
                return;
            }
            ticket = ++requested;
        }
        wakeWriter();
        synchronized (progress) {
            while (completed < ticket && writer.isAlive()) {
                try {
                    progress.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while flushing tracked metrics.", e);
                }
            }
            if (completed < ticket) {
                throw new IllegalStateException("The tracking writer thread stopped before flushing.");
            }
            throwIfFailed(runId);
        }
    }

    /**
     * Writes everything a run has buffered and forgets its tracker: a sweep's tracker otherwise
     * keeps the buffers of every run it ever tracked (each series' batch and its spare, 28 bytes a
     * point of their largest drain). The released {@link RunTracker} rejects further logging; a
     * later {@link #tracker} call for the same run starts a new one. Releasing a run without a
     * tracker only flushes.
     *
     * @param runId the run
     * @throws IllegalStateException as {@link #flush(String)} (the tracker is forgotten anyway)
     */
    public void release(String runId) {
        BufferedRunTracker tracker = trackers.get(runId);
        if (tracker != null) {
            tracker.release(); // before the flush: nothing logged after it is left behind unwritten
        }
        try {
            flush(runId);
        } finally {
            if (tracker != null) {
                trackers.remove(runId, tracker);
            }
        }
    }

    /**
     * Writes everything still buffered and stops the writer thread; the store stays open. Calling it
     * again does nothing. Points logged after this returns are rejected.
     *
     * @throws IllegalStateException if a write has failed that no flush has reported (the cause is
     *     the first such failure, the others suppressed in it)
     */
    @Override
    public void close() {
        synchronized (progress) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closing = true;
        wakeWriter();
        joinWriter();
        synchronized (progress) {
            throwIfFailed(null);
        }
    }

    /**
     * Returns how many points a run buffers at most before its logging thread waits for the
     * writer.
     *
     * @return the bound, in points
     */
    public int maxBufferedPoints() {
        return maxBufferedPoints;
    }

    /** Whether the writer thread still runs (a logging thread waits for it only then). */
    boolean writerRunning() {
        return writer.isAlive();
    }

    void requireOpen(String runId) {
        if (closing) {
            throw new IllegalStateException("The tracker of run " + runId + " is closed; nothing more can be logged.");
        }
    }

    void wakeWriter() {
        wakeUp = true;
        LockSupport.unpark(writer);
    }

    private void writeLoop() {
        long lastFullDrain = System.nanoTime();
        while (true) {
            boolean last = closing; // read before the ticket: a flush before close() is covered
            long ticket;
            boolean flushWanted;
            synchronized (progress) {
                ticket = requested;
                flushWanted = ticket > completed;
            }
            long now = System.nanoTime();
            // an early wake-up (a series filled a chunk) writes whole chunks only; the interval, a
            // flush and close write everything
            boolean everything = last || flushWanted || now - lastFullDrain >= intervalNanos;
            if (everything) {
                lastFullDrain = now;
            }
            writeAll(!everything);
            synchronized (progress) {
                completed = Math.max(completed, ticket);
                progress.notifyAll();
            }
            if (last) {
                return;
            }
            awaitWork(lastFullDrain + intervalNanos);
        }
    }

    /** Parks until woken or until {@code deadline} ({@link System#nanoTime()}). */
    private void awaitWork(long deadline) {
        long remaining = deadline - System.nanoTime();
        while (!wakeUp && !closing && remaining > 0) {
            LockSupport.parkNanos(this, remaining);
            remaining = deadline - System.nanoTime();
        }
        wakeUp = false;
    }

    private void writeAll(boolean wholeChunksOnly) {
        for (BufferedRunTracker tracker : trackers.values()) {
            BufferedRunTracker.Drained drained = tracker.drain(wholeChunksOnly);
            if (drained.isEmpty()) {
                continue;
            }
            try {
                if (!drained.tags().isEmpty()) {
                    store.setTags(tracker.runId(), drained.tags());
                }
                Map<String, Integer> tailFills = store.appendColumns(tracker.runId(), drained.series());
                tracker.stored(drained.series(), tailFills);
            } catch (Throwable e) { // any failure must reach flush(), not end the writer
                recordFailure(tracker.runId(), drained, e);
            }
        }
    }

    private void recordFailure(String runId, BufferedRunTracker.Drained drained, Throwable e) {
        long points = drained.series().values().stream().mapToLong(columns -> columns.size).sum();
        synchronized (progress) {
            Throwable first = failures.get(runId);
            if (first == null) {
                failures.put(runId, e);
                // the message says what happened and what to do; the stack trace only at DEBUG (it
                // filled 30 console lines between the epoch lines on a full disk)
                LOG.error("Writing {} metric points and {} tags of run {} failed; they are dropped: {}",
                        points, drained.tags().size(), runId, e.toString());
                LOG.debug("The failed write of run {}", runId, e);
            } else {
                suppress(first, e);
                LOG.debug("Writing {} metric points of run {} failed again", points, runId, e);
            }
        }
    }

    private static void suppress(Throwable first, Throwable later) {
        if (first.getSuppressed().length < MAX_SUPPRESSED && first != later) {
            first.addSuppressed(later);
        }
    }

    /**
     * Reports a run's first unreported write failure now, without waiting for pending writes (its
     * tracker's {@link RunTracker#requireWritten()}).
     *
     * @param runId the run
     * @throws IllegalStateException if a write of that run has failed and was not reported yet
     *     (the cause is its first failure; it is reported now and not again)
     */
    void requireWritten(String runId) {
        synchronized (progress) {
            throwIfFailed(runId);
        }
    }

    /** Reports (and forgets) the unreported failures of one run, or of every run when null. */
    private void throwIfFailed(String runId) {
        Throwable failure;
        String whose;
        if (runId != null) {
            failure = failures.remove(runId);
            whose = "run " + runId;
        } else if (!failures.isEmpty()) {
            Iterator<Map.Entry<String, Throwable>> it = failures.entrySet().iterator();
            Map.Entry<String, Throwable> first = it.next();
            failure = first.getValue();
            whose = failures.size() == 1 ? "run " + first.getKey() : failures.size() + " runs, first " + first.getKey();
            it.remove();
            while (it.hasNext()) {
                suppress(failure, it.next().getValue());
                it.remove();
            }
        } else {
            failure = null;
            whose = null;
        }
        if (failure != null) {
            throw new IllegalStateException("Writing tracked metrics of " + whose + " failed: " + failure.getMessage(),
                    failure);
        }
    }

    private void joinWriter() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
