package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.ToyPlugins;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code assay show --config}'s file reproduces a trial: its key, seed and variant. */
class ConfigDocumentsTest {

    private static final PluginRegistry REGISTRY = ToyPlugins.registry();

    private static List<TrialSpec> plan(String yaml) {
        return SweepPlanner.plan(SpecLoader.parse(yaml, "exp.yaml", List.of()), new SpecBinder(REGISTRY));
    }

    @Test
    void aVariantsTrialIsReproducedWithItsVariantsName() {
        List<TrialSpec> trials = plan("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training: {epochs: 1, seed: 7, optimizer: {name: sgd, learning_rate: 0.1}}
                sweep:
                  variants:
                    none: {}
                    wide: {model.params.hidden: [64]}
                """);
        TrialSpec wide = trials.get(1);
        assertThat(wide.variant()).isEqualTo("wide");

        String yaml = ConfigDocuments.yaml("e", null, wide);
        List<TrialSpec> again = plan(yaml);

        assertThat(again).hasSize(1);
        // it had no variant: the run of this file made a group of its own under params.variant
        assertThat(again.get(0).variant()).isEqualTo("wide");
        assertThat(again.get(0).trialKey()).isEqualTo(wide.trialKey());
        assertThat(again.get(0).seed()).isEqualTo(wide.seed());
        assertThat(ConfigDocuments.flatParams(again.get(0))).isEqualTo(ConfigDocuments.flatParams(wide));
    }

    @Test
    void aTrialOfNoVariantGetsNoSweep() {
        TrialSpec only = plan("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training: {epochs: 1, optimizer: sgd}
                """).get(0);
        String yaml = ConfigDocuments.yaml("e", null, only);
        assertThat(yaml).doesNotContain("sweep");
        assertThat(plan(yaml).get(0).trialKey()).isEqualTo(only.trialKey());
    }
}
