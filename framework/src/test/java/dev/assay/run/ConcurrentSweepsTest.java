package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.ToyPlugins;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.AsyncTracker;
import dev.assay.track.NewRun;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sweeps of one experiment on one store (two {@code assay run}s started a little apart): a
 * trial the other process has taken since this sweep was planned is skipped, not trained twice.
 */
class ConcurrentSweepsTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.fromModules(
            List.of(new ToyPlugins.ToyPlugin(), new TpeSearchTest.QuadraticPlugin()));

    @TempDir
    Path dir;

    @Test
    void trialsTakenByAnotherProcessAfterPlanningAreSkipped() {
        ExperimentSpec spec = SpecLoader.parse("""
                name: q
                dataset: toy-data
                model: toy-net
                task: quadratic
                training: {epochs: 1, optimizer: sgd}
                sweep: {parameters: {task.params.x: [0.0, 1.0, 2.0, 3.0]}}
                """, "q.yaml", List.of());
        List<TrialSpec> trials = SweepPlanner.plan(spec, new SpecBinder(REGISTRY));
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir));
                AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(50))) {
            // after this process planned, another one completed trial 1 and is running trial 2
            new SweepRunner(REGISTRY, db, tracker, dir.resolve("a"), List.of())
                    .run(spec, List.of(trials.get(1)), SweepListener.NONE);
            TrialSpec t2 = trials.get(2);
            db.createRun(new NewRun(spec.name(), null, t2.runName(), t2.index(), t2.trialKey(), t2.seed(),
                    null, null, Map.of(), Map.of()));

            List<String> skipped = new ArrayList<>();
            SweepRunner second = new SweepRunner(REGISTRY, db, tracker, dir.resolve("a"), List.of());
            List<TrialOutcome> outcomes = second.run(spec, trials, new SweepListener() {
                        @Override
                        public void trialSkipped(TrialSpec trial, int total, String reason) {
                            skipped.add(trial.index() + " of " + total + ": " + reason);
                        }
                    });

            assertThat(outcomes).extracting(o -> o.trial().index()).containsExactly(0, 3);
            assertThat(skipped).containsExactly(
                    "1 of 4: its run is already completed (by another process)",
                    "2 of 4: its run is running in another process");
            assertThat(db.runs("q")).extracting(RunRecord::trialIndex).containsExactlyInAnyOrder(0, 1, 2, 3);

            // a runner may run a trial it ran itself again (the benchmarks do); a third one may not;
            // --rerun (no continuation) runs whatever it is given
            assertThat(second.run(spec, List.of(trials.get(0)), SweepListener.NONE))
                    .extracting(TrialOutcome::status).containsExactly(RunStatus.COMPLETED);
            SweepRunner third = new SweepRunner(REGISTRY, db, tracker, dir.resolve("a"), List.of());
            assertThat(third.run(spec, List.of(trials.get(3)), SweepListener.NONE)).isEmpty();
            assertThat(new SweepRunner(REGISTRY, db, tracker, dir.resolve("a"), List.of())
                    .continueStoppedRuns(false).run(spec, List.of(trials.get(1)), SweepListener.NONE))
                    .hasSize(1);
        }
    }

    @Test
    void twoSweepsOfOneExperimentStartedTogetherTrainEachTrialOnce() throws Exception {
        ExperimentSpec spec = SpecLoader.parse("""
                name: q2
                dataset: toy-data
                model: toy-net
                task: quadratic
                training: {epochs: 1, optimizer: sgd}
                sweep: {parameters: {task.params.x: [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]}}
                """, "q2.yaml", List.of());
        List<TrialSpec> trials = SweepPlanner.plan(spec, new SpecBinder(REGISTRY));
        String url = TrackingStore.defaultUrl(dir);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<List<TrialOutcome>> sweep = () -> {
            try (TrackingStore db = TrackingStore.open(url);
                    AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(50))) {
                SweepRunner runner = new SweepRunner(REGISTRY, db, tracker, dir.resolve("a"), List.of());
                start.await();
                return runner.run(spec, trials, SweepListener.NONE);
            }
        };
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(sweep);
            var second = pool.submit(sweep);
            int trained = first.get(120, java.util.concurrent.TimeUnit.SECONDS).size()
                    + second.get(120, java.util.concurrent.TimeUnit.SECONDS).size();
            try (TrackingStore db = TrackingStore.open(url)) {
                // each trial ran once, by one of the two; none twice
                assertThat(db.runs("q2")).extracting(RunRecord::trialIndex)
                        .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
                assertThat(trained).isEqualTo(8);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
