package dev.assay.plugin;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import dev.assay.data.DatasetContext;
import dev.assay.data.LoadedDataset;
import dev.assay.train.TrialContext;
import java.util.List;
import java.util.Map;

/**
 * Test-only plugins with small, known parameter lists. None of them can train: the tests that use
 * them only parse, bind and plan experiments.
 */
public final class ToyPlugins {

    private ToyPlugins() {}

    /**
     * Returns a registry with dataset {@code toy-data}, architectures {@code toy-net} and
     * {@code wide-net}, optimizers {@code sgd} and {@code adam}, and task {@code toy-task}.
     *
     * @return the registry
     */
    public static PluginRegistry registry() {
        return PluginRegistry.fromModules(List.of(new ToyPlugin()));
    }

    /** Registers every toy provider. */
    public static final class ToyPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerDataset("toy-data", ToyData.class);
            registerArchitecture("toy-net", ToyNet.class);
            registerArchitecture("wide-net", WideNet.class);
            registerOptimizer("sgd", Sgd.class);
            registerOptimizer("adam", Adam.class);
            registerTask("toy-task", ToyTask.class);
        }
    }

    /** Registers a second, different provider under the dataset name {@code toy-data}. */
    public static final class ClashingPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerDataset("toy-data", OtherData.class);
        }
    }

    /** A dataset: {@code size} INT 100, {@code validation_split} DOUBLE 0.1 in [0, 0.9]. */
    public static class ToyData implements DatasetProvider {
        @Override
        public String description() {
            return "toy dataset";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of(
                    ParamDescriptor.of("size", ParamType.INT, 100L, "samples"),
                    ParamDescriptor.of("validation_split", ParamType.DOUBLE, 0.1, "held out")
                            .range(0, 0.9));
        }

        @Override
        public LoadedDataset load(Params params, DatasetContext context) {
            throw new UnsupportedOperationException("toy");
        }
    }

    /** Another dataset class, used to clash with {@link ToyData}'s name. */
    public static class OtherData extends ToyData {}

    /** An architecture: {@code hidden} INT_LIST [8], {@code dropout} DOUBLE 0.0 in [0, 0.99]. */
    public static class ToyNet implements ArchitectureProvider {
        @Override
        public String description() {
            return "toy network";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of(
                    ParamDescriptor.of("hidden", ParamType.INT_LIST, List.of(8L), "hidden widths")
                            .range(1, Double.NaN),
                    ParamDescriptor.of("dropout", ParamType.DOUBLE, 0.0, "dropout rate")
                            .range(0, 0.99));
        }

        @Override
        public Block build(Params params, Shape sampleShape, int outputs) {
            throw new UnsupportedOperationException("toy");
        }
    }

    /** A second architecture with no parameters. */
    public static class WideNet implements ArchitectureProvider {
        @Override
        public String description() {
            return "wide toy network";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of();
        }

        @Override
        public Block build(Params params, Shape sampleShape, int outputs) {
            throw new UnsupportedOperationException("toy");
        }
    }

    /** An optimizer with no parameters of its own. */
    public static class Sgd implements OptimizerProvider {
        @Override
        public String description() {
            return "toy sgd";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of();
        }

        @Override
        public Optimizer build(Params params, OptimizerSettings settings) {
            throw new UnsupportedOperationException("toy");
        }
    }

    /** An optimizer with {@code beta1} DOUBLE 0.9. */
    public static class Adam implements OptimizerProvider {
        @Override
        public String description() {
            return "toy adam";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of(ParamDescriptor.of("beta1", ParamType.DOUBLE, 0.9, "first moment decay"));
        }

        @Override
        public Optimizer build(Params params, OptimizerSettings settings) {
            throw new UnsupportedOperationException("toy");
        }
    }

    /** A task with no parameters. */
    public static class ToyTask implements TaskProvider {
        @Override
        public String description() {
            return "toy task";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of();
        }

        @Override
        public Map<String, Double> run(Params params, TrialContext context) {
            throw new UnsupportedOperationException("toy");
        }
    }
}
