package dev.assay.run;

import dev.assay.sweep.TrialSpec;
import dev.assay.track.RunStatus;
import java.util.Map;

/**
 * How one trial ended.
 *
 * @param trial the trial
 * @param runId its run id in the store
 * @param status completed, failed or diverged
 * @param error the first line of the error, or null when completed
 * @param metrics the final metrics the task returned (empty unless completed)
 * @param durationMillis wall time of the trial, in milliseconds
 */
public record TrialOutcome(
        TrialSpec trial,
        String runId,
        RunStatus status,
        String error,
        Map<String, Double> metrics,
        long durationMillis) {}
