package dev.assay.run;

import ai.djl.TrainingDivergedException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.assay.plugin.PluginKind;
import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.TaskProvider;
import dev.assay.spec.Assignment;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.AsyncTracker;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import dev.assay.spec.PrunerSpec;
import dev.assay.train.MallocTrim;
import dev.assay.train.EarlyStopException;
import dev.assay.train.TrialPrunedException;
import dev.assay.train.TrialContext;
import dev.assay.train.Checkpoints;
import dev.assay.train.LoggedStepsTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs planned trials one after another in this process, recording each as a run: created
 * {@code running}, then {@code completed} (possibly stopped early by its early-stopping rule),
 * {@code pruned} (by the sweep's pruner), {@code diverged} (NaN/Inf loss) or {@code failed} (any
 * other exception, message stored). A failed or diverged trial never stops the sweep.
 *
 * <p>MXNet's random seed is process-wide, so trials run sequentially here; the seed is set before
 * each trial, which makes a trial repeatable (same seed, same engine, same metrics).
 */
public final class SweepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

    /** How often the trial in progress records a heartbeat: every 5 seconds. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);

    /** {@link #STALE_AFTER} in seconds, the default of {@code --stale-after}: 60. */
    public static final long STALE_AFTER_SECONDS = 60;

    /** A running run without a heartbeat for this long (60 s) belongs to a dead process. */
    public static final Duration STALE_AFTER = Duration.ofSeconds(STALE_AFTER_SECONDS);

    /**
     * The least time between two checkpoints of a trial before its final epoch: 10 seconds, so a
     * crash loses at most that much training, while epochs of a fraction of a second are not
     * each followed by a parameter write and a store sync.
     */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    private final PluginRegistry registry;
    private final TrackingStore store;
    private final AsyncTracker tracker;
    private final Path artifactRoot;
    private final List<Path> dataDirs;
    private final TrialRuns runs;
    private boolean continueStopped = true;
    /** The earliest run start a pruner compares with (ms since the epoch), or null for the default. */
    private Long prunerPeersSince;
    private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;

    /**
     * Creates a runner.
     *
     * @param registry the plugins the trials name
     * @param store where runs are recorded
     * @param tracker the batched metric writer over {@code store}
     * @param artifactRoot directory under which each run gets {@code <runId>/}
     * @param dataDirs directories searched first for datasets
     */
    public SweepRunner(PluginRegistry registry, TrackingStore store, AsyncTracker tracker,
            Path artifactRoot, List<Path> dataDirs) {
        this.registry = registry;
        this.store = store;
        this.tracker = tracker;
        this.artifactRoot = artifactRoot;
        this.dataDirs = List.copyOf(dataDirs);
        this.runs = new TrialRuns(store, tracker, artifactRoot);
    }

    /**
     * Runs every trial in order.
     *
     * @param spec the experiment the trials came from
     * @param trials the planned trials
     * @param listener progress callbacks
     * @return one outcome per trial, in order
     * @throws IllegalArgumentException if the artifact directory cannot be created or written
     *     (before any run is created); if a trial monitors (early stopping, pruner) a metric it does
     *     not log per epoch: that trial is recorded as failed and the sweep stops, naming the metric
     *     meant and the epoch metrics
     * @throws dev.assay.track.TrackingException if the store cannot be read or written (a trial's
     *     own failure is recorded in its run instead)
     */
    public List<TrialOutcome> run(ExperimentSpec spec, List<TrialSpec> trials,
            SweepListener listener) {
        java.util.Iterator<TrialSpec> it = trials.iterator();
        return sweep(spec, listener, trials.size(), () -> it.hasNext() ? it.next() : null, Map.of());
    }

    /**
     * Runs a {@code tpe} sweep: {@code sweep.n_trials} trials proposed one at a time by the
     * Tree-structured Parzen Estimator from the experiment's finished runs in the store (so a
     * rerun of the command resumes: a trial number that already finished is skipped, and the
     * proposals after it see the same history). A proposal that repeats another finished trial's
     * configuration is drawn again at random (up to {@value TpeProposals#MAX_REDRAWS} times; the
     * sweep ends early, saying so, when every draw repeats one).
     *
     * @param spec the experiment, with {@code sweep.strategy: tpe}
     * @param binder binds each proposal into a trial
     * @param listener progress callbacks
     * @return the outcomes of the trials run now (proposals already finished are skipped)
     * @throws dev.assay.spec.SpecException if a proposal makes the configuration invalid
     * @throws IllegalArgumentException if the artifact directory cannot be created or written; if
     *     trials completed without logging {@code sweep.objective}
     *     (checked before each proposal; the message names the metrics they logged); or, as for {@link #run},
     *     if a trial monitors a metric it does not log per epoch
     * @throws dev.assay.track.TrackingException if the store cannot be read or written (a trial's
     *     own failure is recorded in its run instead)
     */
    public List<TrialOutcome> runAdaptive(ExperimentSpec spec, SpecBinder binder,
            SweepListener listener) {
        String search = TpeSearch.key(spec, binder);
        TpeProposals proposals = new TpeProposals(spec, binder, store, search);
        // the console numbers the trials run now out of those left, as a resumed grid sweep does
        return sweep(spec, listener, spec.sweep().trials() - finishedTrialsOf(store, spec, search),
                proposals::next, Map.of(TpeSearch.TAG, search));
    }

    /**
     * How many of a {@code tpe} sweep's {@code sweep.n_trials} trials have finished in the store
     * (completed, diverged or pruned), which {@link #runAdaptive} skips: the distinct trial indices
     * below {@code n_trials} with a finished run of this search ({@link TpeSearch}: the same
     * starting configuration, axes, seed and objective; runs of a changed file or of a grid sweep
     * in the same experiment are not counted).
     *
     * @param store the store
     * @param spec the experiment, with {@code sweep.strategy: tpe}
     * @param binder binds the search's starting configuration
     * @return the number of finished trials, 0 to {@code n_trials}
     * @throws dev.assay.track.TrackingException if the store cannot be read or written (a trial's
     *     own failure is recorded in its run instead)
     */
    public static int finishedAdaptiveTrials(TrackingStore store, ExperimentSpec spec, SpecBinder binder) {
        return finishedTrialsOf(store, spec, TpeSearch.key(spec, binder));
    }

    /** {@link #finishedAdaptiveTrials} for a search whose key is known. */
    private static int finishedTrialsOf(TrackingStore store, ExperimentSpec spec, String search) {
        return (int) store.runs(spec.name()).stream()
                .filter(r -> TrialRuns.FINAL.contains(r.status()) && r.trialIndex() < spec.sweep().trials()
                        && TpeSearch.member(r, search))
                .mapToInt(dev.assay.track.RunRecord::trialIndex).distinct().count();
    }

    private List<TrialOutcome> sweep(ExperimentSpec spec, SweepListener listener, int total,
            java.util.function.Supplier<TrialSpec> source, Map<String, String> extraTags) {
        checkArtifactRoot(artifactRoot);
        Map<String, String> tags = new java.util.LinkedHashMap<>(TrialRuns.tags(spec, dataDirs, registry));
        tags.putAll(extraTags);
        PrunerSpec pruner = spec.sweep().pruner();
        long peersSince = prunerPeersSince != null ? prunerPeersSince
                : continueStopped ? Long.MIN_VALUE : System.currentTimeMillis();
        PrunerHistory history = pruner.name().equals("none") ? new PrunerHistory()
                : PrunerHistory.load(store, spec.name(), pruner.monitor(), peersSince);
        List<TrialOutcome> outcomes = new ArrayList<>();
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "assay-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(runs::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            TrialSpec trial;
            while (!runs.stopping() && (trial = source.get()) != null) {
                TrialOutcome outcome = runTrial(spec, trial, total, tags, history, listener);
                if (outcome != null) {
                    outcomes.add(outcome);
                }
            }
        } finally {
            heartbeat.shutdownNow();
        }
        return outcomes;
    }

    /**
     * Creates the artifact directory and checks that this process can write it, before any run is
     * created: a directory it cannot write failed every trial after its training, at its first
     * checkpoint, with a bare {@code AccessDeniedException}.
     *
     * @param root the directory under which each run gets {@code <runId>/}
     * @throws IllegalArgumentException if it cannot be created or written; the message names it
     */
    static void checkArtifactRoot(Path root) {
        try {
            Files.createDirectories(root);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot create the artifact directory " + root.toAbsolutePath() + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); runs keep their checkpoints there,"
                    + " beside the store: choose another --store", e);
        }
        if (!Files.isWritable(root)) {
            throw new IllegalArgumentException("the artifact directory " + root.toAbsolutePath() + " cannot be written"
                    + " by this user; runs keep their checkpoints there, beside the store: choose another --store");
        }
    }

    /**
     * Sets the least time between two checkpoints of a trial before its final epoch (default
     * {@link #DEFAULT_CHECKPOINT_INTERVAL}); the final epoch is always saved.
     *
     * @param interval the interval; zero saves after every epoch
     * @return this runner
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public SweepRunner checkpointInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("The checkpoint interval must be ≥ 0, got " + interval + ".");
        }
        this.checkpointInterval = interval;
        return this;
    }

    /**
     * Sets whether a trial whose newest run was interrupted (or failed) after saving a per-epoch
     * checkpoint continues that run from the checkpoint (the default) or starts a new run at
     * epoch 1 ({@code assay run --rerun}).
     *
     * @param enabled true to continue stopped runs
     * @return this runner
     */
    public SweepRunner continueStoppedRuns(boolean enabled) {
        this.continueStopped = enabled;
        return this;
    }

    /**
     * Sets the earliest run start that a pruner compares a trial with. By default every run of the
     * experiment counts (the newest of each trial), except when stopped runs are not continued
     * ({@code --rerun}): then only the runs this runner's sweep creates, from the moment it starts.
     * A worker process running one trial of a parallel {@code --rerun} sweep is given the sweep's
     * start, so that it counts the runs the other workers have created since.
     *
     * @param epochMillis milliseconds since the epoch
     * @return this runner
     */
    public SweepRunner prunerPeersSince(long epochMillis) {
        this.prunerPeersSince = epochMillis;
        return this;
    }

    /**
     * Runs one trial in a run of its own (or the stopped run it continues); null when another
     * process has taken it since the sweep was planned (the listener is told why).
     */
    private TrialOutcome runTrial(ExperimentSpec spec, TrialSpec trial, int total,
            Map<String, String> tags, PrunerHistory history, SweepListener listener) {
        String engineError = EngineSelection.claim(trial.config().djlEngine()) ? null
                : "this trial names engine: " + trial.config().engine() + " but this process"
                        + " already trains on " + EngineSelection.claimed() + " (one engine per"
                        + " process; `assay run` starts a process per engine)";
        TrialRuns.Opened opened = runs.open(spec, trial, tags, continueStopped);
        if (opened.skipped() != null) {
            LOG.debug("Trial {} skipped: {}", trial.index(), opened.skipped());
            listener.trialSkipped(trial, total, opened.skipped());
            return null;
        }
        String runId = opened.runId();
        Continuation continued = opened.continued();
        long start = System.currentTimeMillis();
        LoggedStepsTracker runTracker = new LoggedStepsTracker(
                tracker.tracker(runId, artifactRoot.resolve(runId)),
                continued == null ? Map.of() : continued.checkpoint().lastSteps());
        Checkpoints checkpoints = new Checkpoints(Continuation.checkpointDir(artifactRoot, runId),
                () -> runs.makeDurable(runId), runTracker, continued == null ? null : continued.checkpoint(),
                trial.config().training().epochs(), checkpointInterval).seedingEpochs(trial.seed());
        history.startTrial(trial.trialKey(), runId);
        EpochJudge progress = new EpochJudge(listener.trialStarted(trial, total, runId),
                trial.config().training().earlyStopping(), spec.sweep().pruner(), history, runTracker,
                trial.config().training().epochs()).stoppingWhen(runs::stopping);
        if (trial.config().training().earlyStopping() != null
                && trial.config().training().earlyStopping().restoreBestWeights()) {
            progress.onImprovement(checkpoints.keepingBestWeights()::bestEpoch);
        }
        if (continued != null) {
            listener.trialContinued(trial, runId, continued.checkpoint().epoch());
            if (progress.earlyStoppingMonitor() != null) {
                progress.replay(store.metric(runId, progress.earlyStoppingMonitor()));
            }
        }
        RunStatus status = RunStatus.COMPLETED;
        EpochJudge.MonitorNotLoggedException configurationError = null;
        dev.assay.plugin.DataUnavailableException dataError = null;
        String error = null;
        String failure = null; // "failed" or "diverged": logged once the run is finished, with what that adds
        Map<String, Double> metrics = Map.of();
        // closing the checkpoints waits for the last one to be published (before finish lists it)
        try (NDManager manager = NDManager.newBaseManager(); Checkpoints published = checkpoints) {
            if (engineError != null) {
                throw new IllegalStateException(engineError);
            }
            Engine.getInstance().setRandomSeed((int) trial.seed());
            TaskProvider task = registry.get(PluginKind.TASK, trial.config().task().name());
            metrics = task.run(trial.config().task().params(), new TrialContext(
                    trial, registry, manager, runTracker, dataDirs, progress, checkpoints));
            if (metrics == null) {
                metrics = Map.of(); // the sweep's table reads them
                throw new IllegalStateException("task '" + trial.config().task().name() + "' returned null instead of"
                        + " its final metrics (an empty map when it has none)");
            }
            List<String> unlogged = runTracker.logUnlogged(metrics);
            if (!unlogged.isEmpty()) {
                LOG.debug("Trial {}: stored the returned metrics {} that the task did not log", trial.index(), unlogged);
            }
        } catch (TrialPrunedException e) {
            status = RunStatus.PRUNED;
            error = e.getMessage();
            LOG.info("Trial {} {}", trial.index(), error);
        } catch (EarlyStopException e) {
            LOG.info("Trial {} stopped early after epoch {}: {}", trial.index(), e.epoch(),
                    e.getMessage());
        } catch (EpochJudge.MonitorNotLoggedException e) {
            status = RunStatus.FAILED;
            error = e.getMessage();
            configurationError = e;
            failure = "failed";
        } catch (EpochJudge.StopRequestedException e) {
            status = RunStatus.INTERRUPTED; // recorded by the stop's own thread; finish leaves it
            error = TrialRuns.INTERRUPTED;
            LOG.info("Trial {} stopped: {}", trial.index(), e.getMessage());
        } catch (dev.assay.plugin.DataUnavailableException e) {
            status = RunStatus.FAILED;
            error = "data unavailable: " + e.getMessage();
            dataError = e;
            failure = "failed";
        } catch (TrainingDivergedException e) {
            status = RunStatus.DIVERGED;
            error = e.getMessage();
            failure = "diverged";
        } catch (Exception | Error e) {
            status = RunStatus.FAILED;
            error = describe(e);
            failure = "failed";
            LOG.debug("Trial {} stack trace", trial.index(), e);
        } finally {
            runs.trainingDone();
            MallocTrim.ifDue(); // the trial's tensors are freed: their C heap back to the system
        }
        // a run continued from its final epoch's checkpoint (stopped during its test) ends no epoch
        boolean trainedBefore = continued != null
                && continued.checkpoint().epoch() >= trial.config().training().epochs();
        String idle = status == RunStatus.COMPLETED && !trainedBefore
                ? progress.idleRules(trial.config().task().name()) : null;
        if (idle != null) {
            LOG.warn("Trial {}: {}", trial.index(), idle);
        }
        if (status == RunStatus.COMPLETED && checkpoints.bestWeightsUnrestored()) {
            LOG.warn("Trial {}: training.early_stopping.restore_best_weights had no effect: task '{}' trains with a"
                    + " loop of its own that does not restore them (ctx.checkpoints().restoreBest), so the run ends"
                    + " with its last epoch's weights (its final checkpoint, and its test if the task has one)",
                    trial.index(), trial.config().task().name());
        }
        try {
            String failed = error;
            if (!runs.finish(runId, status, error)) {
                status = RunStatus.INTERRUPTED;
                error = TrialRuns.INTERRUPTED;
            }
            if (failure != null) {
                reportUnlessShown(listener, false, "Trial {} {}: {}", trial.index(), failure, failed);
            }
        } catch (RuntimeException e) {
            // the run's record is gone or cannot be written: this trial fails, the sweep goes on (a store
            // that fails altogether stops it at the next trial's run, which cannot be created)
            error = (error == null ? "" : error + "; ") + "its run could not be recorded as finished ("
                    + status.label() + "): " + describe(e);
            status = RunStatus.FAILED;
            reportUnlessShown(listener, true, "Trial {} failed: {}", trial.index(), error);
            LOG.debug("Trial {} finish stack trace", trial.index(), e);
        }
        TrialOutcome outcome = new TrialOutcome(trial, runId, status, error, metrics,
                System.currentTimeMillis() - start);
        listener.trialFinished(outcome);
        if (dataError != null && sweepPaths(spec).noneMatch(path -> path.equals("dataset")
                || path.startsWith("dataset."))) {
            throw new IllegalArgumentException(dataError.getMessage() + " The sweep stops here (trial " + trial.index()
                    + " is recorded as failed): its other trials read the same data.", dataError);
        }
        if (configurationError != null && !sweeps(spec, configurationError.setting())) {
            throw new IllegalArgumentException(configurationError.getMessage() + " The sweep stops here (trial "
                    + trial.index() + " is recorded as failed): its other trials monitor the same name.",
                    configurationError);
        }
        return outcome;
    }

    /**
     * Logs a trial's failure once, after its run is finished: as a warning or, with {@code error},
     * an error (its run could not be recorded as finished, which the message adds to the trial's own
     * failure), or at debug level where the listener shows outcomes itself ({@link
     * SweepListener#showsOutcomes}). The console printed each failure twice; where the run could not be
     * marked failed, the log also warned of the failure and then logged it again with the store's error.
     */
    private static void reportUnlessShown(SweepListener listener, boolean error, String format, Object... args) {
        if (listener.showsOutcomes()) {
            LOG.debug(format, args);
        } else if (error) {
            LOG.error(format, args);
        } else {
            LOG.warn(format, args);
        }
    }

    /**
     * Whether the sweep gives trials different values of a setting (a parameter or variant sets it
     * or a section above it), so that one trial's bad value says nothing about the others'.
     */
    private static boolean sweeps(ExperimentSpec spec, String setting) {
        return sweepPaths(spec).anyMatch(path -> setting.equals(path) || setting.startsWith(path + "."));
    }

    /** The paths the sweep's parameters and variants set. */
    private static java.util.stream.Stream<String> sweepPaths(ExperimentSpec spec) {
        return java.util.stream.Stream.concat(spec.sweep().parameters().keySet().stream(),
                spec.sweep().variants().values().stream().flatMap(List::stream).map(Assignment::path));
    }

    /**
     * Marks the trial in progress, if any, as {@code interrupted} after flushing what it logged,
     * and stops the sweep: no further trial starts (its run would be left {@code running} by the
     * exiting process), and the interrupted trial's end does not overwrite its status. Meant for a
     * stop signal (Ctrl-C, SIGTERM); safe to call when nothing runs.
     */
    public void interruptCurrent() {
        runs.interruptCurrent();
    }

    /**
     * An exception's class and message, and its root cause's when that message is not already
     * part of it: {@code IOException: ... (caused by IOException: No space left on device)}.
     *
     * @param e the exception
     * @return the description, one line
     */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        // a cause whose message the exception already quotes is not said twice
        return root == e || String.valueOf(e.getMessage()).contains(String.valueOf(root.getMessage())) ? text
                : text + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
