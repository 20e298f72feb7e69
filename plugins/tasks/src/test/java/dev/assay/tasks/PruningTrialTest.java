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
import dev.assay.spec.SpecException;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.track.AsyncTracker;
import dev.assay.track.MetricPoint;
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
        return run(yaml, List.of());
    }

    private List<RunRecord> run(String yaml, List<Path> dataDirs) {
        return run(yaml, dataDirs, false);
    }

    private List<RunRecord> run(String yaml, List<Path> dataDirs, boolean rerun) {
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new DatasetsPlugin(),
                new ArchitecturesPlugin(), new OptimizersPlugin(), new TasksPlugin()));
        ExperimentSpec spec = SpecLoader.parse(yaml, "prune.yaml", List.of());
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(100))) {
            List<TrialOutcome> outcomes = new SweepRunner(registry, store, tracker,
                    dir.resolve("artifacts"), dataDirs).continueStoppedRuns(!rerun).run(spec,
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
    void aMonitoredValueBeyondTheDivergenceThresholdRecordsTheTrialDivergedAndTheSweepGoesOn() {
        // an SGD trial at learning rate 1e6 ended completed with a finite loss of about 1e9: nothing
        // but NaN or Inf counted as diverged. A cross-entropy above 0 is beyond a threshold of 0 at once.
        List<RunRecord> runs = run(BASE + """
                  early_stopping: {monitor: val_loss, patience: 10}
                sweep:
                  variants:
                    guarded: {training.early_stopping.divergence_threshold: 0.0}
                    unguarded: {}
                """);
        assertThat(runs).extracting(RunRecord::status).containsExactly(RunStatus.DIVERGED, RunStatus.COMPLETED);
        RunRecord diverged = runs.get(0);
        assertThat(diverged.tags()).containsEntry("diverged_epoch", "1");
        double valLoss = diverged.metrics().get("val_loss").last();
        assertThat(diverged.errorMessage()).isEqualTo(String.format(java.util.Locale.ROOT,
                "val_loss %.6g at epoch 1 is above training.early_stopping.divergence_threshold 0.00000", valLoss));
        assertThat(diverged.metrics().get("val_loss").count()).isEqualTo(1);
        assertThat(diverged.metrics()).doesNotContainKey("test_accuracy");
        assertThat(diverged.params()).containsEntry("training.early_stopping.divergence_threshold", "0.0");
        assertThat(runs.get(1).metrics().get("val_loss").count()).isEqualTo(4);
        assertThat(runs.get(1).params()).doesNotContainKey("training.early_stopping.divergence_threshold");
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
    void aRerunPrunesAgainstItsOwnTrialsAsTheFirstSweepDid() {
        String yaml = BASE + """
                sweep:
                  pruner: {name: median, monitor: val_accuracy, min_epochs: 1, min_trials: 1}
                  variants:
                    frozen: {training.optimizer.learning_rate: 0.0}
                    learns: {}
                """;
        // the first sweep: the frozen trial runs first, with no other trial to compare with
        assertThat(run(yaml)).extracting(RunRecord::status).containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED);
        // run again from scratch (a user's check): the frozen trial was compared with the learning trial's
        // earlier run, which the rerun had not reached yet, and pruned, where the first sweep had kept it
        List<RunRecord> again = RunRecord.newestPerTrial(run(yaml, List.of(), true));
        assertThat(again).hasSize(2).extracting(RunRecord::status)
                .containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED);
        assertThat(again).allSatisfy(r -> assertThat(r.metrics().get("val_accuracy").count()).isEqualTo(4));
    }

    @Test
    void aMonitorTheTaskDoesNotLogPerEpochIsRefusedWithItsLineBeforeAnyTrialRuns() {
        // until the task declared its metrics, every trial of a grid failed this way after an epoch
        String yaml = BASE + """
                sweep:
                  pruner: {name: median, monitor: test_accuracy}
                  parameters:
                    training.optimizer.learning_rate: [3.0e-3, 1.0e-3, 3.0e-4]
                """;
        assertThatThrownBy(() -> run(yaml)).isInstanceOf(SpecException.class)
                .hasMessage("prune.yaml:12:35: sweep.pruner.monitor: task 'classification' logs 'test_accuracy'"
                        + " once, after training, not at the end of each epoch; did you mean 'val_accuracy'?"
                        + " Its epoch metrics are epoch_time_s, samples_per_s, train_accuracy, train_loss,"
                        + " val_accuracy, val_loss.");
        assertThatThrownBy(() -> run(BASE.replace("  epochs: 4", "  epochs: 4\n  early_stopping: {monitor: val_los}")))
                .isInstanceOf(SpecException.class)
                .hasMessage("prune.yaml:9:29: training.early_stopping.monitor: task 'classification' logs no"
                        + " metric 'val_los'; did you mean 'val_loss'? Its epoch metrics are epoch_time_s,"
                        + " samples_per_s, train_accuracy, train_loss, val_accuracy, val_loss.");
        assertThat(dir.resolve("artifacts")).doesNotExist();
    }

    @Test
    void dataThatCannotBeFoundFailsTheFirstTrialAndStopsTheSweepUnlessTheSweepVariesTheDataset() throws Exception {
        // found by a new-user check: a --data-dir holding 1 of the 4 idx files failed each trial of the sweep in
        // 0.0 s with the same message, leaving a failed run per trial
        Path partial = TinyIdxFiles.write(dir.resolve("partial"), 256, 64);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(partial)) {
            for (Path f : files.sorted().skip(1).toList()) {
                java.nio.file.Files.delete(f);
            }
        }
        String grid = BASE + """
                sweep:
                  parameters:
                    training.optimizer.learning_rate: [3.0e-3, 1.0e-3, 3.0e-4]
                """;
        assertThatThrownBy(() -> run(grid, List.of(partial))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fashion-mnist: " + partial + " holds 1 of the 4 idx files")
                .hasMessageEndingWith("The sweep stops here (trial 0 is recorded as failed): its other trials read the"
                        + " same data.");
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            List<RunRecord> runs = store.runs("prune");
            assertThat(runs).extracting(RunRecord::status).containsExactly(RunStatus.FAILED);
            assertThat(runs.get(0).errorMessage()).startsWith("data unavailable: fashion-mnist: " + partial
                    + " holds 1 of the 4 idx files");
        }
        // a sweep that varies the dataset goes on: another value may read other data
        List<RunRecord> all = run(BASE + """
                sweep:
                  parameters:
                    dataset.params.limit_train: [128, 256]
                """, List.of(partial));
        assertThat(all).extracting(RunRecord::status).containsExactly(RunStatus.FAILED, RunStatus.FAILED,
                RunStatus.FAILED); // the grid's first trial, then both of these
    }

    @Test
    void aMonitorNotLoggedByThisTrialFailsTheFirstTrialAndStopsTheSweep() throws java.io.IOException {
        // val_accuracy is an epoch metric of the task, but only with a validation split
        String sweep = """
                sweep:
                  pruner: {name: median, monitor: val_accuracy}
                  parameters:
                    training.optimizer.learning_rate: [3.0e-3, 1.0e-3, 3.0e-4]
                """;
        // with validation_split 0 that is known when the file is read
        assertThatThrownBy(() -> run(BASE.replace("validation_split: 0.25", "validation_split: 0.0") + sweep))
                .isInstanceOf(SpecException.class).hasMessageContaining("sweep.pruner.monitor: 'val_accuracy' is"
                        + " logged only with a validation split");
        // 0.001 of files holding 256 images rounds to none: known only when the trial runs (a
        // limit_train of 256 is refused when the file is read: DatasetSplitRefusalTest)
        List<Path> files = List.of(TinyIdxFiles.write(dir.resolve("256-images"), 256, 64));
        String yaml = BASE.replace("limit_train: 256, ", "").replace("validation_split: 0.25", "validation_split: 0.001")
                + sweep;
        assertThatThrownBy(() -> run(yaml, files)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sweep.pruner.monitor 'val_accuracy' is not an epoch metric of this trial;"
                        + " did you mean 'train_accuracy'?")
                .hasMessageEndingWith("The sweep stops here (trial 0 is recorded as failed): its other trials"
                        + " monitor the same name.");
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            List<RunRecord> runs = store.runs("prune");
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.FAILED);
            assertThat(runs.get(0).errorMessage()).contains("did you mean 'train_accuracy'?");
            assertThat(runs.get(0).metrics().get("train_accuracy").count()).isEqualTo(1);
        }
    }

    @Test
    void aSweptMonitorThatOneTrialDoesNotLogFailsThatTrialAndTheSweepGoesOn() throws java.io.IOException {
        // the sweep used to stop at trial 0 "as its other trials monitor the same name": they do not
        // 0.001 of files holding 256 images rounds to no validation split, which only the trial finds out
        List<Path> files = List.of(TinyIdxFiles.write(dir.resolve("256-images"), 256, 64));
        String yaml = BASE.replace("limit_train: 256, ", "").replace("validation_split: 0.25", "validation_split: 0.001")
                .replace("  epochs: 4", "  epochs: 2\n  early_stopping: {patience: 5}") + """
                sweep:
                  parameters:
                    training.early_stopping.monitor: [val_accuracy, train_accuracy]
                """;
        List<RunRecord> runs = run(yaml, files);
        assertThat(runs).hasSize(2).extracting(RunRecord::status)
                .containsExactly(RunStatus.FAILED, RunStatus.COMPLETED);
        assertThat(runs.get(0).errorMessage()).startsWith("training.early_stopping.monitor 'val_accuracy' is not an"
                + " epoch metric of this trial");
        assertThat(runs.get(1).metrics().get("train_accuracy").count()).isEqualTo(2);
    }

    @Test
    void restoreBestWeightsTestsWithTheBestEpochsParametersAndTheLastEpochsOtherwise() {
        // a high learning rate on 192 training images: the validation loss is lowest at epoch 7 and
        // has not improved for 3 epochs at epoch 10
        String es = "  early_stopping: {monitor: val_loss, patience: 3%s}\n";
        String base = BASE.replace("epochs: 4", "epochs: 12").replace("3.0e-3", "3.0e-2")
                .replace("hidden: [16]", "hidden: [64]");
        RunRecord best = run(base + es.formatted(", restore_best_weights: true")).get(0);
        List<MetricPoint> valLoss;
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            valLoss = store.metric(best.runId(), "val_loss");
        }
        MetricPoint lowest = valLoss.stream().min(java.util.Comparator.comparingDouble(MetricPoint::value))
                .orElseThrow();
        int bestEpoch = lowest.epoch();
        assertThat(valLoss.size()).as("epochs trained").isGreaterThan(bestEpoch);
        assertThat(best.tags()).containsEntry("best_weights_epoch", String.valueOf(bestEpoch));
        assertThat(best.params()).containsEntry("training.early_stopping.restore_best_weights", "true");

        // the same trial trained for bestEpoch epochs only (same seed, same per-epoch data order) ends
        // with those parameters: its test metrics are the restored trial's
        RunRecord stoppedThere = runNamed("prune-at-best", base.replace("name: prune", "name: prune-at-best")
                .replace("epochs: 12", "epochs: " + bestEpoch)).get(0);
        assertThat(best.metrics().get("test_loss").last())
                .isCloseTo(stoppedThere.metrics().get("test_loss").last(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(best.metrics().get("test_accuracy").last())
                .isEqualTo(stoppedThere.metrics().get("test_accuracy").last());

        // without restore_best_weights the trial is tested with its last epoch's parameters
        RunRecord last = runNamed("prune-last", base.replace("name: prune", "name: prune-last")
                + es.formatted("")).get(0);
        assertThat(last.tags()).doesNotContainKey("best_weights_epoch");
        assertThat(last.metrics().get("val_loss").count()).isEqualTo(valLoss.size());
        assertThat(Math.abs(last.metrics().get("test_loss").last() - best.metrics().get("test_loss").last()))
                .isGreaterThan(1e-3);
    }

    private List<RunRecord> runNamed(String name, String yaml) {
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new DatasetsPlugin(),
                new ArchitecturesPlugin(), new OptimizersPlugin(), new TasksPlugin()));
        ExperimentSpec spec = SpecLoader.parse(yaml, name + ".yaml", List.of());
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(100))) {
            new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of()).run(spec,
                    SweepPlanner.plan(spec, new SpecBinder(registry)), SweepListener.NONE);
            return store.runs(name);
        }
    }
}
