package dev.assay.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.assay.spec.TrainingSpec;
import dev.assay.sweep.TrialSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The documents stored with a run: its exact YAML and its flattened parameters. */
public final class ConfigDocuments {

    /**
     * The param that names a trial's sweep variant ({@code sweep.variants}). A label, not part of
     * the configuration: the trial key ignores it ({@code assay show --config} writes a variant of
     * the same name that sets nothing, so a run of its file has the same variant).
     */
    public static final String VARIANT_PARAM = "variant";

    /**
     * The params that label a run without being its configuration: the seed ({@link
     * TrainingSpec#SEED_PARAM}, in which the repeats of one configuration differ) and the variant's
     * name ({@link #VARIANT_PARAM}). Grouping runs by configuration leaves both out; with the variant
     * in, a run of the same configuration without it (or under another variant name) made a group
     * of its own and split its repeats.
     */
    public static final List<String> LABEL_PARAMS = List.of(TrainingSpec.SEED_PARAM, VARIANT_PARAM);


    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigDocuments() {}

    /**
     * Returns a single-run experiment file that reproduces the trial exactly: its name (and
     * description, when it has one) plus the resolved configuration with every default written
     * out and the trial's seed, and, for a trial of a sweep variant, a sweep of that one variant
     * setting nothing, so that the run it makes carries the same {@value #VARIANT_PARAM} param.
     *
     * @param experiment the experiment name
     * @param description the experiment's description, or null
     * @param trial the trial
     * @return YAML text
     * @throws IllegalStateException if Jackson cannot write the configuration as YAML (it holds
     *     only maps, lists and scalars, so this means a bug)
     */
    public static String yaml(String experiment, String description, TrialSpec trial) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", experiment);
        if (description != null && !description.isBlank()) {
            doc.put("description", description); // show --config dropped it
        }
        doc.putAll(trial.config().resolved());
        if (!trial.variant().isEmpty()) {
            // a variant that changes nothing keeps the run's variant name: without it, a run of
            // this file was a group of its own when runs are grouped by variant, and replaced
            // the original run (same trial key) in the variant's group
            doc.put("sweep", Map.of("variants", Map.of(trial.variant(), Map.of())));
        }
        try {
            return YAML.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the configuration of trial " + trial.trialKey()
                    + " as YAML: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Flattens the resolved configuration to dotted keys, e.g.
     * {@code training.optimizer.learning_rate → "0.001"}; lists become JSON text
     * ({@code "[256,128]"}). The sweep variant, if any, is added as {@code variant}.
     *
     * @param trial the trial
     * @return parameters by dotted key, in configuration order
     */
    public static Map<String, String> flatParams(TrialSpec trial) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!trial.variant().isEmpty()) {
            out.put(VARIANT_PARAM, trial.variant());
        }
        flatten("", trial.config().resolved(), out);
        return out;
    }

    private static void flatten(String prefix, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, out));
        } else if (value instanceof List<?>) {
            try {
                out.put(prefix, JSON.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                out.put(prefix, value.toString());
            }
        } else {
            out.put(prefix, String.valueOf(value));
        }
    }
}
