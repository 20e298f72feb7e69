package dev.assay.track;

/**
 * An experiment as stored: a named group of runs.
 *
 * @param id the store's numeric id
 * @param name the unique experiment name
 * @param description free text, or null
 * @param createdMillis when the experiment row was created, milliseconds since the epoch (UTC)
 * @param runCount how many runs it holds
 * @param lastActivityMillis the latest time any of its runs was created, written to or finished,
 *     milliseconds since the epoch (UTC); {@code createdMillis} when it has no runs
 */
public record ExperimentRecord(
        long id, String name, String description, long createdMillis, int runCount, long lastActivityMillis) {}
