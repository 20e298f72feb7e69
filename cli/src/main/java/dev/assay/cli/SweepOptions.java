package dev.assay.cli;

import dev.assay.run.SweepRunner;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code --parallel} and {@code --stale-after} options of {@code assay run} and {@code assay resume}. */
public final class SweepOptions {

    @Option(names = "--parallel", defaultValue = "1", paramLabel = "N",
            description = "trials run at once, each in its own JVM with its share of the cores"
                    + " (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--stale-after", defaultValue = "" + SweepRunner.STALE_AFTER_SECONDS, paramLabel = "SECONDS",
            description = "a run still 'running' with no heartbeat for this long belongs to a dead"
                    + " process and is marked interrupted (default: ${DEFAULT-VALUE}, at least 10;"
                    + " heartbeats every 5 s)")
    long staleAfterSeconds;

    /**
     * Returns how many trials run at once.
     *
     * @return {@code --parallel}, default 1
     * @throws IllegalArgumentException if it is below 1
     */
    public int parallel() {
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1, got " + parallel);
        }
        return parallel;
    }

    /** The largest duration option, in seconds (about 31 years). */
    static final long MAX_SECONDS = 1_000_000_000L;

    /**
     * The shortest {@code --stale-after}, in seconds: two heartbeat intervals ({@link
     * SweepRunner#HEARTBEAT}). A live trial's next heartbeat can be a whole interval away; with
     * {@code --stale-after 0} a second {@code assay run} took a training process's run for a dead
     * one, marked it interrupted, continued it from a checkpoint that the live process then replaced
     * (the continuation failed and recorded the run {@code failed} although the first process completed
     * it), and could have had both train into one run.
     */
    static final long MIN_STALE_SECONDS = 2 * SweepRunner.HEARTBEAT.toSeconds();

    /**
     * Returns how long a {@code running} run may go without a heartbeat before it counts as
     * stopped.
     *
     * @return {@code --stale-after}, default 60 s
     * @throws IllegalArgumentException if it is under {@link #MIN_STALE_SECONDS} (10) seconds, which
     *     would take a live run for a dead one, or over {@value #MAX_SECONDS} seconds (about 31 years;
     *     larger values overflowed when converted to milliseconds)
     */
    public Duration staleAfter() {
        if (staleAfterSeconds < MIN_STALE_SECONDS || staleAfterSeconds > MAX_SECONDS) {
            throw new IllegalArgumentException("--stale-after must be from " + MIN_STALE_SECONDS + " to " + MAX_SECONDS
                    + " seconds, got " + staleAfterSeconds + (staleAfterSeconds >= 0 && staleAfterSeconds < MIN_STALE_SECONDS
                    ? ": a running trial records a heartbeat every " + SweepRunner.HEARTBEAT.toSeconds()
                    + " s, so a shorter wait takes a live run for a dead one" : ""));
        }
        return Duration.ofSeconds(staleAfterSeconds);
    }
}
