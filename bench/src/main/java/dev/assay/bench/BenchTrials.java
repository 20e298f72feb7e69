package dev.assay.bench;

import dev.assay.plugin.PluginRegistry;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import java.util.List;
import java.util.Locale;

/**
 * The experiments the benchmarks train, written as the YAML a user would write: Fashion-MNIST
 * (first {@link BenchSize#limitTrain()} / {@link BenchSize#limitTest()} images, 10% validation),
 * batch 128, Adam at 1e-3, seed 42, and one of three models:
 * <ul>
 *   <li>{@code mlp}: 784-256-128-10, ReLU (as {@code experiments/fashion-mnist-regularization.yaml});</li>
 *   <li>{@code cnn}: conv3×3/32-BN-ReLU-maxpool, conv3×3/64-BN-ReLU-maxpool, dense 128, dropout 0.3
 *       (as {@code experiments/fashion-mnist-cnn.yaml});</li>
 *   <li>{@code lstm}: one LSTM layer of 128 over the 28 image rows (28 steps × 28 pixels), dense
 *       head (as {@code experiments/fashion-mnist-gru-rows.yaml} with an LSTM cell).</li>
 * </ul>
 */
public final class BenchTrials {

    /** The models the benchmarks train. */
    public static final List<String> MODELS = List.of("mlp", "cnn", "lstm");

    private BenchTrials() {}

    /**
     * Returns the experiment of a model.
     *
     * @param model {@code mlp}, {@code cnn} or {@code lstm}
     * @param epochs training epochs
     * @param size the data limits
     * @return the parsed experiment
     * @throws IllegalArgumentException for another model
     */
    public static ExperimentSpec experiment(String model, int epochs, BenchSize size) {
        String yaml = String.format(Locale.ROOT, """
                name: bench-%s
                description: assay bench, %s on a Fashion-MNIST subset
                dataset: {name: fashion-mnist, params: {validation_split: 0.1, limit_train: %d, limit_test: %d}}
                model: {architecture: %s, params: %s}
                task: classification
                training:
                  epochs: %d
                  batch_size: 128
                  seed: 42
                  optimizer: {name: adam, learning_rate: 1.0e-3}
                """, model, model, size.limitTrain(), size.limitTest(), model, modelParams(model), epochs);
        return SpecLoader.parse(yaml, "bench-" + model + ".yaml", List.of());
    }

    /**
     * Plans the single trial of an experiment from {@link #experiment}.
     *
     * @param spec the experiment
     * @param registry the plugins
     * @return its one trial
     */
    public static TrialSpec trial(ExperimentSpec spec, PluginRegistry registry) {
        return SweepPlanner.plan(spec, new SpecBinder(registry)).get(0);
    }

    private static String modelParams(String model) {
        return switch (model) {
            case "mlp" -> "{hidden: [256, 128], activation: relu, dropout: 0.0}";
            case "cnn" -> "{filters: [32, 64], kernel_size: 3, batch_norm: true, dense: [128],"
                    + " dropout: 0.3, activation: relu}";
            case "lstm" -> "{layers: 1, hidden: 128, dropout: 0.0}";
            default -> throw new IllegalArgumentException("Unknown benchmark model '" + model
                    + "'; use one of " + MODELS + ".");
        };
    }
}
