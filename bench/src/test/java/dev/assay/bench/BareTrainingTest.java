package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.assay.plugin.PluginRegistry;
import dev.assay.run.EngineSelection;
import dev.assay.sweep.TrialSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BareTrainingTest {

    @TempDir
    Path dir;

    @Test
    void stepsGoOnThroughTheTrainingSplitFromCallToCall() throws Exception {
        EngineSelection.claim("MXNet");
        PluginRegistry registry = PluginRegistry.load(List.of());
        // tiny: 512 images, 10% validation -> 461 training images, batches of 128: 128, 128, 128, 77
        TrialSpec trial = BenchTrials.trial(BenchTrials.experiment("mlp", 1, BenchSize.TINY), registry);
        List<Long> samples = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                BareTraining training = BareTraining.create(trial, registry, manager, dir, BareTraining.Evaluation.NONE,
                        null)) {
            for (int i = 0; i < 5; i++) {
                samples.add(training.trainSteps(1));
            }
            samples.add(training.trainSteps(4)); // batches 2-5 of the second pass
        }
        assertThat(samples).containsExactly(128L, 128L, 128L, 77L, 128L, 128L + 128L + 77L + 128L);
    }
}
