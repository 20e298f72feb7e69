package dev.assay.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.assay.data.ClassificationData;
import dev.assay.data.DatasetContext;
import dev.assay.data.LanguageModelData;
import dev.assay.data.LoadedDataset;
import dev.assay.plugin.AssayPlugin;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.Params;
import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.ToyPlugins;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import dev.assay.train.SequenceModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task is checked against its dataset's and architecture's declared types when the file is read. */
class PluginFitTest {

    /** Loads images with classes: declares it through {@code load}'s return type alone. */
    public static class Images extends ToyPlugins.ToyData {
        @Override
        public ClassificationData load(Params params, DatasetContext context) {
            throw new UnsupportedOperationException("toy");
        }
    }

    /** Loads a corpus. */
    public static class Corpus extends ToyPlugins.ToyData {
        @Override
        public LanguageModelData load(Params params, DatasetContext context) {
            throw new UnsupportedOperationException("toy");
        }
    }

    /** Builds sequence models. */
    public static class Rnn extends ToyPlugins.WideNet {
        @Override
        public Class<?> blockType() {
            return SequenceModel.class;
        }
    }

    /** Builds sequential blocks, which are no sequence models. */
    public static class Dense extends ToyPlugins.WideNet {
        @Override
        public Class<?> blockType() {
            return ai.djl.nn.SequentialBlock.class;
        }
    }

    /** Trains on images with classes, any block. */
    public static class Classify extends ToyPlugins.ToyTask {
        @Override
        public Class<? extends LoadedDataset> dataType() {
            return ClassificationData.class;
        }
    }

    /** Trains a sequence model on a corpus. */
    public static class LanguageModel extends ToyPlugins.ToyTask {
        @Override
        public Class<? extends LoadedDataset> dataType() {
            return LanguageModelData.class;
        }

        @Override
        public Class<?> blockType() {
            return SequenceModel.class;
        }
    }

    /** Registers them beside the toy plugins (whose toy-data, toy-net and toy-task declare nothing). */
    public static final class Typed extends AssayPlugin {
        @Override
        protected void configure() {
            registerDataset("images", Images.class);
            registerDataset("corpus", Corpus.class);
            registerDataset("corpus-2", Corpus.class);
            registerArchitecture("rnn", Rnn.class);
            registerArchitecture("dense", Dense.class);
            registerTask("classify", Classify.class);
            registerTask("lm", LanguageModel.class);
        }
    }

    private static final PluginRegistry REGISTRY = PluginRegistry.fromModules(
            List.of(new ToyPlugins.ToyPlugin(), new Typed()));

    private static List<TrialSpec> plan(String dataset, String model, String task) {
        return SweepPlanner.plan(SpecLoader.parse("""
                name: e
                dataset: %s
                model:
                  architecture: %s
                task: %s
                training: {epochs: 1, optimizer: sgd}
                """.formatted(dataset, model, task), "exp.yaml", List.of()), new SpecBinder(REGISTRY));
    }

    private static SpecException error(String dataset, String model, String task) {
        return catchThrowableOfType(SpecException.class, () -> plan(dataset, model, task));
    }

    @Test
    void aDatasetDeclaresWhatItLoadsByItsLoadMethodsReturnType() {
        assertThat(new Images().dataType()).isEqualTo(ClassificationData.class);
        assertThat(new Corpus().dataType()).isEqualTo(LanguageModelData.class);
        assertThat(new ToyPlugins.ToyData().dataType()).isEqualTo(LoadedDataset.class);
        DatasetProvider anonymous = new ToyPlugins.ToyData() { };
        assertThat(anonymous.dataType()).isEqualTo(LoadedDataset.class);
    }

    @Test
    void aTaskGivenADatasetOfAnotherKindIsRefusedAtTheDatasetNameWithTheDatasetsThatFit() {
        SpecException e = error("images", "rnn", "lm");
        assertThat(e.location().line()).isEqualTo(2);
        assertThat(e.location().column()).isEqualTo(10);
        assertThat(e.key()).isEqualTo("dataset.name");
        assertThat(e.problem()).isEqualTo("task 'lm' trains on LanguageModelData, but dataset 'images' loads"
                + " ClassificationData; datasets that load LanguageModelData: corpus, corpus-2");
        assertThat(error("corpus", "toy-net", "classify").problem()).isEqualTo("task 'classify' trains on"
                + " ClassificationData, but dataset 'corpus' loads LanguageModelData; datasets that load"
                + " ClassificationData: images");
    }

    @Test
    void aTaskGivenAnArchitectureOfAnotherKindIsRefusedAtTheArchitectureWithTheOnesThatFit() {
        SpecException e = error("corpus", "dense", "lm");
        assertThat(e.location().line()).isEqualTo(4);
        assertThat(e.location().column()).isEqualTo(17);
        assertThat(e.key()).isEqualTo("model.architecture");
        assertThat(e.problem()).isEqualTo("task 'lm' trains a model of type SequenceModel, but architecture 'dense'"
                + " builds SequentialBlock; architectures that build one: rnn");
    }

    @Test
    void whatFitsOrDeclaresNothingIsPlanned() {
        assertThat(plan("corpus", "rnn", "lm")).hasSize(1);
        assertThat(plan("images", "rnn", "classify")).hasSize(1); // a sequence model is a block
        assertThat(plan("images", "dense", "classify")).hasSize(1);
        assertThat(plan("corpus", "toy-net", "lm")).hasSize(1); // toy-net may build anything: the trial checks
        assertThat(plan("toy-data", "rnn", "lm")).hasSize(1); // toy-data may load anything: the trial checks
        assertThat(plan("corpus", "toy-net", "toy-task")).hasSize(1); // toy-task takes any data and block
    }

    @Test
    void eachTrialOfASweepOverDatasetsIsChecked() {
        SpecException e = catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(SpecLoader.parse("""
                name: e
                dataset: corpus
                model: {architecture: rnn}
                task: lm
                training: {epochs: 1, optimizer: sgd}
                sweep:
                  parameters:
                    dataset.name: [corpus, images]
                """, "exp.yaml", List.of()), new SpecBinder(REGISTRY)));
        assertThat(e.problem()).startsWith("task 'lm' trains on LanguageModelData, but dataset 'images' loads");
    }
}
