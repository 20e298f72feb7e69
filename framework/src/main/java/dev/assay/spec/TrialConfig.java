package dev.assay.spec;

import java.util.Map;

/**
 * One fully resolved configuration: what a single trial trains. Every plugin parameter is present
 * with its default filled in.
 *
 * @param engine the engine the trial trains on: {@code mxnet} or {@code pytorch}
 * @param dataset the dataset provider and its parameters
 * @param model the architecture provider and its parameters
 * @param task the task provider and its parameters
 * @param training the training settings
 * @param resolved the same configuration as nested maps and lists (YAML shape, defaults filled
 *     in); used for the trial key, the flattened params and to print the exact YAML of a run
 */
public record TrialConfig(
        String engine,
        PluginRef dataset,
        PluginRef model,
        PluginRef task,
        TrainingSpec training,
        Map<String, Object> resolved) {

    /** DJL's name of the MXNet engine (engine {@code mxnet}), as {@code Engine.getEngineName()} returns it. */
    public static final String MXNET = "MXNet";

    /** DJL's name of the PyTorch engine (engine {@code pytorch}), as {@code Engine.getEngineName()} returns it. */
    public static final String PYTORCH = "PyTorch";

    /**
     * Returns the engine's name as DJL spells it ({@code MXNet}, {@code PyTorch}), for
     * {@code ai.djl.default_engine} and {@code Engine.getEngine}.
     *
     * @return the DJL engine name
     */
    public String djlEngine() {
        return djlEngine(engine);
    }

    /**
     * Maps an Assay engine name to DJL's.
     *
     * @param engine {@code mxnet} or {@code pytorch}
     * @return {@code MXNet} or {@code PyTorch}
     * @throws IllegalArgumentException for any other name
     */
    public static String djlEngine(String engine) {
        return switch (engine) {
            case "mxnet" -> MXNET;
            case "pytorch" -> PYTORCH;
            default -> throw new IllegalArgumentException("unknown engine '" + engine
                    + "'; expected mxnet or pytorch");
        };
    }
}
