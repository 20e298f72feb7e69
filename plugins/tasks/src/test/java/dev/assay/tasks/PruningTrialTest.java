package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assay.architectures.ArchitecturesPlugin;
import dev.assay.datasets.DatasetsPlugin;
import dev.assay.optimizers.OptimizersPlugin;
import dev.assay.plugin.PluginRegistry;
import dev.assay.run.SweepListener;
import dev.assay.run.SweepRunner;
import dev.assay.run.TrialOutcome;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.track.AsyncTracker;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Early stopping and the ASHA pruner on real tiny trials. */
class PruningTrialTest {

    private static final String BASE = """
            name: prune
            dataset:
              name: fashion-mnist
              params: {limit_train: 256, limit_test: 64, validation_split: 0.25}
            model: {architecture: mlp, params: {hidden: [16]}}
            task: classification
            training:
              epochs: 4
              batch_size: 64
              optimizer: {name: adam, learning_rate: 3.0e-3}
            """;

    @TempDir
    Path dir;

    private List<RunRecord> run(String yaml) {
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new DatasetsPlugin(),
                new ArchitecturesPlugin(), new OptimizersPlugin(), new TasksPlugin()));
        ExperimentSpec spec = SpecLoader.parse(yaml, "prune.yaml", List.of());
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(100))) {
            List<TrialOutcome> outcomes = new SweepRunner(registry, store, tracker,
                    dir.resolve("artifacts"), List.of()).run(spec,
                    SweepPlanner.plan(spec, new SpecBinder(registry)), SweepListener.NONE);
            assertThat(outcomes).isNotEmpty();
            return store.runs("prune");
        }
    }

    @Test
    void earlyStoppingEndsTheTrialNormallyAndStillTestsIt() {
        RunRecord run = run(BASE.replace("epochs: 4", "epochs: 30") + """
                  early_stopping: {monitor: val_loss, patience: 1, min_delta: 100.0}
                """).get(0);
        // No epoch can improve by 100, so training stops one epoch after the first.
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.tags()).containsEntry("early_stopped_epoch", "2");
        assertThat(run.metrics().get("val_loss").count()).isEqualTo(2);
        assertThat(run.metrics()).containsKey("test_accuracy");
        assertThat(run.metrics().get("test_accuracy").lastStep())
                .isEqualTo(run.metrics().get("val_loss").lastStep());
    }

    @Test
    void ashaPrunesTheWorseTrialAtTheFirstRung() {
        List<RunRecord> runs = run(BASE + """
                sweep:
                  pruner: {name: asha, monitor: val_accuracy, min_epochs: 1, reduction_factor: 2}
                  variants:
                    learns: {}
                    frozen: {training.optimizer.learning_rate: 0.0}
                """);
        assertThat(runs).extracting(RunRecord::status)
                .containsExactly(RunStatus.COMPLETED, RunStatus.PRUNED);
        RunRecord pruned = runs.get(1);
        assertThat(pruned.tags()).containsEntry("pruned_epoch", "1");
        assertThat(pruned.errorMessage()).startsWith("pruned at epoch 1: val_accuracy ")
                .endsWith("ranks 2 of 2 at rung epoch 1; only the top 1 go on");
        assertThat(pruned.metrics().get("val_accuracy").count()).isEqualTo(1);
        assertThat(runs.get(0).metrics().get("val_accuracy").count()).isEqualTo(4);
    }

    @Test
    void aMonitorThatIsNoEpochMetricFailsTheFirstTrialAndStopsTheSweep() {
        // once every trial of a grid failed the same way, each after a whole epoch
        String yaml = BASE + """
                sweep:
                  pruner: {name: median, monitor: test_accuracy}
                  parameters:
                    training.optimizer.learning_rate: [3.0e-3, 1.0e-3, 3.0e-4]
                """;
        assertThatThrownBy(() -> run(yaml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sweep.pruner.monitor 'test_accuracy' is not an epoch metric of this trial"
                        + " (test metrics are logged once, after training); did you mean 'val_accuracy'?")
                .hasMessageEndingWith("The sweep stops here (trial 0 is recorded as failed): its other trials"
                        + " monitor the same name.");
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            List<RunRecord> runs = store.runs("prune");
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.FAILED);
            assertThat(runs.get(0).errorMessage()).contains("did you mean 'val_accuracy'?");
            assertThat(runs.get(0).metrics().get("val_accuracy").count()).isEqualTo(1);
        }
    }
}
