package dev.assay.spec;

import java.util.Map;

/**
 * One fully resolved configuration: what a single trial trains. Every plugin parameter is present
 * with its default filled in.
 *
 * @param dataset the dataset provider and its parameters
 * @param model the architecture provider and its parameters
 * @param task the task provider and its parameters
 * @param training the training settings
 * @param resolved the same configuration as nested maps and lists (YAML shape, defaults filled
 *     in); used for the trial key, the flattened params and to print the exact YAML of a run
 */
public record TrialConfig(
        PluginRef dataset,
        PluginRef model,
        PluginRef task,
        TrainingSpec training,
        Map<String, Object> resolved) {}
