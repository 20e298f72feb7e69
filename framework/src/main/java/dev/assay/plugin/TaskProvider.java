package dev.assay.plugin;

import dev.assay.train.TrialContext;
import java.util.Map;

/**
 * A training strategy (classification, language modelling, ...): it builds the model from the
 * context, trains it and reports final metrics; registered with {@link AssayPlugin#registerTask}.
 */
public interface TaskProvider extends PluginProvider {

    /**
     * Trains one trial.
     *
     * @param params the task's resolved parameters
     * @param context the trial: data, model and optimizer factories, tracker, seed
     * @return final metrics by name (e.g. {@code test_accuracy}); each is also logged to the tracker
     * @throws ai.djl.TrainingDivergedException if the loss became NaN or infinite
     * @throws Exception for any other failure; the runner records it and the sweep goes on
     */
    Map<String, Double> run(Params params, TrialContext context) throws Exception;
}
