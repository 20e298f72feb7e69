package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.djl.nn.Block;
import dev.assay.architectures.ArchitecturesPlugin;
import dev.assay.data.LoadedDataset;
import dev.assay.datasets.DatasetsPlugin;
import dev.assay.optimizers.OptimizersPlugin;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.PluginKind;
import dev.assay.plugin.PluginRegistry;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecException;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The built-in plugins declare what they load and build, so that an experiment pairing a task with
 * a dataset or architecture it cannot train is refused when it is read (before: by every trial,
 * after loading its data), while every experiment in {@code experiments/} still plans.
 */
class BuiltinPluginFitTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.fromModules(List.of(new DatasetsPlugin(),
            new ArchitecturesPlugin(), new OptimizersPlugin(), new TasksPlugin()));

    private static SpecException refusal(String dataset, String model, String task) {
        return catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(SpecLoader.parse("""
                name: e
                dataset: %s
                model: %s
                task: %s
                training: {epochs: 1, optimizer: {name: adam, learning_rate: 0.001}}
                """.formatted(dataset, model, task), "e.yaml", List.of()), new SpecBinder(REGISTRY)));
    }

    @Test
    void everyBuiltinDatasetAndArchitectureDeclaresWhatItGives() {
        REGISTRY.providers(PluginKind.DATASET).forEach((name, p) ->
                assertThat(((DatasetProvider) p).dataType()).as(name).isNotEqualTo(LoadedDataset.class));
        REGISTRY.providers(PluginKind.ARCHITECTURE).forEach((name, p) ->
                assertThat(((ArchitectureProvider) p).blockType()).as(name).isNotEqualTo(Block.class));
    }

    @Test
    void aTaskWithADatasetItCannotTrainOnIsRefusedNamingTheDatasetsThatFit() {
        SpecException e = refusal("fashion-mnist", "lstm", "language_model");
        assertThat(e).hasMessage("e.yaml:2:10: dataset.name: task 'language_model' trains on LanguageModelData,"
                + " but dataset 'fashion-mnist' loads ClassificationData; datasets that load LanguageModelData:"
                + " kjv-bible, text-corpus, wikitext");
        assertThat(refusal("imdb", "mlp", "classification").problem()).isEqualTo("task 'classification' trains on"
                + " ClassificationData, but dataset 'imdb' loads SequenceClassificationData; datasets that load"
                + " ClassificationData: fashion-mnist, mnist");
        assertThat(refusal("kjv-bible", "seq2seq", "seq2seq").problem())
                .endsWith("datasets that load Seq2SeqData: dates, sentence-pairs");
        assertThat(refusal("fashion-mnist", "word2vec", "word2vec").problem())
                .endsWith("datasets that load LanguageModelData: kjv-bible, text-corpus, wikitext");
    }

    @Test
    void aTaskWithAnArchitectureItCannotTrainIsRefusedNamingTheArchitecturesThatFit() {
        SpecException e = refusal("imdb", "cnn", "sequence_classification");
        assertThat(e).hasMessage("e.yaml:3:8: model.architecture: task 'sequence_classification' trains a"
                + " model of type SequenceModel, but architecture 'cnn' builds SequentialBlock; architectures that"
                + " build one: gru, lstm");
        assertThat(refusal("kjv-bible", "mlp", "language_model").problem()).endsWith("architectures that build one: gru, lstm");
        assertThat(refusal("fashion-mnist", "autoencoder", "adversarial").problem()).isEqualTo("task 'adversarial'"
                + " trains a model of type AdversarialNetworks, but architecture 'autoencoder' builds AutoencoderNetwork;"
                + " architectures that build one: gan");
    }

    @Test
    void classificationAndReconstructionRefuseTheArchitecturesThatCannotDoThem() {
        // classification took any block: with an autoencoder, a GAN, seq2seq or word2vec it planned, and
        // every trial failed after loading its data ("outputs must be 0 ... or 784, got 10")
        assertThat(refusal("fashion-mnist", "autoencoder", "classification")).hasMessage("e.yaml:3:8:"
                + " model.architecture: task 'classification' cannot train architecture 'autoencoder' (it builds a"
                + " block of type ReconstructionModel); architectures that fit: cnn, gru, lstm, mlp");
        for (String model : List.of("gan", "seq2seq", "word2vec")) {
            assertThat(refusal("fashion-mnist", model, "classification").problem()).as(model)
                    .startsWith("task 'classification' cannot train architecture '" + model + "'")
                    .endsWith("architectures that fit: cnn, gru, lstm, mlp");
        }
        // reconstruction trains an autoencoder only (an mlp or lstm planned and failed: "outputs = 0")
        for (String model : List.of("gan", "mlp", "lstm", "cnn", "seq2seq")) {
            assertThat(refusal("fashion-mnist", model, "reconstruction").problem()).as(model)
                    .startsWith("task 'reconstruction' trains a model of type ReconstructionModel, but architecture '"
                            + model + "' builds ").endsWith("; architectures that build one: autoencoder");
        }
        assertThat(refusal("fashion-mnist", "autoencoder", "reconstruction")).isNull();
        assertThat(refusal("fashion-mnist", "cnn", "classification")).isNull();
    }

    @Test
    void seq2seqWord2vecReconstructionAndAdversarialAreCheckedToo() {
        // found by a helper session: these planned with any architecture or image-less dataset, and failed each trial
        assertThat(refusal("dates", "mlp", "seq2seq").problem()).endsWith("builds SequentialBlock; architectures that"
                + " build one: seq2seq");
        assertThat(refusal("kjv-bible", "gru", "word2vec").problem()).endsWith("architectures that build one: word2vec");
        assertThat(refusal("imdb", "autoencoder", "reconstruction").problem()).isEqualTo("task 'reconstruction' trains"
                + " on ClassificationData, but dataset 'imdb' loads SequenceClassificationData; datasets that load"
                + " ClassificationData: fashion-mnist, mnist");
        assertThat(refusal("kjv-bible", "gan", "adversarial").problem()).startsWith("task 'adversarial' trains on"
                + " ClassificationData, but dataset 'kjv-bible' loads LanguageModelData");
    }

    @Test
    void aBidirectionalLanguageModelIsRefusedWhenTheFileIsRead() {
        // found by a new-user check: it passed --dry-run and failed every trial when the model was built
        SpecException e = catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(SpecLoader.parse("""
                name: e
                dataset: kjv-bible
                model:
                  architecture: lstm
                  params: {hidden: 8, bidirectional: true}
                task: language_model
                training: {epochs: 1, optimizer: {name: adam, learning_rate: 0.001}}
                """, "e.yaml", List.of()), new SpecBinder(REGISTRY)));
        assertThat(e).hasMessage("e.yaml:5:38: model.params.bidirectional: task 'language_model' cannot train"
                + " architecture 'lstm' with bidirectional: true: its backward direction reads the tokens a language"
                + " model must predict, so its perplexity would be meaningless; set bidirectional: false");
        assertThat(refusal("kjv-bible", "{architecture: lstm, params: {hidden: 8, bidirectional: false}}",
                "language_model")).isNull();
    }

    @Test
    void aModelParamTheTaskDoesNotUseIsRefusedAtItsKey() {
        // pooling: mean trained the same language model as last, under another trial key
        SpecException e = catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(SpecLoader.parse("""
                name: e
                dataset: kjv-bible
                model:
                  architecture: lstm
                  params: {hidden: 8, pooling: mean}
                task: language_model
                training: {epochs: 1, optimizer: {name: adam, learning_rate: 0.001}}
                """, "e.yaml", List.of()), new SpecBinder(REGISTRY)));
        assertThat(e).hasMessage("e.yaml:5:32: model.params.pooling: task 'language_model' does not use the pooling of"
                + " architecture 'lstm': it has no effect on the model, yet it would make runs of one model count as"
                + " different trials; remove it");
        assertThat(refusal("kjv-bible", "{architecture: lstm, params: {hidden: 8}}", "language_model")).isNull();
        // at its default it is what every run records: show --config's file of a language model plans again
        assertThat(refusal("kjv-bible", "{architecture: lstm, params: {hidden: 8, pooling: last}}", "language_model"))
                .isNull();
        var trial = SweepPlanner.plan(SpecLoader.load(Path.of("../../experiments/kjv-language-model-lstm.yaml"),
                List.of()), new SpecBinder(REGISTRY)).get(0);
        String config = dev.assay.run.ConfigDocuments.yaml("kjv-language-model-lstm", null, trial);
        assertThat(config).contains("pooling: last");
        assertThat(SweepPlanner.plan(SpecLoader.parse(config, "config.yaml", List.of()), new SpecBinder(REGISTRY))
                .get(0).trialKey()).isEqualTo(trial.trialKey());
        assertThat(refusal("imdb", "{architecture: lstm, params: {pooling: mean}}", "sequence_classification")).isNull();
    }

    @Test
    void everyShippedExperimentStillPlans() throws IOException {
        Path dir = Path.of("../../experiments");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        for (Path f : files) {
            assertThat(SweepPlanner.plan(SpecLoader.load(f, List.of()), new SpecBinder(REGISTRY)))
                    .as(f.toString()).isNotEmpty();
        }
    }
}
