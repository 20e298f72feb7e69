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
                    + " process and is marked interrupted (default: ${DEFAULT-VALUE}; heartbeats"
                    + " every 5 s)")
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
     * Returns how long a {@code running} run may go without a heartbeat before it counts as
     * stopped.
     *
     * @return {@code --stale-after}, default 60 s
     * @throws IllegalArgumentException if it is negative or over {@value #MAX_SECONDS} seconds (about
     *     31 years; larger values overflowed when converted to milliseconds)
     */
    public Duration staleAfter() {
        if (staleAfterSeconds < 0 || staleAfterSeconds > MAX_SECONDS) {
            throw new IllegalArgumentException("--stale-after must be from 0 to " + MAX_SECONDS + " seconds, got "
                    + staleAfterSeconds);
        }
        return Duration.ofSeconds(staleAfterSeconds);
    }
}
