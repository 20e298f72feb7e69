package dev.assay.track;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The lifecycle state of a run, stored in the {@code runs.status} column by its {@link #label()}. */
public enum RunStatus {
    /** Created and not finished yet (or its process died before finishing). */
    RUNNING,
    /** Training ran to its end. */
    COMPLETED,
    /** Ended by an exception; the run's error message says which. */
    FAILED,
    /** Ended because the loss became NaN or infinite. */
    DIVERGED,
    /** Stopped by the user (e.g. Ctrl-C) or pruned before its end. */
    INTERRUPTED,
    /**
     * Stopped by a sweep pruner (median stopping rule or successive halving) because its metric
     * was worse than its peers' at the same epoch; the epoch is in the {@code pruned_epoch} tag.
     */
    PRUNED;

    /**
     * Returns the stored and displayed name of this status.
     *
     * @return the lowercase constant name, e.g. {@code "running"}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a label written by {@link #label()}; case is ignored.
     *
     * @param label the label, e.g. {@code "completed"}
     * @return the status
     * @throws IllegalArgumentException if {@code label} is null or names no status
     */
    public static RunStatus fromLabel(String label) {
        if (label != null) {
            for (RunStatus status : values()) {
                if (status.label().equalsIgnoreCase(label.trim())) {
                    return status;
                }
            }
        }
        String known = Arrays.stream(values()).map(RunStatus::label).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "Unknown run status '" + label + "'; expected one of: " + known + ".");
    }
}
