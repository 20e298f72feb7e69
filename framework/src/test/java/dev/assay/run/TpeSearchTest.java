package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assay.plugin.AssayPlugin;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.TaskProvider;
import dev.assay.plugin.ToyPlugins;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.track.AsyncTracker;
import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import dev.assay.train.TrialContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TPE against random search on a cheap synthetic objective with a known optimum:
 * {@code f(x, y) = (x - 1.3)² + (y + 0.7)²} on {@code [-5, 5]²}, minimum 0 at (1.3, -0.7).
 */
class TpeSearchTest {

    /** Registers {@code quadratic}: logs f(x, y) as {@code val_loss}; no training. */
    public static final class QuadraticPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerTask("quadratic", Quadratic.class);
        }
    }

    /** The synthetic objective as a task. */
    public static final class Quadratic implements TaskProvider {
        @Override
        public String description() {
            return "(x - 1.3)^2 + (y + 0.7)^2";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of(ParamDescriptor.of("x", ParamType.DOUBLE, 0.0, "x"),
                    ParamDescriptor.of("y", ParamType.DOUBLE, 0.0, "y"));
        }

        @Override
        public Map<String, Double> run(Params p, TrialContext ctx) {
            double f = Math.pow(p.getDouble("x") - 1.3, 2) + Math.pow(p.getDouble("y") + 0.7, 2);
            ctx.tracker().logMetric("val_loss", 1, 1, f);
            return Map.of("val_loss", f);
        }
    }

    @TempDir
    Path dir;

    private static final PluginRegistry REGISTRY = PluginRegistry.fromModules(
            List.of(new ToyPlugins.ToyPlugin(), new QuadraticPlugin()));

    private static String yaml(String strategy, int seed) {
        return """
                name: %s-%d
                dataset: toy-data
                model: toy-net
                task: quadratic
                training: {epochs: 1, optimizer: sgd}
                sweep:
                  strategy: %s
                  n_trials: 40
                  seed: %d
                %s  parameters:
                    task.params.x: {distribution: uniform, low: -5.0, high: 5.0}
                    task.params.y: {distribution: uniform, low: -5.0, high: 5.0}
                """.formatted(strategy, seed, strategy, seed, strategy.equals("tpe")
                        // read by TPE alone; a random search refuses them (SpecErrorsTest)
                        ? "  objective: val_loss\n  n_startup_trials: 10\n" : "");
    }

    /** Runs a sweep and returns the best objective found. */
    private double best(String strategy, int seed, Path store) {
        ExperimentSpec spec = SpecLoader.parse(yaml(strategy, seed), "q.yaml", List.of());
        SpecBinder binder = new SpecBinder(REGISTRY);
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store));
                AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(50))) {
            SweepRunner runner = new SweepRunner(REGISTRY, db, tracker, store.resolve("a"), List.of());
            if (strategy.equals("tpe")) {
                runner.runAdaptive(spec, binder, SweepListener.NONE);
            } else {
                runner.run(spec, SweepPlanner.plan(spec, binder), SweepListener.NONE);
            }
            tracker.flush();
            List<RunRecord> runs = db.runs(spec.name());
            assertThat(runs).hasSize(40);
            return runs.stream().mapToDouble(r -> r.metrics().get("val_loss").min()).min().orElseThrow();
        }
    }

    @Test
    void tpeFindsABetterPointThanRandomSearchAveragedOverSeeds() {
        double tpe = 0;
        double random = 0;
        int seeds = 4;
        for (int seed = 0; seed < seeds; seed++) {
            tpe += best("tpe", seed, dir.resolve("s" + seed));
            random += best("random", seed, dir.resolve("s" + seed));
        }
        tpe /= seeds;
        random /= seeds;
        assertThat(tpe).as("mean best f: tpe %.4f vs random %.4f", tpe, random)
                .isLessThan(random / 2);
    }

    @Test
    void theSameSeedProposesTheSameTrials() {
        best("tpe", 7, dir.resolve("a"));
        best("tpe", 7, dir.resolve("b"));
        List<String> a;
        List<String> b;
        try (TrackingStore x = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("a")));
                TrackingStore y = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("b")))) {
            a = x.runs("tpe-7").stream().map(RunRecord::trialKey).toList();
            b = y.runs("tpe-7").stream().map(RunRecord::trialKey).toList();
        }
        assertThat(a).hasSize(40).doesNotHaveDuplicates().isEqualTo(b);
    }

    @Test
    void aProposalRepeatingAFinishedTrialIsDrawnAgainSoASmallSpaceIsCoveredThenTheSweepEnds() {
        // over three values TPE kept proposing the best one after two start-up trials; each repeat was skipped
        // and used up a trial, so 2 of n_trials ran and the third value was never tried (fresh-clone check)
        String yaml = """
                name: categorical
                dataset: toy-data
                model: toy-net
                task: quadratic
                training: {epochs: 1, optimizer: sgd}
                sweep:
                  strategy: tpe
                  n_trials: 6
                  seed: 1
                  objective: val_loss
                  n_startup_trials: 2
                  parameters:
                    task.params.x: [1.0, 0.0, -5.0]
                """;
        ExperimentSpec spec = SpecLoader.parse(yaml, "c.yaml", List.of());
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("c")));
                AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(50))) {
            List<TrialOutcome> ran = new SweepRunner(REGISTRY, db, tracker, dir.resolve("ca"), List.of())
                    .runAdaptive(spec, new SpecBinder(REGISTRY), SweepListener.NONE);
            tracker.flush();
            assertThat(ran).hasSize(3); // every configuration once; then no proposal is new and the sweep ends
            assertThat(db.runs("categorical")).extracting(r -> r.params().get("task.params.x"))
                    .containsExactlyInAnyOrder("1.0", "0.0", "-5.0");
            assertThat(db.runs("categorical")).extracting(RunRecord::trialIndex).containsExactlyInAnyOrder(0, 1, 2);
        }
    }

    @Test
    void rerunningAFinishedTpeSweepRunsNothingMore() {
        best("tpe", 3, dir.resolve("r"));
        ExperimentSpec spec = SpecLoader.parse(yaml("tpe", 3), "q.yaml", List.of());
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("r")));
                AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(50))) {
            List<TrialOutcome> again = new SweepRunner(REGISTRY, db, tracker, dir.resolve("a"),
                    List.of()).runAdaptive(spec, new SpecBinder(REGISTRY), SweepListener.NONE);
            assertThat(again).isEmpty();
            assertThat(db.runs("tpe-3")).hasSize(40);
        }
    }

    @Test
    void aChangedTpeFileInTheSameExperimentIsANewSearchAndALargerBudgetGoesOnWithTheOldOne() {
        // found by a new-user check: trials were counted by number alone, so after a 6-trial sweep the same
        // file with another model (or an added axis, or a file named like a grid experiment) ran nothing:
        // "4 of 4 TPE trial(s) already completed"
        String yaml = """
                name: searches
                dataset: toy-data
                model: toy-net
                task: quadratic
                training: {epochs: 1, optimizer: sgd}
                sweep:
                  strategy: tpe
                  n_trials: 6
                  seed: 2
                  objective: val_loss
                  n_startup_trials: 3
                  parameters:
                    task.params.x: {distribution: uniform, low: -5.0, high: 5.0}
                """;
        SpecBinder binder = new SpecBinder(REGISTRY);
        ExperimentSpec first = SpecLoader.parse(yaml, "s.yaml", List.of());
        ExperimentSpec changed = SpecLoader.parse(yaml.replace("epochs: 1", "epochs: 2"), "s.yaml", List.of());
        ExperimentSpec longer = SpecLoader.parse(yaml.replace("n_trials: 6", "n_trials: 8"), "s.yaml", List.of());
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("searches")));
                AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(50))) {
            SweepRunner runner = new SweepRunner(REGISTRY, db, tracker, dir.resolve("sa"), List.of());
            assertThat(runner.runAdaptive(first, binder, SweepListener.NONE)).hasSize(6);
            tracker.flush();
            assertThat(SweepRunner.finishedAdaptiveTrials(db, first, binder)).isEqualTo(6);
            assertThat(SweepRunner.finishedAdaptiveTrials(db, changed, binder)).isZero();

            // the changed file is a search of its own: all 6 of its trials run, trained for 2 epochs
            assertThat(runner.runAdaptive(changed, binder, SweepListener.NONE)).hasSize(6);
            tracker.flush();
            assertThat(db.runs("searches")).hasSize(12)
                    .filteredOn(r -> r.params().get("training.epochs").equals("2")).hasSize(6);
            // the first file again finds its 6 done, and with n_trials 8 runs 2 more of the same search
            assertThat(runner.runAdaptive(first, binder, SweepListener.NONE)).isEmpty();
            assertThat(SweepRunner.finishedAdaptiveTrials(db, longer, binder)).isEqualTo(6);
            assertThat(runner.runAdaptive(longer, binder, SweepListener.NONE)).extracting(o -> o.trial().index())
                    .containsExactly(6, 7);
        }
    }

    @Test
    void aMisspelledObjectiveStopsTheSweepAfterTheFirstTrialNamingTheLoggedMetrics() {
        ExperimentSpec spec = SpecLoader.parse(yaml("tpe", 3).replace("objective: val_loss", "objective: val_los"),
                "q.yaml", List.of());
        Path store = dir.resolve("misspelled");
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store));
                AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(50))) {
            SweepRunner runner = new SweepRunner(REGISTRY, db, tracker, store.resolve("a"), List.of());
            assertThatThrownBy(() -> runner.runAdaptive(spec, new SpecBinder(REGISTRY), SweepListener.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("sweep.objective 'val_los' of experiment 'tpe-3' was logged by none of its completed"
                            + " trials; did you mean 'val_loss'? They logged val_loss. The finished trials stay"
                            + " recorded; fix the name and run the experiment again to go on.");
            // the one trial that ran is recorded, completed, with its metric
            tracker.flush();
            List<RunRecord> runs = db.runs(spec.name());
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).status()).isEqualTo(dev.assay.track.RunStatus.COMPLETED);
            assertThat(runs.get(0).metrics()).containsKey("val_loss");
        }
    }
}
