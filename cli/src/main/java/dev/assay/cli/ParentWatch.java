package dev.assay.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Runs an action once when another process is seen to be gone, checking every interval on a
 * daemon thread. A worker JVM watches the sweep process that started it this way: {@code
 * ProcessHandle.onExit()} of a process that is not one's child is itself a poll, and a fresh-clone
 * check saw workers of a sweep killed with {@code kill -9} train on for 14-18 s before noticing.
 */
final class ParentWatch {

    /** How often a worker checks its sweep process (1 s at most between its death and the stop). */
    static final Duration EVERY = Duration.ofMillis(500);

    private ParentWatch() {}

    /**
     * Starts watching.
     *
     * @param alive whether the watched process still runs
     * @param every the interval between checks, {@code > 0}
     * @param gone what to do once it is gone (run once, on the watching thread)
     * @return the watching thread (a daemon: it does not keep the JVM alive)
     * @throws IllegalArgumentException if {@code every} is not positive
     */
    static Thread start(BooleanSupplier alive, Duration every, Runnable gone) {
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("the watch interval must be positive, got " + every);
        }
        Thread watch = new Thread(() -> {
            try {
                while (alive.getAsBoolean()) {
                    Thread.sleep(every.toMillis());
                }
                gone.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "assay-parent-watch");
        watch.setDaemon(true);
        watch.start();
        return watch;
    }
}
