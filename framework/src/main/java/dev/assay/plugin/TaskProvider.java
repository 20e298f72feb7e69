package dev.assay.plugin;

import dev.assay.data.LoadedDataset;
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

    /**
     * The kind of data this task trains on. An experiment whose dataset declares a type (anything
     * but {@link LoadedDataset} itself) that is not this one ({@link DatasetProvider#dataType()}) is refused when the file is read, at the
     * task's line, with the datasets that fit.
     *
     * @return a {@link LoadedDataset} type; {@link LoadedDataset} itself (the default) takes any
     */
    default Class<? extends LoadedDataset> dataType() {
        return LoadedDataset.class;
    }

    /**
     * The type of model this task trains. An experiment whose architecture declares a type
     * (anything but {@link ai.djl.nn.Block} itself) that is not this one ({@link ArchitectureProvider#blockType()}) is refused when the file is read,
     * at the task's line, with the architectures that fit.
     *
     * @return a block type; {@link ai.djl.nn.Block} (the default) takes any
     */
    default Class<?> blockType() {
        return ai.djl.nn.Block.class;
    }

    /**
     * Block types this task cannot train although {@link #blockType()} takes them (a classifier
     * takes any block, but not an autoencoder's {@link dev.assay.train.ReconstructionModel} or a
     * GAN's {@link dev.assay.train.AdversarialNetworks}). An experiment whose architecture declares
     * a type that is one of these, or a subtype, is refused when the file is read, at {@code
     * model.architecture}, with the architectures that fit.
     *
     * @return the refused types; empty (the default) for none
     */
    default java.util.Set<Class<?>> refusedBlockTypes() {
        return java.util.Set.of();
    }

    /**
     * The architecture parameters this task does not use (e.g. a recurrent network's {@code
     * pooling}, which a language model, predicting every token, never applies). An experiment that
     * sets one in {@code model.params} is refused when the file is read, at that key: it changed
     * the trial's key, so a sweep over it trained the same model several times.
     *
     * @return parameter names; empty (the default) for none
     */
    default java.util.Set<String> unusedModelParams() {
        return java.util.Set.of();
    }

    /**
     * The architecture parameters this task cannot train with unless they keep their default, each
     * with the reason (e.g. a recurrent network's {@code bidirectional}, whose backward direction
     * reads the tokens a language model must predict). An experiment that sets one to another value
     * is refused when the file is read, at that key; it passed {@code --dry-run} and failed every
     * trial when the model was built.
     *
     * @return parameter name to why the task refuses another value than its default; empty (the
     *     default) for none
     */
    default java.util.Map<String, String> refusedModelParams() {
        return java.util.Map.of();
    }
}
