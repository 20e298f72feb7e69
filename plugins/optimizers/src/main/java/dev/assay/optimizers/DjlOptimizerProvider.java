package dev.assay.optimizers;

import ai.djl.training.optimizer.Optimizer;
import dev.assay.plugin.OptimizerProvider;
import dev.assay.plugin.OptimizerSettings;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import java.util.List;
import java.util.function.BiFunction;

/**
 * An optimizer provider defined by a description, its own parameters and a factory over DJL's
 * builders. The shared settings (schedule, weight decay, clipping) come from
 * {@link OptimizerSettings}.
 */
final class DjlOptimizerProvider implements OptimizerProvider {

    private final String description;
    private final List<ParamDescriptor> parameters;
    private final BiFunction<Params, OptimizerSettings, Optimizer> factory;
    private final boolean usesLearningRate;

    DjlOptimizerProvider(String description, List<ParamDescriptor> parameters,
            BiFunction<Params, OptimizerSettings, Optimizer> factory) {
        this(description, parameters, factory, true);
    }

    private DjlOptimizerProvider(String description, List<ParamDescriptor> parameters,
            BiFunction<Params, OptimizerSettings, Optimizer> factory, boolean usesLearningRate) {
        this.description = description;
        this.parameters = List.copyOf(parameters);
        this.factory = factory;
        this.usesLearningRate = usesLearningRate;
    }

    /** The same provider for an optimizer that has no learning rate ({@link #usesLearningRate()}). */
    DjlOptimizerProvider withoutLearningRate() {
        return new DjlOptimizerProvider(description, parameters, factory, false);
    }

    @Override
    public boolean usesLearningRate() {
        return usesLearningRate;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return parameters;
    }

    @Override
    public Optimizer build(Params params, OptimizerSettings settings) {
        return factory.apply(params, settings);
    }
}
