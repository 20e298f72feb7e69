package dev.assay.track;

import java.util.concurrent.locks.LockSupport;

/**
 * The wall clock that stamps metric points, in milliseconds since the Unix epoch: {@link
 * System#currentTimeMillis()}, read once a call while points come at an ordinary rate, and a
 * cached copy of it while they come in a burst.
 *
 * <p>A clock read costs 20-40 ns on the machine of the README's "Performance" section (the vDSO
 * over the TSC, more under load), about half of what buffering a point costs; a loop that logs
 * each of many series with its own {@link RunTracker#logMetric} call pays it per point. So when
 * {@value #BURST_READS} or more reads in a row return the same millisecond (a rate of
 * {@value #BURST_READS} thousand points a second or more), a daemon thread ({@code
 * assay-point-clock}) starts to copy the clock into a field every {@value #TICK_MICROS} µs, and
 * reads return that copy. The thread stops, and reads go back to the clock itself, once fewer
 * than {@value #IDLE_READS_PER_TICK} reads a tick come over {@value #TICKS_PER_CHECK} ticks (the
 * thread's wake-ups then end: a training loop logging a few points a step never starts it). This
 * is the coarse cached clock of Log4j 2 ({@code CoarseCachedClock}), started only on demand.
 *
 * <p>What it costs: while the thread runs, a stamp can lag the true time by the tick plus however
 * long the thread waits for a core, typically under 2 ms; stamps stay milliseconds, as MLflow's
 * {@code timestamp} column is. A stamp never runs ahead of the clock.
 */
final class PointClock {

    /** Reads in a row within one millisecond that start the ticking thread. */
    static final int BURST_READS = 64;
    /** The ticking thread's period, in microseconds. */
    static final long TICK_MICROS = 500;
    /** Ticks between two checks of the read rate. */
    static final int TICKS_PER_CHECK = 200;
    /** Reads a tick, on average over a check, below which the ticking thread stops. */
    static final int IDLE_READS_PER_TICK = 8;

    private static final PointClock INSTANCE = new PointClock();

    private volatile boolean ticking;
    private volatile long cachedMillis;
    /** Reads served from the cache since the last check (racy: an estimate is enough). */
    private int cachedReads;
    /** The millisecond the last direct reads returned, and how many in a row did. */
    private long lastDirectMillis;
    private int sameMillisReads;

    private PointClock() {}

    /**
     * Returns the wall time for a point logged now.
     *
     * @return milliseconds since 1970-01-01T00:00Z, as {@link System#currentTimeMillis()}, or its
     *     copy of at most about one tick before while points come in a burst
     */
    static long millis() {
        return INSTANCE.read();
    }

    /**
     * Returns whether reads are served by the ticking thread's copy now (for tests).
     *
     * @return true while the ticking thread runs
     */
    static boolean isTicking() {
        return INSTANCE.ticking;
    }

    private long read() {
        if (ticking) {
            cachedReads++;
            return cachedMillis;
        }
        long now = System.currentTimeMillis();
        if (now != lastDirectMillis) {
            lastDirectMillis = now;
            sameMillisReads = 1;
        } else if (++sameMillisReads >= BURST_READS) {
            startTicking(now);
        }
        return now;
    }

    private synchronized void startTicking(long now) {
        if (ticking) {
            return;
        }
        cachedMillis = now;
        cachedReads = 0;
        ticking = true;
        Thread ticker = new Thread(this::tick, "assay-point-clock");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** The ticking thread: copies the clock every tick until reads slow down. */
    private void tick() {
        long tickNanos = TICK_MICROS * 1_000;
        while (true) {
            for (int i = 0; i < TICKS_PER_CHECK; i++) {
                LockSupport.parkNanos(tickNanos);
                cachedMillis = System.currentTimeMillis();
            }
            int reads = cachedReads;
            cachedReads = 0;
            if (reads < IDLE_READS_PER_TICK * TICKS_PER_CHECK) {
                synchronized (this) {
                    ticking = false;
                    sameMillisReads = 0;
                }
                return;
            }
        }
    }
}
