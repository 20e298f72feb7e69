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
     * @return final metrics by name (e.g. {@code test_accuracy}), shown in the sweep's results
     *     table; each one the task did not log to the tracker itself is logged by the runner at the
     *     last step and epoch the trial logged (step 0 when it logged nothing). Never null (an
     *     empty map when there are none): null fails the trial
     * @throws ai.djl.TrainingDivergedException if the loss became NaN or infinite
     * @throws Exception for any other failure; the runner records it and the sweep goes on
     */
    Map<String, Double> run(Params params, TrialContext context) throws Exception;

    /**
     * The metrics this task can log, with when it logs each: a superset, since some depend on the
     * data or the settings (validation metrics need a validation split, {@code penalty} a weight
     * penalty). An experiment is checked against it when it is read: early stopping and pruner
     * monitors must name an {@link MetricKind#EPOCH} metric, a sweep objective any metric, so that
     * a misspelled name is reported with the file's line before any trial starts.
     *
     * @return name → kind; empty (the default) when the task does not declare them, and then a
     *     monitor is checked only when the trial's first epoch ends
     */
    default Map<String, MetricKind> metrics() {
        return Map.of();
    }
}
