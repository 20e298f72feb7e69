package dev.assay.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.plugin.PluginRegistry;
import dev.assay.spec.ExperimentSpec;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.ArtifactRecord;
import dev.assay.track.AsyncTracker;
import dev.assay.track.ContinueOutcome;
import dev.assay.track.NewRun;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store side of a sweep's trials, for {@link SweepRunner}: which run a trial records into (a
 * new one, or the stopped run it continues from its checkpoint), whether another process has
 * taken the trial, the heartbeat of the run in progress, and the run's end (metrics flushed,
 * artifacts listed, final status). Not thread-safe, except {@link #heartbeat()} and {@link
 * #interruptCurrent()}, which other threads call.
 */
final class TrialRuns {

    private static final Logger LOG = LoggerFactory.getLogger(TrialRuns.class);

    /** Statuses of a trial that is over: its run is not started again. */
    static final Set<RunStatus> FINAL = EnumSet.of(RunStatus.COMPLETED, RunStatus.DIVERGED, RunStatus.PRUNED);

    /** Shared by every runner: an {@code ObjectMapper} is thread-safe once configured. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String processProvenance;

    private final TrackingStore store;
    private final AsyncTracker tracker;
    private final Path artifactRoot;
    /** Runs created here, per trial key: runs beyond these were made by someone else. */
    private final Map<String, Integer> runsCreated = new HashMap<>();
    private volatile String currentRunId;
    /** Guards {@link #stopping}, {@link #interrupted} and the creation of a run against a stop signal. */
    private final Object stopLock = new Object();
    private volatile boolean stopping; // written under stopLock; read at every training step
    private String interrupted;

    /**
     * The run a trial records into: its id and the checkpoint it continues from (null for a new
     * run); or, with both null, why the trial is skipped: another process has taken it.
     */
    record Opened(String runId, Continuation continued, String skipped) {}

    TrialRuns(TrackingStore store, AsyncTracker tracker, Path artifactRoot) {
        this.store = store;
        this.tracker = tracker;
        this.artifactRoot = artifactRoot;
    }

    /**
     * Opens the run of a trial, which becomes the one in progress: the stopped run it continues,
     * when {@code continueStopped} and that run has a checkpoint whose history the store still
     * holds, or a new run.
     *
     * @param tags the sweep's tags ({@link #tags})
     * @param continueStopped false with {@code --rerun}: always a new run, and no check for
     *     another process
     * @return the run, or why the trial is skipped when another process has taken it since the
     *     sweep was planned
     */
    Opened open(ExperimentSpec spec, TrialSpec trial, Map<String, String> tags, boolean continueStopped) {
        String provenance = provenance();
        // read right before the run is created: claiming the engine (loading it, on the first
        // trial) and the provenance take seconds, which a check made earlier would leave open
        List<RunStatus> statuses = continueStopped
                ? store.trialStatuses(spec.name(), trial.trialKey()) : List.of();
        String taken = takenElsewhere(trial, statuses);
        if (taken != null) {
            return new Opened(null, null, taken);
        }
        // a stop signal either comes first (no run is created) or finds the run created (and interrupts it):
        // a run created while the process exits was left "running" for good
        synchronized (stopLock) {
            if (stopping) {
                return new Opened(null, null, STOPPING);
            }
            Continuation continued = continueStopped ? Continuation.find(store, spec.name(),
                    trial.trialKey(), statuses, artifactRoot).orElse(null) : null;
            if (continued != null) {
                ContinueOutcome outcome = reopen(continued, trial);
                if (outcome == ContinueOutcome.NOT_STOPPED) {
                    return new Opened(null, null, "its run " + continued.runId()
                            + " was continued by another process");
                }
                continued = outcome == ContinueOutcome.CONTINUED ? continued : null;
            }
            String runId = continued != null ? continued.runId() : null;
            if (runId == null) {
                NewRun run = new NewRun(spec.name(), spec.description(),
                        trial.runName(), trial.index(), trial.trialKey(), trial.seed(),
                        ConfigDocuments.yaml(spec.name(), spec.description(), trial), provenance,
                        ConfigDocuments.flatParams(trial), tags);
                if (!continueStopped) {
                    runId = store.createRun(run);
                } else {
                    // created only if no other process created a run of the trial since the statuses were read
                    Optional<String> created = store.createTrialRun(run, statuses.size());
                    if (created.isEmpty()) {
                        return new Opened(null, null, CLAIMED_AT_ONCE);
                    }
                    runId = created.get();
                }
            }
            currentRunId = runId;
            if (continued == null) {
                runsCreated.merge(trial.trialKey(), 1, Integer::sum);
            }
            return new Opened(runId, continued, null);
        }
    }

    /** The error message of a run a stop signal interrupted. */
    static final String INTERRUPTED = "interrupted (process stopped)";

    /** Why a trial is skipped when another process created a run of it just as this one was about to. */
    static final String CLAIMED_AT_ONCE = "another process started its run at the same moment";

    /** Why trials are skipped after a stop signal. */
    static final String STOPPING = "the sweep is stopping (the process received a stop signal)";

    /** Whether a stop signal has come ({@link #interruptCurrent()}): no further trial starts. */
    boolean stopping() {
        return stopping;
    }

    /**
     * Why another process has taken a trial since the sweep was planned (two {@code assay run}s
     * of one experiment on one store), or null: the trial has runs this runner did not create and
     * the newest is running or finished. Checked just before the trial's run is created; a run
     * created by another process in between makes the creation ({@link
     * TrackingStore#createTrialRun}) refuse, and the trial is skipped ({@link #CLAIMED_AT_ONCE}).
     *
     * @param statuses the trial's run statuses, oldest first (empty with {@code --rerun})
     */
    private String takenElsewhere(TrialSpec trial, List<RunStatus> statuses) {
        if (statuses.size() <= runsCreated.getOrDefault(trial.trialKey(), 0)) {
            return null;
        }
        RunStatus newest = statuses.get(statuses.size() - 1);
        if (newest == RunStatus.RUNNING) {
            return "its run is running in another process";
        }
        return FINAL.contains(newest) ? "its run is already " + newest.label() + " (by another process)" : null;
    }

    /**
     * Reopens a stopped run at its checkpoint and notes the continuation as a tag. On {@link
     * ContinueOutcome#HISTORY_INCOMPLETE} (the store lost part of the history the checkpoint
     * refers to) it warns: the trial starts over in a new run.
     */
    private ContinueOutcome reopen(Continuation c, TrialSpec trial) {
        ContinueOutcome outcome = store.continueRun(c.runId(), c.checkpoint().lastSteps());
        if (outcome == ContinueOutcome.HISTORY_INCOMPLETE) {
            LOG.warn("Trial {}: run {} has a checkpoint of epoch {} but the store lacks part of"
                    + " the metrics logged before it; starting the trial over in a new run",
                    trial.index(), c.runId(), c.checkpoint().epoch());
        } else if (outcome == ContinueOutcome.CONTINUED) {
            store.setTags(c.runId(), Map.of("continued_from_epoch",
                    String.valueOf(c.checkpoint().epoch())));
            LOG.info("Trial {} continues run {} from its checkpoint of epoch {} (step {})",
                    trial.index(), c.runId(), c.checkpoint().epoch(), c.checkpoint().step());
        }
        return outcome;
    }

    /** Writes every metric logged so far to the store and the store to disk (before a checkpoint). */
    void makeDurable(String runId) {
        tracker.flush(runId);
        store.sync();
    }

    /**
     * Ends the run in progress: flushes its metrics, records the files in its artifact directory
     * and its final status, unless a stop signal recorded it interrupted meanwhile.
     *
     * @param error the failure's message, or null
     * @return false if the run stays {@code interrupted} (a stop signal came during its trial)
     */
    boolean finish(String runId, RunStatus status, String error) {
        tracker.release(runId); // flushes; a long sweep must not keep every finished run's buffers
        // exactly what is there now: a continued run's pruned checkpoints were listed by an earlier attempt
        store.replaceArtifacts(runId, ArtifactRecord.listDirectory(artifactRoot.resolve(runId)));
        synchronized (stopLock) {
            if (runId.equals(interrupted)) {
                return false; // a stop signal recorded it interrupted: its training's end does not overwrite that
            }
        }
        store.finishRun(runId, status, error);
        return true;
    }

    /** Forgets the run in progress (its trial's training is over; {@link #finish} follows). */
    void trainingDone() {
        currentRunId = null;
    }

    /** Records a heartbeat of the run in progress, if any; called every few seconds by a timer. */
    void heartbeat() {
        String runId = currentRunId;
        if (runId != null) {
            try {
                store.heartbeat(List.of(runId));
            } catch (RuntimeException e) {
                LOG.debug("heartbeat of run {} failed: {}", runId, e.getMessage());
            }
        }
    }

    /** See {@link SweepRunner#interruptCurrent()}. */
    void interruptCurrent() {
        String runId;
        synchronized (stopLock) {
            stopping = true;
            runId = currentRunId;
            interrupted = runId;
        }
        if (runId != null) {
            try {
                tracker.flush(runId);
            } finally {
                store.finishRun(runId, RunStatus.INTERRUPTED, INTERRUPTED);
            }
        }
    }

    /**
     * The provenance JSON of this process, captured once, after its engine is chosen (a process
     * runs one engine; capturing runs two {@code git} processes, measurable on short trials).
     */
    private static String provenance() {
        synchronized (TrialRuns.class) {
            if (processProvenance == null) {
                processProvenance = Provenance.capture(Path.of("")).toJson();
            }
            return processProvenance;
        }
    }

    /**
     * The tags every run of the sweep gets: the experiment file's absolute path, its SHA-256 (when
     * the source is a readable file), the command-line arguments, the {@code --data-dir}
     * directories and the plugin path (absolute) as JSON lists, so {@code assay resume} can plan
     * the same trials, find the same data and plugins and tell when the file has changed since;
     * and the plugin modules with their jars ({@code assay.plugins}), which say which plugin build
     * produced the run.
     */
    static Map<String, String> tags(ExperimentSpec spec, List<Path> dataDirs, PluginRegistry registry) {
        try {
            Path source = Path.of(spec.source()).toAbsolutePath().normalize();
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("assay.source", source.toString());
            tags.put("assay.overrides", JSON.writeValueAsString(spec.arguments().overrides()));
            tags.put("assay.sweeps", JSON.writeValueAsString(spec.arguments().sweeps()));
            tags.put("assay.data_dirs", JSON.writeValueAsString(
                    dataDirs.stream().map(d -> d.toAbsolutePath().normalize().toString()).toList()));
            tags.put("assay.plugin_path", JSON.writeValueAsString(
                    registry.pluginPath().stream().map(Path::toString).toList()));
            tags.put("assay.plugins", JSON.writeValueAsString(registry.pluginSources()));
            if (Files.isRegularFile(source)) {
                tags.put(SourceDigest.TAG, SourceDigest.of(source));
            }
            return Map.copyOf(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
