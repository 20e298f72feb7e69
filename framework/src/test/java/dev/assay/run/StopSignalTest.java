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
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import dev.assay.train.TrialContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop signal (Ctrl-C, SIGTERM) during a sweep: the trial in progress stays {@code interrupted}
 * even if its training then ends normally, and no further trial starts (a run created while the
 * process exited was left {@code running}, and resume skipped its trial as running elsewhere).
 */
class StopSignalTest {

    @TempDir
    Path dir;

    /** Steps the task took after the signal. */
    static final java.util.concurrent.atomic.AtomicInteger STEPS_AFTER_SIGNAL = new java.util.concurrent.atomic.AtomicInteger();

    /** The runner the task signals, as the signal handler's thread would. */
    private static SweepRunner runner;

    /** Registers {@code signalled}: logs a metric; when {@code stop} is set, a stop signal comes first. */
    public static final class SignalPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerTask("signalled", Signalled.class);
        }
    }

    /** The task. */
    public static final class Signalled implements TaskProvider {
        @Override
        public String description() {
            return "logs val_loss = 1; with stop, a stop signal arrives while it trains";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of(ParamDescriptor.of("stop", ParamType.BOOLEAN, false, "signal while training"),
                    ParamDescriptor.of("steps_after", ParamType.INT, 0, "steps reported after the signal"));
        }

        @Override
        public Map<String, Double> run(Params p, TrialContext ctx) {
            ctx.tracker().logMetric("val_loss", 1, 1, 1.0);
            if (p.getBoolean("stop")) {
                Thread signal = new Thread(runner::interruptCurrent, "signal-handler");
                signal.start();
                try {
                    signal.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            for (int step = 1; step <= p.getInt("steps_after"); step++) {
                ctx.progress().stepDone(step, 0.5); // the first one after the signal ends the trial
                STEPS_AFTER_SIGNAL.incrementAndGet();
            }
            return Map.of("val_loss", 1.0); // training ends normally after the signal
        }
    }

    @Test
    void theTrialInProgressStaysInterruptedAndNoFurtherTrialStarts() {
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new ToyPlugins.ToyPlugin(), new SignalPlugin()));
        ExperimentSpec spec = SpecLoader.parse("""
                name: signalled
                dataset: toy-data
                model: toy-net
                task: {name: signalled}
                training: {epochs: 1, optimizer: sgd}
                sweep:
                  variants: {first: {}, stopped: {task.params.stop: true}, never: {training.epochs: 2}}
                """, "signalled.yaml", List.of());
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(50))) {
            runner = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of());
            List<TrialOutcome> outcomes = runner.run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)),
                    SweepListener.NONE);
            assertThat(outcomes).extracting(TrialOutcome::status)
                    .containsExactly(RunStatus.COMPLETED, RunStatus.INTERRUPTED);
            List<RunRecord> runs = store.runs("signalled");
            assertThat(runs).hasSize(2); // none for the third trial
            assertThat(store.run(outcomes.get(1).runId()).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(store.run(outcomes.get(1).runId()).orElseThrow().errorMessage())
                    .isEqualTo("interrupted (process stopped)");
            assertThat(store.run(outcomes.get(0).runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        }
    }

    @Test
    void theTrialInProgressStopsAtItsNextStepRatherThanTrainingOn() {
        // workers of a sweep killed with kill -9 trained on for 5-10 s (some through their last
        // epoch and test) while their stop recorded the run interrupted, taking the store over
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new ToyPlugins.ToyPlugin(), new SignalPlugin()));
        ExperimentSpec spec = SpecLoader.parse("""
                name: signalled
                dataset: toy-data
                model: toy-net
                task: {name: signalled, params: {stop: true, steps_after: 1000}}
                training: {epochs: 1, optimizer: sgd}
                """, "signalled.yaml", List.of());
        STEPS_AFTER_SIGNAL.set(0);
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(50))) {
            runner = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of());
            List<TrialOutcome> outcomes = runner.run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)),
                    SweepListener.NONE);
            assertThat(STEPS_AFTER_SIGNAL.get()).isZero();
            assertThat(outcomes).extracting(TrialOutcome::status).containsExactly(RunStatus.INTERRUPTED);
            assertThat(outcomes.get(0).error()).isEqualTo("interrupted (process stopped)");
            assertThat(store.run(outcomes.get(0).runId()).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
        }
    }
}
