package dev.assay.track;

/** What {@link TrackingStore#continueRun} did with a stopped run. */
public enum ContinueOutcome {
    /** The run is {@code running} again, its metric history cut back to the checkpoint. */
    CONTINUED,
    /**
     * The store holds less history than the checkpoint says was logged (a series missing or
     * ending earlier); nothing was changed, and the trial should start over in a new run.
     */
    HISTORY_INCOMPLETE,
    /**
     * The run is no longer {@code interrupted} or {@code failed}: another process continued it
     * (or finished it) since it was read; nothing was changed, and this process must not train
     * the trial too.
     */
    NOT_STOPPED
}
