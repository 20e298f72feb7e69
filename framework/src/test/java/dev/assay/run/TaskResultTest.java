package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.assay.track.MetricPoint;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import dev.assay.train.TrialContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the runner does with a task's returned final metrics (found by a fresh-clone plugin check). */
class TaskResultTest {

    @TempDir
    Path dir;

    /** Registers {@code returns}: logs {@code logged_one} at step 7 of epoch 2, then returns what it is told. */
    public static final class ReturnsPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerTask("returns", Returns.class);
        }
    }

    /** The task. */
    public static final class Returns implements TaskProvider {
        @Override
        public String description() {
            return "logs logged_one, returns null or {logged_one, returned_only}";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of(ParamDescriptor.of("null_result", ParamType.BOOLEAN, false, "return null"));
        }

        @Override
        public Map<String, Double> run(Params p, TrialContext ctx) {
            ctx.tracker().logMetric("logged_one", 7, 2, 0.25);
            return p.getBoolean("null_result") ? null : Map.of("logged_one", 0.25, "returned_only", 0.5);
        }
    }

    @Test
    void aNullResultFailsItsTrialAndAReturnedMetricTheTaskDidNotLogIsStored() {
        // a task returning null crashed the whole sweep with a NullPointerException after recording its run as
        // completed; a returned metric the task did not log was printed in the results table but never stored
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new ToyPlugins.ToyPlugin(), new ReturnsPlugin()));
        ExperimentSpec spec = SpecLoader.parse("""
                name: returning
                dataset: toy-data
                model: toy-net
                task: {name: returns}
                training: {epochs: 1, optimizer: sgd}
                sweep:
                  parameters:
                    task.params.null_result: [true, false]
                """, "returning.yaml", List.of());
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(50))) {
            List<TrialOutcome> outcomes = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of())
                    .run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)), SweepListener.NONE);

            assertThat(outcomes).hasSize(2);
            TrialOutcome nullResult = outcomes.get(0);
            assertThat(nullResult.status()).isEqualTo(RunStatus.FAILED);
            assertThat(nullResult.error()).isEqualTo("IllegalStateException: task 'returns' returned null instead of"
                    + " its final metrics (an empty map when it has none)");
            assertThat(nullResult.metrics()).isEmpty();
            assertThat(store.run(nullResult.runId()).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
            TrialOutcome returned = outcomes.get(1);
            assertThat(returned.status()).isEqualTo(RunStatus.COMPLETED);
            List<MetricPoint> only = store.metric(returned.runId(), "returned_only");
            assertThat(only).hasSize(1);
            assertThat(only.get(0).step()).isEqualTo(7);
            assertThat(only.get(0).epoch()).isEqualTo(2);
            assertThat(only.get(0).value()).isEqualTo(0.5);
            assertThat(store.metric(returned.runId(), "logged_one")).hasSize(1); // not logged a second time
        }
    }

    @Test
    void aFailureIsWarnedOfOnceWhereTheListenerShowsOutcomes() {
        // the CLI printed a failed trial's message twice: the runner's WARN line and the console's outcome
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new ToyPlugins.ToyPlugin(), new ReturnsPlugin()));
        ExperimentSpec spec = SpecLoader.parse("""
                name: failing
                dataset: toy-data
                model: toy-net
                task: {name: returns, params: {null_result: true}}
                training: {epochs: 1, optimizer: sgd}
                """, "failing.yaml", List.of());
        List<String> shown = new java.util.ArrayList<>();
        SweepListener console = new SweepListener() {
            @Override
            public void trialFinished(TrialOutcome outcome) {
                shown.add(outcome.error());
            }

            @Override
            public boolean showsOutcomes() {
                return true;
            }
        };
        List<String> warnings;
        try (dev.assay.testing.LogCapture log = new dev.assay.testing.LogCapture(SweepRunner.class.getName());
                TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(50))) {
            SweepRunner runner = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of());
            runner.run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)), SweepListener.NONE);
            runner.run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)), console);
            warnings = log.warnings();
        }
        String error = "IllegalStateException: task 'returns' returned null instead of its final metrics (an empty"
                + " map when it has none)";
        assertThat(warnings).containsExactly("Trial 0 failed: " + error); // the first run's, with no listener
        assertThat(shown).containsExactly(error);
    }
}
