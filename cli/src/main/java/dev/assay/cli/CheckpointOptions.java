package dev.assay.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code --checkpoint-interval} option of the commands that train. */
public final class CheckpointOptions {

    @Option(names = "--checkpoint-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "least seconds between two checkpoints of a trial before its last epoch,"
                    + " which is always saved; 0 saves after every epoch (default: ${DEFAULT-VALUE})")
    double seconds;

    /**
     * Returns the interval.
     *
     * @return the interval, rounded to milliseconds
     * @throws IllegalArgumentException if the option is negative, not finite or over {@link
     *     SweepOptions#MAX_SECONDS} (larger values overflowed when converted to nanoseconds)
     */
    public Duration interval() {
        if (!(seconds >= 0) || seconds > SweepOptions.MAX_SECONDS) {
            throw new IllegalArgumentException("--checkpoint-interval must be a number of seconds from 0 to "
                    + SweepOptions.MAX_SECONDS + ", got " + asGiven(seconds) + ".");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** A whole number of seconds without Java's ".0" ({@code --checkpoint-interval -1} read "got -1.0"). */
    private static String asGiven(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }
}
