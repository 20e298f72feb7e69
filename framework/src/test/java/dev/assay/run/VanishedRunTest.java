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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial whose run disappears from the store while it trains (another process deleted it, or a
 * served store lost the commit that created it) fails with a message saying so; the sweep goes on.
 */
class VanishedRunTest {

    @TempDir
    Path dir;

    /** The store's URL, for the task that deletes its own run. */
    private static String url;

    /** Registers {@code vanish}: logs a metric and, when {@code delete} is set, deletes its own run. */
    public static final class VanishPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerTask("vanish", Vanish.class);
        }
    }

    /** The task. */
    public static final class Vanish implements TaskProvider {
        @Override
        public String description() {
            return "logs val_loss = 1, then deletes its run if asked, or fails if asked";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of(ParamDescriptor.of("delete", ParamType.BOOLEAN, false, "delete the run"),
                    ParamDescriptor.of("fail", ParamType.BOOLEAN, false, "log nothing, and throw at the end"));
        }

        @Override
        public Map<String, Double> run(Params p, TrialContext ctx) {
            if (!p.getBoolean("fail")) { // a failing one logs nothing, whose write would fail first
                ctx.tracker().logMetric("val_loss", 1, 1, 1.0);
            }
            if (p.getBoolean("delete")) {
                try (Connection c = DriverManager.getConnection(url);
                        PreparedStatement delete = c.prepareStatement("DELETE FROM runs WHERE run_id = ?")) {
                    delete.setString(1, ctx.tracker().runId());
                    assertThat(delete.executeUpdate()).isEqualTo(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (p.getBoolean("fail")) {
                throw new IllegalStateException("boom");
            }
            return Map.of("val_loss", 1.0);
        }
    }

    @Test
    void aTrialWhoseRunVanishedFailsAndTheSweepGoesOn() {
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new ToyPlugins.ToyPlugin(), new VanishPlugin()));
        ExperimentSpec spec = SpecLoader.parse("""
                name: vanishing
                dataset: toy-data
                model: toy-net
                task: {name: vanish}
                training: {epochs: 1, optimizer: sgd}
                sweep:
                  parameters:
                    task.params.delete: [true, false]
                """, "vanishing.yaml", List.of());
        url = TrackingStore.defaultUrl(dir.resolve("store"));
        try (TrackingStore store = TrackingStore.open(url);
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(50))) {
            List<TrialOutcome> outcomes = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of())
                    .run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)), SweepListener.NONE);
            assertThat(outcomes).hasSize(2);
            TrialOutcome vanished = outcomes.get(0);
            assertThat(vanished.status()).isEqualTo(RunStatus.FAILED);
            assertThat(vanished.error()).startsWith("its run could not be recorded as finished (completed): ")
                    .contains("No run with id '" + vanished.runId() + "' exists.");
            TrialOutcome next = outcomes.get(1);
            assertThat(next.status()).isEqualTo(RunStatus.COMPLETED);
            List<RunRecord> runs = store.runs("vanishing");
            assertThat(runs).extracting(RunRecord::runId).containsExactly(next.runId());
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(runs.get(0).metrics()).containsKey("val_loss");
        }
    }

    @Test
    void aFailedTrialWhoseRunCannotBeMarkedFailedIsShownOnceSayingBoth() {
        // the console printed it twice: the runner's ERROR line and the listener's outcome, both with the message
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new ToyPlugins.ToyPlugin(), new VanishPlugin()));
        ExperimentSpec spec = SpecLoader.parse("""
                name: vanishing
                dataset: toy-data
                model: toy-net
                task: {name: vanish, params: {delete: true, fail: true}}
                training: {epochs: 1, optimizer: sgd}
                """, "vanishing.yaml", List.of());
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
        url = TrackingStore.defaultUrl(dir.resolve("store"));
        List<String> logged;
        List<String> loggedWithoutListener;
        String runId;
        try (TrackingStore store = TrackingStore.open(url);
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(50))) {
            SweepRunner runner = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of());
            try (dev.assay.testing.LogCapture log = new dev.assay.testing.LogCapture("dev.assay")) {
                runId = runner.run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)), console).get(0).runId();
                logged = log.warnings();
            }
            try (dev.assay.testing.LogCapture log = new dev.assay.testing.LogCapture(SweepRunner.class.getName())) {
                runner.run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)), SweepListener.NONE);
                loggedWithoutListener = log.warnings();
            }
        }
        assertThat(shown).containsExactly("IllegalStateException: boom; its run could not be recorded as finished"
                + " (failed): IllegalArgumentException: No run with id '" + runId + "' exists.");
        assertThat(logged).isEmpty();
        assertThat(loggedWithoutListener).singleElement().asString()
                .startsWith("Trial 0 failed: IllegalStateException: boom; its run could not be recorded as finished"
                        + " (failed): ");
    }
}
