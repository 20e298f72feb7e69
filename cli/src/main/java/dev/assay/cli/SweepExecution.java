package dev.assay.cli;

import dev.assay.plugin.PluginRegistry;
import dev.assay.run.DataConsistency;
import dev.assay.run.EngineSelection;
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
 * @param rerun run every planned trial, even those the store has completed, each from epoch 1
 * @param dryRun list the plan and stop
 * @param parallel trials run at once, each in its own JVM when above 1 (also when the trials
 *     name more than one engine)
 * @param staleAfter a {@code running} run without a heartbeat for this long is taken as dead
 * @param checkpointInterval the least time between two checkpoints of a trial before its last
 *     epoch
 * @param rerunHint how to run everything again, for the resume message (it differs between
 *     {@code run} and {@code resume})
 */
record SweepExecution(Path file, ExperimentSpec.Arguments arguments, List<Path> dataDirs,
        boolean rerun, boolean dryRun, int parallel, Duration staleAfter, Duration checkpointInterval,
        String rerunHint) {

    /**
     * Executes.
     *
     * @return 0 if every trial that ran completed or was pruned, {@code 128 + signal number} when
     *     SIGINT or SIGTERM stopped a sweep run in worker processes (a sweep run in this process
     *     exits from the signal handler with that code), {@link Main#EXIT_TRIALS_FAILED} otherwise
     */
    int execute(PluginRegistry registry, StoreOptions store, PluginOptions plugins, PrintWriter out,
            PrintWriter err) {
        checkDataDirs(dataDirs, System.getenv("ASSAY_DATA_DIR"));
        if (dryRun) {
            store.validate(); // as a run does: an empty --store or a URL no driver takes passed a dry run, exit 0
        }
        ExperimentSpec experiment = SpecLoader.load(file, arguments);
        // a --sweep or an override that replaces or removes an axis: other trials than the user may think
        experiment.planNotes().forEach(note -> err.println("note: " + note));
        List<TrialSpec> trials = SweepPlanner.plan(experiment, new SpecBinder(registry));
        boolean tpe = experiment.sweep().strategy().equals("tpe");
        if (dryRun) {
            out.println(Tables.plan(trials));
            int proposedLater = tpe ? experiment.sweep().trials() - trials.size() : 0;
            out.println(tpe ? experiment.sweep().trials() + " TPE trial(s) for experiment '" + experiment.name()
                    + "': the " + trials.size() + " above are its random start-up"
                    + (proposedLater > 0 ? ", the other " + proposedLater + " will be proposed from the results"
                            + " as the sweep runs" : "") + tpeDoneNote(store, experiment, registry) + "; nothing was run."
                    : trials.size() + " trial(s) planned for experiment '" + experiment.name() + "'" + doneNote(store,
                            experiment.name(), trials) + "; nothing was run.");
            return 0;
        }
        if (tpe && parallel > 1) {
            throw new IllegalArgumentException("--parallel does not apply to strategy: tpe, which"
                    + " proposes each trial from the results of the ones before");
        }
        if (tpe && SweepPlanner.axes(experiment).containsKey("engine")) {
            throw new IllegalArgumentException("strategy: tpe cannot sweep engine (its trials run in"
                    + " one process, which loads one engine); use grid or random");
        }
        String url = store.jdbcUrl();
        // a stop signal before the first trial (opening the store, loading the engine: seconds) ended
        // the command with exit 143 and not a word
        StopSignals preparing = StopSignals.installBeforeTrials(
                "preparing the sweep (opening the store, planning, loading the engine)");
        try (TrackingStore db = TrackingStore.open(url);
                AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(500))) {
            if (tpe) {
                preparing.close();
                return runTpe(registry, db, tracker, store, experiment, url, out, err);
            }
            ResumePlan plan = rerun ? ResumePlan.all(db, experiment.name(), trials, staleAfter)
                    : ResumePlan.of(db, experiment.name(), trials, staleAfter);
            report(plan, trials.size(), err);
            List<RunStatus> statuses;
            Stop stop = null;
            boolean here = inThisProcess(plan.toRun()); // claims (loads) the engine when the trials run here
            preparing.close(); // the trials' own handlers take over
            if (here) {
                Ran ran = runHere(registry, db, tracker, store, plan.toRun(), experiment, err);
                statuses = ran.statuses();
                stop = ran.stop();
            } else {
                Ran ran = runInWorkers(db, experiment.name(), plan.toRun(), store, plugins, err);
                statuses = ran.statuses();
                stop = ran.stop();
            }
            out.println();
            out.println("Experiment '" + experiment.name() + "' (" + url + ")");
            List<RunRecord> all = db.runs(experiment.name());
            List<RunRecord> newest = latestPerTrial(all, trials);
            // a trial skipped as done is shown by the run it counts by (as in the groups and exports),
            // not by a newer interrupted or failed --rerun of it, which listed it without metrics
            // beside "already done before"
            List<RunRecord> shown = shownPerTrial(newest, all, plan.done());
            out.println(Tables.runs(shown, null, true));
            // counted now, not when the sweep was planned: a trial another process took after the
            // plan (skipped here) is as unfinished as one it held before. Every run of this process
            // has ended, so a running one is another process's
            long elsewhere = newest.stream().filter(r -> r.status() == RunStatus.RUNNING).count();
            out.println(Tables.summary(statuses) + (plan.done().isEmpty() ? ""
                    : "; " + plan.done().size() + " already done before")
                    + (elsewhere == 0 ? "" : "; " + elsewhere + " still running in another"
                            + " process, not finished (run the command again once it ends, or "
                            + staleAfter.toSeconds() + " s after that process stopped)")
                    + (stop == null ? "" : stop.summary()));
            // a rerun skips completed trials without reading their data: say when they read other data
            DataConsistency.mismatch(shown).ifPresent(warning -> err.println("warning: " + warning));
            // a trial another process holds is not done: exit 0 read as a finished sweep to a script
            if (stop != null) {
                return stop.exitCode();
            }
            return elsewhere == 0 ? Main.exitCode(statuses) : Main.EXIT_TRIALS_FAILED;
        } finally {
            preparing.close(); // (again: restoring the handlers twice is harmless) after a failure to prepare
        }
    }

    /**
     * For {@code --dry-run}: how many planned trials the store already holds as done, which a run
     * would skip (the plan alone listed them as if all would run). Reads only.
     */
    private String doneNote(StoreOptions store, String experiment, List<TrialSpec> trials) {
        return readIfStored(store, db -> {
            Map<String, List<RunStatus>> history = db.trialStatuses(experiment);
            long done = trials.stream().filter(t -> ResumePlan.isDone(history.getOrDefault(t.trialKey(), List.of())))
                    .count();
            return done == 0 ? "" : "; " + done + " of them already completed, diverged or pruned in the store:"
                    + " a run would skip them (--rerun runs them all)";
        });
    }

    /**
     * For {@code --dry-run} of a TPE sweep: how many of its trials the store already holds as done
     * (a run resumes after them; the plan alone read as if all would run, while a grid's dry run
     * said so). Reads only.
     */
    private String tpeDoneNote(StoreOptions store, ExperimentSpec experiment, PluginRegistry registry) {
        return readIfStored(store, db -> {
            int done = db.experiments().stream().anyMatch(e -> e.name().equals(experiment.name()))
                    ? dev.assay.run.SweepRunner.finishedAdaptiveTrials(db, experiment,
                            new dev.assay.spec.SpecBinder(registry)) : 0;
            int left = experiment.sweep().trials() - done;
            return done == 0 ? "" : "; " + done + " of them already completed, diverged or pruned in the store: a run"
                    + (left == 0 ? " would run none" : " would propose only the other " + left);
        });
    }

    /**
     * A dry run's note read from the store: empty with {@code --rerun} (which runs every trial), or
     * when the store does not exist yet (a dry run creates nothing).
     */
    private String readIfStored(StoreOptions store, java.util.function.Function<TrackingStore, String> note) {
        if (rerun) {
            return "";
        }
        String url;
        try {
            url = store.existingUrl();
        } catch (IllegalArgumentException noStoreYet) {
            return "";
        }
        try (TrackingStore db = TrackingStore.open(url)) {
            return note.apply(db);
        }
    }

    /**
     * Whether the trials can run here: one at a time and all on one engine, which this process
     * then commits to. Otherwise each trial gets its own JVM on its own engine.
     */
    private boolean inThisProcess(List<TrialSpec> toRun) {
        java.util.Set<String> engines = new java.util.LinkedHashSet<>();
        toRun.forEach(t -> engines.add(t.config().djlEngine()));
        return parallel <= 1 && engines.size() <= 1
                && (engines.isEmpty() || EngineSelection.claim(engines.iterator().next()));
    }

    private int runTpe(PluginRegistry registry, TrackingStore db, AsyncTracker tracker,
            StoreOptions store, ExperimentSpec experiment, String url, PrintWriter out, PrintWriter err) {
        int marked = db.interruptStaleRuns(experiment.name(), System.currentTimeMillis() - staleAfter.toMillis());
        if (marked > 0) {
            err.println("Marked " + marked + " run(s) of a stopped process as interrupted.");
        }
        SweepRunner runner = new SweepRunner(registry, db, tracker, store.artifactRoot(), dataDirs)
                .continueStoppedRuns(!rerun).checkpointInterval(checkpointInterval);
        int done = SweepRunner.finishedAdaptiveTrials(db, experiment, new dev.assay.spec.SpecBinder(registry));
        int left = experiment.sweep().trials() - done;
        if (done > 0) {
            err.println("Resuming: " + done + " of " + experiment.sweep().trials() + " TPE trial(s) already"
                    + " completed, diverged or pruned; " + (left == 0 ? "nothing left to propose"
                    : "proposing the other " + left + " from all the results") + ".");
        }
        err.flush();
        List<RunStatus> statuses;
        Stop stop;
        try (ConsoleSweepListener console = new ConsoleSweepListener(err, System.console() != null);
                StopSignals signals = StopSignals.installStopping(runner::interruptCurrent)) {
            statuses = runner.runAdaptive(experiment, new SpecBinder(registry), console).stream()
                    .map(TrialOutcome::status).toList();
            stop = Stop.of(signals, Math.max(0, left - statuses.size()));
        }
        out.println();
        out.println("Experiment '" + experiment.name() + "' (" + url + ")");
        String objective = experiment.sweep().objective();
        // ranked as the sampler ranks them, by the objective's best value over each run (the last
        // value ranked a run below one TPE counted worse), its newest run per trial (a trial
        // retried after a kill was listed twice)
        String best = Tables.best(objective, experiment.sweep().minimizeObjective());
        List<RunRecord> runs = Tables.sort(RunRecord.newestPerTrial(db.runs(experiment.name())), best,
                experiment.sweep().minimizeObjective());
        List<String> metrics = new java.util.ArrayList<>(List.of(best));
        Tables.defaultMetrics(runs).forEach(metrics::add);
        out.println(Tables.runs(runs, metrics, true));
        out.println(Tables.summary(statuses) + (done == 0 ? "" : "; " + done + " already done before")
                + (stop == null ? "" : stop.summary()));
        DataConsistency.mismatch(runs).ifPresent(warning -> err.println("warning: " + warning));
        return stop != null ? stop.exitCode() : Main.exitCode(statuses);
    }

    /**
     * Runs the trials in this process. A stop signal ends the running trial's training at its next
     * step ({@link StopSignals#installStopping}); the trials after it do not start, and the stop
     * says how many.
     */
    private Ran runHere(PluginRegistry registry, TrackingStore db, AsyncTracker tracker,
            StoreOptions store, List<TrialSpec> toRun, ExperimentSpec experiment, PrintWriter err) {
        SweepRunner runner = new SweepRunner(registry, db, tracker, store.artifactRoot(), dataDirs)
                .continueStoppedRuns(!rerun).checkpointInterval(checkpointInterval);
        try (ConsoleSweepListener console = new ConsoleSweepListener(err, System.console() != null);
                StopSignals signals = StopSignals.installStopping(runner::interruptCurrent)) {
            List<TrialOutcome> outcomes = runner.run(experiment, toRun, console);
            List<RunStatus> statuses = outcomes.stream().map(TrialOutcome::status).toList();
            if (console.skipped() > 0) {
                err.println(console.skipped() + " trial(s) skipped: another process took them after this"
                        + " sweep was planned (see the table).");
            }
            Stop stop = Stop.of(signals, toRun.size() - outcomes.size() - console.skipped());
            return new Ran(statuses, stop);
        }
    }

    /**
     * Runs the trials in worker JVMs; a worker that died without finishing its run (killed, out
     * of memory) gets its run marked failed with the exit code.
     */
    private Ran runInWorkers(TrackingStore db, String experimentName,
            List<TrialSpec> toRun, StoreOptions store, PluginOptions plugins, PrintWriter err) {
        List<String> shared = new java.util.ArrayList<>(store.asArguments());
        shared.addAll(plugins.asArguments());
        if (rerun) {
            shared.add("--fresh");
            // a pruner compares with this sweep's runs only, not with the runs it is running again
            shared.addAll(List.of("--peers-since", String.valueOf(System.currentTimeMillis())));
        }
        shared.addAll(List.of("--checkpoint-interval", String.valueOf(checkpointInterval.toMillis() / 1000.0)));
        int atOnce = Math.max(1, parallel);
        err.println("Running " + toRun.size() + " trial(s), " + atOnce + " at a time in separate JVMs"
                + (parallel > 1 ? "." : " (one per engine: the trials name more than one).") );
        Map<String, Integer> exits;
        Stop stop = null;
        ParallelSweep workers = new ParallelSweep(atOnce, file, arguments, dataDirs, shared, err);
        // the handler only stops the workers: this command then lists the runs and ends itself
        // (a handler that exited closed the store while this thread still read it)
        try (StopSignals signals = StopSignals.installWithoutExit(workers::stopWorkers)) {
            exits = workers.run(toRun);
            stop = Stop.of(signals, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the workers", e);
        }
        Map<String, RunRecord> latest = new HashMap<>();
        latestPerTrial(db.runs(experimentName), toRun).forEach(r -> latest.put(r.trialKey(), r));
        List<RunStatus> statuses = new java.util.ArrayList<>();
        int notStarted = 0;
        for (TrialSpec t : toRun) {
            RunRecord r = latest.get(t.trialKey());
            int exit = exits.getOrDefault(t.trialKey(), -1);
            if (r == null && stop != null && (exit == -1 || exit >= 128)) {
                // not started: the sweep was stopped before its worker began, or before the worker
                // created its run (its exit by the signal, 143, read "failed" though nothing had failed)
                notStarted++;
            } else if (r == null) {
                err.println("Trial #" + t.index() + ": its worker exited with code " + exit
                        + " before creating a run.");
                statuses.add(RunStatus.FAILED);
            } else if (r.status() == RunStatus.RUNNING && exit == 0) {
                // a worker that exits 0 has finished its run: this one is another process's, which
                // took the trial after the plan was made (the worker skipped it)
                err.println("Trial #" + t.index() + ": left to another process, whose run "
                        + r.runId().substring(0, 8) + " is running.");
            } else if (r.status() == RunStatus.RUNNING) {
                db.finishRun(r.runId(), RunStatus.FAILED, "worker process exited with code " + exit
                        + " without finishing the run");
                statuses.add(RunStatus.FAILED);
            } else {
                statuses.add(r.status());
            }
        }
        return new Ran(statuses, stop == null ? null : new Stop(stop.signal(), stop.exitCode(), notStarted));
    }

    /**
     * Refuses a data directory that is not one, from {@code --data-dir} or {@code ASSAY_DATA_DIR}
     * (entries separated by {@link java.io.File#pathSeparator}): a mistyped one was skipped silently
     * and the data looked for elsewhere.
     *
     * @param dataDirs the {@code --data-dir} values
     * @param env the value of {@code ASSAY_DATA_DIR}, or null
     * @throws IllegalArgumentException naming the first one that is not a directory
     */
    static void checkDataDirs(List<Path> dataDirs, String env) {
        for (Path dir : dataDirs) {
            if (!java.nio.file.Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--data-dir " + dir + ": no such directory"
                        + (java.nio.file.Files.exists(dir) ? " (it is a file)" : "") + ".");
            }
        }
        for (String entry : env == null ? new String[0] : env.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
            if (!entry.isBlank() && !java.nio.file.Files.isDirectory(Path.of(entry))) {
                throw new IllegalArgumentException("ASSAY_DATA_DIR names " + entry + ", which is no directory"
                        + (java.nio.file.Files.exists(Path.of(entry)) ? " (it is a file)" : "") + ".");
            }
        }
    }

    /** The newest run of each planned trial, in plan order. */
    /**
     * A stop signal that ended a sweep run in workers.
     *
     * @param signal the signal's name without "SIG" ("INT", "TERM")
     * @param exitCode {@code 128 + signal number}
     * @param notStarted planned trials no worker had started
     */
    private record Stop(String signal, int exitCode, int notStarted) {

        /** The stop the handlers saw, or null when no signal came. */
        static Stop of(StopSignals signals, int notStarted) {
            return signals.exitCode() == 0 ? null : new Stop(signals.receivedName(), signals.exitCode(), notStarted);
        }

        /** What the summary line adds: how many trials did not start, and how to continue. */
        String summary() {
            return "; " + notStarted + " not started: stopped by SIG" + signal + "; " + StopSignals.HOW_TO_CONTINUE;
        }
    }

    /**
     * The trials' statuses (from their workers, or from this process), in plan order, and the stop
     * that ended them, or null.
     */
    private record Ran(List<RunStatus> statuses, Stop stop) {}

    private static List<RunRecord> latestPerTrial(List<RunRecord> runs, List<TrialSpec> trials) {
        Map<String, RunRecord> latest = new HashMap<>();
        RunRecord.newestPerTrial(runs).forEach(r -> latest.put(r.trialKey(), r));
        return trials.stream().map(t -> latest.get(t.trialKey())).filter(Objects::nonNull).toList();
    }

    /**
     * The run to list for each planned trial, in plan order: for a trial skipped as done, the run
     * it counts by ({@link RunRecord#countedPerTrial}); for the others, its newest run (what this
     * process just ran, or another process is running).
     *
     * @param newest the newest run of each planned trial, in plan order ({@link #latestPerTrial})
     * @param runs every run of the experiment
     * @param done the trials skipped as done
     */
    static List<RunRecord> shownPerTrial(List<RunRecord> newest, List<RunRecord> runs, List<TrialSpec> done) {
        Map<String, RunRecord> counted = new HashMap<>();
        RunRecord.countedPerTrial(runs).forEach(r -> counted.put(r.trialKey(), r));
        java.util.Set<String> doneKeys = new java.util.HashSet<>();
        done.forEach(t -> doneKeys.add(t.trialKey()));
        return newest.stream().map(r -> doneKeys.contains(r.trialKey()) ? counted.getOrDefault(r.trialKey(), r) : r)
                .toList();
    }

    private void report(ResumePlan plan, int planned, PrintWriter err) {
        if (plan.staleMarked() > 0) {
            err.println("Marked " + plan.staleMarked() + " run(s) of a stopped process as interrupted.");
        }
        if (!plan.done().isEmpty() || !plan.elsewhere().isEmpty()) {
            err.println("Resuming: " + plan.done().size() + " of " + planned
                    + " trial(s) already completed, diverged or pruned"
                    + (plan.elsewhere().isEmpty() ? "" : ", " + plan.elsewhere().size()
                    + " running in another process") + "; running " + plan.toRun().size()
                    + " (" + rerunHint + ").");
            if (!plan.elsewhere().isEmpty()) {
                err.println("A run counts as running in another process until it has sent no heartbeat for "
                        + staleAfter.toSeconds() + " s (--stale-after SECONDS); then it is marked interrupted"
                        + " and continued here.");
            }
        }
        err.flush();
    }
}
