package dev.assay.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SweepAxis;
import dev.assay.sweep.SweepPlanner;
import dev.assay.track.RunRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which of an experiment's runs belong to one {@code tpe} search: those tagged with its key
 * ({@value #TAG}), a digest of what decides its proposals: the configuration every trial starts
 * from (its trial key: architecture, dataset, training, seed, with the file's values at the swept
 * paths), the swept paths with their values or distributions, {@code sweep.seed},
 * {@code n_startup_trials} and the objective. {@code n_trials} is left out, so a rerun with a larger
 * budget goes on with the same search. Finished trials are counted, skipped and learnt from only
 * within the search: by trial number alone, a TPE file changed after a sweep (another model, an added
 * axis), or named like an experiment that holds grid runs, found its numbers "already finished" and
 * ran nothing (found by a new-user check). Runs recorded before this tag (older Assay) belong to no
 * search: such a sweep starts over.
 */
final class TpeSearch {

    /** The run tag holding the search's key. */
    static final String TAG = "assay.tpe_search";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TpeSearch() {}

    /**
     * The key of the search an experiment's {@code tpe} sweep makes.
     *
     * @param spec the experiment, with {@code sweep.strategy: tpe}
     * @param binder binds the starting configuration
     * @return 16 lowercase hex characters (the first 64 bits of a SHA-256)
     * @throws dev.assay.spec.SpecException if the starting configuration is invalid
     */
    static String key(ExperimentSpec spec, SpecBinder binder) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("start", SweepPlanner.bindPoint(spec, binder, Map.of(), 0).trialKey());
        Map<String, Object> axes = new TreeMap<>();
        SweepPlanner.axes(spec).forEach((path, axis) -> axes.put(path, describe(axis)));
        identity.put("axes", axes);
        identity.put("seed", spec.sweep().seed());
        identity.put("startup", spec.sweep().startupTrials());
        identity.put("objective", spec.sweep().objective());
        identity.put("minimize", spec.sweep().minimizeObjective());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(JSON.writeValueAsString(identity).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An axis without its place in the file: a values list, or a distribution's kind and bounds. */
    private static Object describe(SweepAxis axis) {
        if (axis instanceof SweepAxis.Values v) {
            return v.values().stream().map(dev.assay.spec.SpecNode::toPlain).toList();
        }
        SweepAxis.Distribution d = (SweepAxis.Distribution) axis;
        return java.util.List.of(d.kind(), d.a(), d.b());
    }

    /**
     * Whether a run belongs to the search.
     *
     * @param run any run of the experiment
     * @param key from {@link #key}
     * @return true if the run carries the key
     */
    static boolean member(RunRecord run, String key) {
        return key.equals(run.tags().get(TAG));
    }
}
