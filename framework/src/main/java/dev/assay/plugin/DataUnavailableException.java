package dev.assay.plugin;

import java.io.IOException;

/**
 * Thrown by a dataset provider when the data its parameters and the trial's data directories name
 * cannot be used as given: a directory given with {@code --data-dir} that holds some of a
 * dataset's files but not all, a file a parameter names that does not exist. Every trial reading
 * the same dataset would fail the same way, so the runner records the first such trial {@code
 * failed} and stops the sweep there, unless the sweep varies the dataset ({@code
 * dev.assay.run.SweepRunner}): a sweep of 12 trials left 12 failed runs, each failing in 0.0 s with
 * the same message.
 */
public class DataUnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is missing and where it was looked for, and what to do about it
     */
    public DataUnavailableException(String message) {
        super(message);
    }
}
