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
import dev.assay.track.TrackingStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code assay worker FILE --trial-key KEY ...}: runs exactly one planned trial in this process.
 * Started by {@code assay run --parallel N}, one process per trial, because the engine's random
 * seed and thread pools are per process; hidden from the help.
 */
@Command(name = "worker", hidden = true, description = "Run one trial of an experiment (used by --parallel).")
public final class WorkerCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the experiment file, as given to assay run")
    Path file;

    @Parameters(index = "1..*", paramLabel = "path=value", description = "the overrides given to assay run")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--sweep", paramLabel = "path=v1,v2", description = "the sweeps given to assay run")
    List<String> sweeps = new ArrayList<>();

    @Option(names = "--trial-key", required = true, paramLabel = "KEY",
            description = "the planned trial to run (its configuration key)")
    String trialKey;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the data directories given to assay run")
    List<Path> dataDirs = new ArrayList<>();

    @Option(names = "--position", paramLabel = "K/N", description = "this trial's place in the sweep"
            + " (the K-th of N started), for its header line; default 1/1")
    String position = "1/1";

    @Option(names = "--fresh", description = "start at epoch 1 even if a stopped run of this"
            + " trial left a checkpoint (assay run --rerun)")
    boolean fresh;

    @Option(names = "--peers-since", paramLabel = "MILLIS", description = "the earliest run start (ms since"
            + " the epoch) a pruner compares with: the start of a sweep run with --rerun")
    Long peersSince;

    @Mixin
    StoreOptions store;

    @Mixin
    PluginOptions plugins;

    @Mixin
    CheckpointOptions checkpoints;

    @Spec
    CommandSpec spec;

    /**
     * Runs the trial.
     *
     * @return 0 if it completed or was pruned, or was left to another process that took it since
     *     the parent planned it; {@link Main#EXIT_TRIALS_FAILED} otherwise
     * @throws IllegalArgumentException if no planned trial has the key
     */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PluginRegistry registry = plugins.load();
        ExperimentSpec experiment = SpecLoader.load(file, new ExperimentSpec.Arguments(overrides, sweeps));
        TrialSpec trial = SweepPlanner.plan(experiment, new SpecBinder(registry)).stream()
                .filter(t -> t.trialKey().equals(trialKey)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no planned trial has key " + trialKey));
        try (TrackingStore db = TrackingStore.open(store.jdbcUrl());
                AsyncTracker tracker = new AsyncTracker(db, Duration.ofMillis(500))) {
            SweepRunner runner = new SweepRunner(registry, db, tracker, store.artifactRoot(), dataDirs)
                    .continueStoppedRuns(!fresh).checkpointInterval(checkpoints.interval());
            if (peersSince != null) {
                runner.prunerPeersSince(peersSince);
            }
            List<TrialOutcome> outcomes;
            // a sweep process killed outright (kill -9) cannot stop its workers: each stops itself,
            // as on SIGTERM, when the process that started it has gone
            ProcessHandle.current().parent().ifPresent(parent -> ParentWatch.start(parent::isAlive,
                    ParentWatch.EVERY, () -> {
                        System.err.println("assay worker: the sweep process " + parent.pid() + " has gone;"
                                + " recording the trial as interrupted");
                        try {
                            runner.interruptCurrent();
                        } finally {
                            System.exit(143);
                        }
                    }));
            try (ConsoleSweepListener console = ConsoleSweepListener.at(err, position);
                    StopSignals signals = StopSignals.installInWorker(runner::interruptCurrent)) {
                outcomes = runner.run(experiment, List.of(trial), console);
            }
            // no outcome: another process took the trial after the parent planned it (skipped)
            return outcomes.isEmpty() ? 0 : Main.exitCode(List.of(outcomes.get(0).status()));
        }
    }
}
