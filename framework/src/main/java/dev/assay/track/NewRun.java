package dev.assay.track;

import java.util.Map;

/**
 * What is known about a run when it starts: the input of {@link TrackingStore#createRun(NewRun)}.
 *
 * @param experiment the experiment name (1 to 250 characters); its row is created if missing
 * @param experimentDescription the experiment's description, used only when the experiment row is
 *     created; may be null
 * @param runName a display name of at most 250 characters, may be null
 * @param trialIndex the trial's 0-based index within its sweep, ≥ 0
 * @param trialKey a stable key of the trial's resolved configuration (for finding repeats), at most
 *     250 characters, may be null
 * @param seed the random seed the trial uses
 * @param configYaml the fully resolved configuration as YAML, may be null
 * @param provenanceJson the provenance (versions, OS, data fingerprint) as JSON, may be null
 * @param params flattened hyper-parameters ({@code model.params.dropout -> 0.3}); null means none;
 *     copied and ordered by key
 * @param tags free-form tags; null means none; copied and ordered by key
 */
public record NewRun(
        String experiment,
        String experimentDescription,
        String runName,
        int trialIndex,
        String trialKey,
        long seed,
        String configYaml,
        String provenanceJson,
        Map<String, String> params,
        Map<String, String> tags) {

    /**
     * Validates and copies the fields.
     *
     * @throws IllegalArgumentException if {@code experiment} is null, blank or too long, {@code
     *     runName} or {@code trialKey} is over 250 characters, {@code trialIndex} is negative, or a
     *     param or tag has a null, blank or too long key or a null value
     */
    public NewRun {
        StoreChecks.requireKey("experiment", experiment);
        for (String[] field : new String[][] {{"run name", runName}, {"trial key", trialKey}}) {
            if (field[1] != null && field[1].length() > StoreChecks.MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("A " + field[0] + " must be at most " + StoreChecks.MAX_KEY_LENGTH
                        + " characters, got " + field[1].length() + " ('" + field[1].substring(0, 40) + "...').");
            }
        }
        if (trialIndex < 0) {
            throw new IllegalArgumentException("trialIndex must be >= 0, got " + trialIndex + ".");
        }
        params = StoreChecks.sortedCopy("param", params);
        tags = StoreChecks.sortedCopy("tag", tags);
    }
}
