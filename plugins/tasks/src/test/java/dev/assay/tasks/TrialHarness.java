package dev.assay.tasks;

import dev.assay.architectures.ArchitecturesPlugin;
import dev.assay.datasets.DatasetsPlugin;
import dev.assay.optimizers.OptimizersPlugin;
import dev.assay.plugin.AssayPlugin;
import dev.assay.plugin.PluginRegistry;
import dev.assay.run.SweepListener;
import dev.assay.run.SweepRunner;
import dev.assay.run.TrialOutcome;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.AsyncTracker;
import dev.assay.track.MetricPoint;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs YAML experiments end to end (planner, SweepRunner, real plugins, H2 file store in a temp
 * directory) for the trial tests of every task.
 */
final class TrialHarness implements AutoCloseable {

    private final Path dir;
    private final TrackingStore store;
    private final AsyncTracker tracker;

    private Duration checkpointInterval = SweepRunner.DEFAULT_CHECKPOINT_INTERVAL;

    /**
     * Opens a store under {@code dir}.
     *
     * @param dir a temporary directory
     */
    TrialHarness(Path dir) {
        this.dir = dir;
        this.store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")));
        this.tracker = new AsyncTracker(store, Duration.ofMillis(100));
    }


    /**
     * Plans and runs every trial of an experiment.
     *
     * @param yaml the experiment file's text
     * @return the outcomes, in trial order
     */
    List<TrialOutcome> run(String yaml) {
        return run(yaml, SweepListener.NONE);
    }

    /**
     * Plans and runs every trial of an experiment with a listener; the harness directory is
     * searched first for data files.
     *
     * @param yaml the experiment file's text
     * @param listener the sweep's callbacks
     * @return the outcomes, in trial order
     */
    List<TrialOutcome> run(String yaml, SweepListener listener) {
        List<AssayPlugin> modules = List.of(new DatasetsPlugin(), new ArchitecturesPlugin(),
                new OptimizersPlugin(), new TasksPlugin());
        PluginRegistry registry = PluginRegistry.fromModules(modules);
        ExperimentSpec spec = SpecLoader.parse(yaml, "tiny.yaml", List.of());
        List<TrialSpec> trials = SweepPlanner.plan(spec, new SpecBinder(registry));
        SweepRunner runner = new SweepRunner(registry, store, tracker, artifactRoot(), List.of(dir))
                .checkpointInterval(checkpointInterval);
        List<TrialOutcome> outcomes = runner.run(spec, trials, listener);
        tracker.flush();
        return outcomes;
    }

    /**
     * Sets the least time between two checkpoints of the trials run next (the runner's default
     * until called).
     *
     * @param interval the interval; zero checkpoints every epoch
     * @return this harness
     */
    TrialHarness checkpointInterval(Duration interval) {
        this.checkpointInterval = interval;
        return this;
    }

    /**
     * Returns the directory holding each run's artifacts in {@code <runId>/}.
     *
     * @return the artifact root
     */
    Path artifactRoot() {
        return dir.resolve("artifacts");
    }

    /**
     * Returns the store.
     *
     * @return the store
     */
    TrackingStore store() {
        return store;
    }

    /**
     * Returns the values of one metric series, in step order.
     *
     * @param runId the run
     * @param key the metric
     * @return the values
     */
    List<Double> values(String runId, String key) {
        return store.metric(runId, key).stream().map(MetricPoint::value).toList();
    }

    @Override
    public void close() {
        tracker.close();
        store.close();
    }
}
