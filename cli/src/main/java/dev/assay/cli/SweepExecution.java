package dev.assay.cli;

import dev.assay.plugin.PluginRegistry;
import dev.assay.run.ResumePlan;
import dev.assay.run.SweepRunner;
import dev.assay.run.TrialOutcome;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.AsyncTracker;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code assay run} and {@code assay resume} share: load and plan the experiment (nothing is
 * written unless every trial is valid), compare the plan with the store, run what is left, print
 * the table.
 *
 * @param file the experiment file
 * @param arguments command-line overrides and sweep axes
 * @param dataDirs directories searched first for datasets
 * @param rerun run every planned trial, even those the store has completed
 * @param dryRun list the plan and stop
 */
record SweepExecution(Path file, ExperimentSpec.Arguments arguments, List<Path> dataDirs,
        boolean rerun, boolean dryRun) {

    /**
     * Executes.
     *
     * @return 0 if every trial that ran completed, {@link Main#EXIT_TRIALS_FAILED} otherwise
     */
    int execute(PluginRegistry registry, StoreOptions store, PrintWriter out, PrintWriter err) {
        ExperimentSpec experiment = SpecLoader.load(file, arguments);
        List<TrialSpec> trials = SweepPlanner.plan(experiment, new SpecBinder(registry));
        if (dryRun) {
            out.println(Tables.plan(trials));
            out.println(trials.size() + " trial(s) planned for experiment '" + experiment.name()
                    + "'; nothing was run.");
            return 0;
        }
        String url = store.jdbcUrl();
        try (TrackingStore db = TrackingStore.open(url);
                AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(500))) {
            ResumePlan plan = rerun ? ResumePlan.all(trials)
                    : ResumePlan.of(db, experiment.name(), trials, SweepRunner.STALE_AFTER);
            report(plan, trials.size(), err);
            SweepRunner runner = new SweepRunner(registry, db, tracker, store.artifactRoot(), dataDirs);
            List<TrialOutcome> outcomes;
            try (ConsoleSweepListener console = new ConsoleSweepListener(err, System.console() != null);
                    StopSignals signals = StopSignals.install(runner::interruptCurrent)) {
                outcomes = runner.run(experiment, plan.toRun(), console);
            }
            out.println();
            out.println("Experiment '" + experiment.name() + "' (" + url + ")");
            out.println(Tables.runs(latestPerTrial(db.runs(experiment.name()), trials), null, true));
            out.println(Tables.summary(outcomes) + (plan.done().isEmpty() ? ""
                    : "; " + plan.done().size() + " already done before"));
            return outcomes.stream().allMatch(o -> o.status() == RunStatus.COMPLETED) ? 0
                    : Main.EXIT_TRIALS_FAILED;
        }
    }

    /** The newest run of each planned trial, in plan order. */
    private static List<RunRecord> latestPerTrial(List<RunRecord> runs, List<TrialSpec> trials) {
        Map<String, RunRecord> latest = new HashMap<>();
        for (RunRecord r : runs) {
            latest.merge(r.trialKey(), r, (a, b) -> a.startTimeMillis() >= b.startTimeMillis() ? a : b);
        }
        return trials.stream().map(t -> latest.get(t.trialKey())).filter(Objects::nonNull).toList();
    }

    private static void report(ResumePlan plan, int planned, PrintWriter err) {
        if (plan.staleMarked() > 0) {
            err.println("Marked " + plan.staleMarked() + " run(s) of a stopped process as interrupted.");
        }
        if (!plan.done().isEmpty() || !plan.elsewhere().isEmpty()) {
            err.println("Resuming: " + plan.done().size() + " of " + planned
                    + " trial(s) already completed or diverged"
                    + (plan.elsewhere().isEmpty() ? "" : ", " + plan.elsewhere().size()
                    + " running in another process") + "; running " + plan.toRun().size()
                    + " (use --rerun to run them all again).");
        }
        err.flush();
    }
}
