package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.assay.architectures.ArchitecturesPlugin;
import dev.assay.datasets.DatasetsPlugin;
import dev.assay.optimizers.OptimizersPlugin;
import dev.assay.plugin.PluginRegistry;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecException;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A size limit whose validation split holds out nothing, or leaves too few examples to train on, is
 * refused at its {@code file:line:column} when the experiment is planned; it was found when each
 * trial loaded its data (limit_train 1 failed the trial; limit_train 4 with the default
 * validation_split 0.1 trained without validation metrics).
 */
class DatasetSplitRefusalTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.fromModules(List.of(new DatasetsPlugin(),
            new ArchitecturesPlugin(), new OptimizersPlugin(), new TasksPlugin()));

    private static SpecException refusal(String yaml) {
        return catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(
                SpecLoader.parse(yaml, "e.yaml", List.of()), new SpecBinder(REGISTRY)));
    }

    @Test
    void aLimitWhoseValidationSplitRoundsToNothingIsRefusedAtTheLimit() {
        SpecException e = refusal("""
                name: e
                dataset: {name: fashion-mnist, params: {limit_train: 4}}
                model: mlp
                task: classification
                training: {epochs: 1, optimizer: sgd}
                """);
        assertThat(e).hasMessage("e.yaml:2:54: dataset.params.limit_train: with validation_split 0.1, 4 examples hold"
                + " out none for validation (round(4 × 0.1) = 0), so the trial would have no validation split and no"
                + " val_* metrics: use 5 or more (0 for all), or set validation_split: 0 to train without one");
    }

    @Test
    void aLimitOfOneIsRefusedWhenTheFileIsReadForImagesAndTextsAlike() {
        for (String dataset : List.of("fashion-mnist", "imdb")) {
            SpecException e = refusal("""
                    name: e
                    dataset:
                      name: %s
                      params:
                        limit_train: 1
                        validation_split: 0
                    model: %s
                    task: %s
                    training: {epochs: 1, optimizer: sgd}
                    """.formatted(dataset, dataset.equals("imdb") ? "lstm" : "mlp",
                    dataset.equals("imdb") ? "sequence_classification" : "classification"));
            assertThat(e).as(dataset).hasMessage("e.yaml:5:18: dataset.params.limit_train: leaves 1 training example"
                    + " of 1, and a classifier needs examples of at least 2 classes: use 2 or more (0 for all)");
        }
    }

    @Test
    void aSweptLimitIsRefusedAtItsValueInTheSweep() {
        SpecException e = refusal("""
                name: e
                dataset: {name: fashion-mnist, params: {limit_train: 512}}
                model: mlp
                task: classification
                training: {epochs: 1, optimizer: sgd}
                sweep:
                  parameters:
                    dataset.params.limit_train: [512, 2]
                """);
        assertThat(e.location().line()).isEqualTo(8);
        assertThat(e.location().column()).isEqualTo(39);
        assertThat(e.problem()).startsWith("with validation_split 0.1, 2 examples hold out none for validation");
    }

    @Test
    void generatedPairsAllHeldOutForValidationAreRefused() {
        SpecException e = refusal("""
                name: e
                dataset: {name: dates, params: {train_size: 1, validation_split: 0.9}}
                model: seq2seq
                task: seq2seq
                training: {epochs: 1, optimizer: sgd}
                """);
        assertThat(e).hasMessage("e.yaml:2:45: dataset.params.train_size: leaves 0 training pairs of 1 once"
                + " validation_split 0.9 holds 1 out for validation, and training needs at least one: use 6 or more,"
                + " or a lower validation_split");
    }
}
