package dev.assay.cli;

import dev.assay.plugin.PluginRegistry;
import dev.assay.run.SweepRunner;
import dev.assay.run.TrialOutcome;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.AsyncTracker;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code assay run FILE [path=value ...]}: checks the experiment file and every planned trial,
 * then trains the trials one after another, recording each run, and prints a results table.
 * Nothing is written to the store unless the whole file and every trial are valid.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment file: every trial of its sweep, recorded in the store.")
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "experiment YAML file")
    Path file;

    @Parameters(index = "1..*", paramLabel = "path=value",
            description = "overrides, e.g. training.epochs=3 model.params.dropout=0.5")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "directory searched first for datasets (repeatable; also $ASSAY_DATA_DIR)")
    List<Path> dataDirs = new ArrayList<>();

    @Option(names = "--dry-run", description = "check the file and list the planned trials; train nothing")
    boolean dryRun;

    @Mixin
    StoreOptions store;

    @Mixin
    PluginOptions plugins;

    @Spec
    CommandSpec spec;

    /**
     * Runs the command.
     *
     * @return 0 if every trial completed, 3 if some failed or diverged
     */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PluginRegistry registry = plugins.load();
        ExperimentSpec experiment = SpecLoader.load(file, overrides);
        List<TrialSpec> trials = SweepPlanner.plan(experiment, new SpecBinder(registry));
        if (dryRun) {
            out.println(Tables.plan(trials));
            out.println(trials.size() + " trial(s) planned for experiment '" + experiment.name()
                    + "'; nothing was run.");
            return 0;
        }
        List<TrialOutcome> outcomes = runAll(registry, experiment, trials, out);
        long bad = outcomes.stream().filter(o -> o.status() != RunStatus.COMPLETED).count();
        return bad == 0 ? 0 : Main.EXIT_TRIALS_FAILED;
    }

    private List<TrialOutcome> runAll(PluginRegistry registry, ExperimentSpec experiment,
            List<TrialSpec> trials, PrintWriter out) {
        String url = store.jdbcUrl();
        try (TrackingStore db = TrackingStore.open(url);
                AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(500))) {
            SweepRunner runner = new SweepRunner(registry, db, tracker, store.artifactRoot(), dataDirs);
            List<TrialOutcome> outcomes;
            try (ConsoleSweepListener console = new ConsoleSweepListener(spec.commandLine().getErr(),
                    System.console() != null);
                    StopSignals signals = StopSignals.install(runner::interruptCurrent)) {
                outcomes = runner.run(experiment, trials, console);
            }
            out.println();
            out.println("Experiment '" + experiment.name() + "' (" + url + ")");
            out.println(Tables.runs(db.runs(experiment.name()).stream()
                    .filter(r -> outcomes.stream().anyMatch(o -> o.runId().equals(r.runId())))
                    .toList(), null, true));
            out.println(Tables.summary(outcomes));
            return outcomes;
        }
    }
}
