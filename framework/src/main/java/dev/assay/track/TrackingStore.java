package dev.assay.track;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The tracking database over plain JDBC: experiments, runs, params, tags, artifacts and metric
 * series. The schema is created and upgraded by Flyway (migrations in {@code db/migration}, history
 * in Flyway's own table) when the store is opened.
 *
 * <p>Metric series are stored in chunks of {@value #CHUNK_SIZE} points (packed
 * arrays, see the migration), not a row per point; the last, partly filled chunk of a series is
 * rewritten as points arrive, so the stored chunks do not depend on how appends were batched. A
 * summary row per (run, metric) is kept current in the same transaction.
 *
 * <p>Thread-safe: one JDBC connection, every method synchronized on the store. A run's metric
 * series must be appended to by one store at a time (the tail chunk is cached in memory); other
 * processes may read concurrently (with {@code AUTO_SERVER=TRUE}, see {@link #defaultUrl}).
 *
 * <p>All methods throw {@link IllegalStateException} once the store is closed, and {@link
 * TrackingException} when the database fails.
 */
public final class TrackingStore implements AutoCloseable {

    /** The longest experiment name, param, tag or metric key the store accepts: 250 characters. */
    public static final int MAX_KEY_LENGTH = StoreChecks.MAX_KEY_LENGTH;

    /** Points per stored metric chunk: 1,024. */
    public static final int CHUNK_SIZE = 1024;

    /**
     * The system property H2 reads, once, for the address its servers listen on ({@code AUTO_SERVER}
     * included): {@code h2.bindAddress}.
     */
    public static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";

    static {
        listenOnLoopbackOnly();
    }

    /**
     * Makes the server H2 starts for {@code AUTO_SERVER} (the first process to open a store file
     * serves it to the others) listen on 127.0.0.1 only, unless {@value #BIND_ADDRESS_PROPERTY} is
     * set already (to share a store across hosts: {@code -Dh2.bindAddress=ADDRESS}). It listened on
     * every interface, guarded only by the key in the world-readable {@code assay.lock.db}: whoever
     * could read that file reached the database from any host, and through H2's {@code CREATE
     * ALIAS} ran code in the serving process (found by a security check). H2 reads the property when
     * its {@code SysProperties} class loads, so this runs when this class loads, before the first
     * connection; {@code assay}'s {@code Main} calls it first thing.
     */
    public static void listenOnLoopbackOnly() {
        if (System.getProperty(BIND_ADDRESS_PROPERTY) == null) {
            System.setProperty(BIND_ADDRESS_PROPERTY, "127.0.0.1");
        }
    }

    private static final Pattern RUN_PREFIX = Pattern.compile("[0-9a-f]{4,32}");
    private static final int MAX_LISTED_MATCHES = 20;

    private final StoreConnection db;
    private final StoreHousekeeping housekeeping;
    private final MetricAppender appender = new MetricAppender();
    private final StoreLockFile lockFile;

    /** Wraps an open connection; {@link #open} is the way in (tests wrap one of their own). */
    TrackingStore(StoreConnection db) {
        this.db = db;
        this.lockFile = new StoreLockFile(db.url());
        this.housekeeping = new StoreHousekeeping(db::servedFileStore);
    }

    /**
     * Connects to the database and migrates its schema to the latest version (a fresh database gets
     * the whole schema; an up-to-date one is left as it is).
     *
     * @param jdbcUrl a JDBC URL, e.g. from {@link #defaultUrl(Path)}; credentials, if any, go in the
     *     URL (H2: {@code ;USER=...;PASSWORD=...})
     * @return the open store
     * @throws IllegalArgumentException if {@code jdbcUrl} is null or blank, or is read-only ({@code
     *     ACCESS_MODE_DATA=r}) and the store has an older schema, which it cannot upgrade (the message
     *     says what to do)
     * @throws TrackingException if connecting or migrating fails; the message names the URL
     */
    public static TrackingStore open(String jdbcUrl) {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new IllegalArgumentException("A JDBC URL is required, got '" + jdbcUrl + "'.");
        }
        TrackingStore store = new TrackingStore(StoreConnection.open(jdbcUrl));
        store.lockFile.makePrivate();
        return store;
    }

    /**
     * The database file of an embedded H2 file URL, without H2's extensions: {@code
     * jdbc:h2:file:/d/assay;AUTO_SERVER=TRUE} gives {@code /d/assay} (the store is {@code
     * /d/assay.mv.db}, its lock file {@code /d/assay.lock.db}). The prefix is read in any case, as
     * H2 reads it.
     *
     * @param jdbcUrl any JDBC URL
     * @return the path, or null for any other URL (a server, in memory, another database)
     * @throws java.nio.file.InvalidPathException if the URL's path is not one this file system takes
     */
    public static Path embeddedFile(String jdbcUrl) {
        String prefix = "jdbc:h2:file:";
        if (jdbcUrl == null || !jdbcUrl.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return null;
        }
        String rest = jdbcUrl.substring(prefix.length());
        int semicolon = rest.indexOf(';');
        return Path.of(semicolon < 0 ? rest : rest.substring(0, semicolon));
    }

    /**
     * Returns the URL of the default H2 file database in a directory, creating the directory. The
     * URL enables {@code AUTO_SERVER} so a second process (the web UI, {@code assay runs}) can open
     * the database while a sweep writes to it.
     *
     * @param directory the directory for {@code assay.mv.db}
     * <p>{@code AUTO_RECONNECT=TRUE}: when the process serving the file exits (a parallel worker
     * that finished first), the others reconnect and one of them serves it from then on.
     *
     * <p>{@code WRITE_DELAY=0}: a commit is written to the file before it returns. With H2's default
     * (500 ms) a commit lived only in the serving process's memory for up to half a second, and a
     * {@code kill -9} of that process (another command serving the store) lost runs and metric
     * points every writer had been told were stored.
     *
     * @return {@code jdbc:h2:file:<absolute directory>/assay;AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0}
     * @throws UncheckedIOException if the directory cannot be created
     */
    public static String defaultUrl(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the tracking directory " + absolute + ".", e);
        }
        return "jdbc:h2:file:" + absolute.resolve("assay") + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0";
    }

    /**
     * Returns the URL that opens the H2 file database in a directory for reading only, for a store
     * this process cannot write (a read-only mount, another user's files): H2 refuses {@code
     * AUTO_SERVER} on a file it cannot write, and cannot create its lock file in a directory it
     * cannot write. Without {@code AUTO_SERVER}, a sweep writing to the store at the same time is
     * not seen through this connection beyond what is in the file when it is read.
     *
     * @param directory the directory holding {@code assay.mv.db}
     * @return {@code jdbc:h2:file:<absolute directory>/assay;ACCESS_MODE_DATA=r}
     */
    public static String readOnlyUrl(Path directory) {
        return "jdbc:h2:file:" + directory.toAbsolutePath().normalize().resolve("assay") + ";ACCESS_MODE_DATA=r";
    }

    /**
     * Returns the JDBC URL this store was opened with.
     *
     * @return the URL
     */
    public String url() {
        return db.url();
    }

    /**
     * Creates a run with status {@link RunStatus#RUNNING} and start time now, creating its
     * experiment (with the run's experiment description) if no experiment has that name. Params and
     * tags are stored as text plus, when the text is a finite decimal number, as a DOUBLE for
     * numeric sorting and filtering. One transaction. When the connection is lost at commit time
     * and the transaction is retried ({@link StoreConnection#transaction}), a run the first attempt
     * did store is recognized by its id, so the retry neither fails on it nor stores it twice.
     *
     * @param run what is known about the run
     * @return the new run id: a random UUID as 32 lowercase hex characters
     * @throws IllegalArgumentException if {@code run} is null
     * @throws TrackingException if the database fails
     */
    public synchronized String createRun(NewRun run) {
        return insertRun(run, -1).orElseThrow();
    }

    /**
     * Creates a trial's run as {@link #createRun} does, unless its trial no longer has exactly
     * {@code knownRuns} runs: the claim of a trial by one of several processes running the same
     * experiment on one store ({@code assay run} started twice). In one transaction, the
     * experiment's row is locked ({@code SELECT ... FOR UPDATE}), the trial's runs are counted and
     * the run is inserted only if the count is still {@code knownRuns}; a second process claiming
     * the same trial at the same moment waits for the lock and then counts the first one's run. A
     * check read in a transaction of its own and a creation in the next let both processes train
     * the trial.
     *
     * @param run what is known about the run; {@link NewRun#trialKey()} names the trial
     * @param knownRuns how many runs the caller saw its trial have when it decided to run it (≥ 0)
     * @return the new run id (32 lowercase hex characters), or empty if the trial's runs changed
     *     since: another process created one
     * @throws IllegalArgumentException if {@code run} is null or has no trial key, or {@code
     *     knownRuns} is negative
     * @throws TrackingException if the database fails
     */
    public synchronized Optional<String> createTrialRun(NewRun run, int knownRuns) {
        if (run != null && run.trialKey() == null) {
            throw new IllegalArgumentException("A trial's run needs a trial key.");
        }
        if (knownRuns < 0) {
            throw new IllegalArgumentException("knownRuns must be 0 or more, not " + knownRuns + ".");
        }
        return insertRun(run, knownRuns);
    }

    /** {@link #createRun} ({@code knownRuns} -1) or {@link #createTrialRun}. */
    private Optional<String> insertRun(NewRun run, int knownRuns) {
        if (run == null) {
            throw new IllegalArgumentException("A NewRun is required.");
        }
        String runId = UUID.randomUUID().toString().replace("-", "");
        long now = System.currentTimeMillis();
        boolean created = retryingTransaction("create a run in experiment '" + run.experiment() + "'", (connection, retry) -> {
            // a retry after a lost connection: the first attempt's commit may have reached the database
            if (retry && RunContinuation.exists(connection, runId)) {
                return true;
            }
            long experimentId = RunWriter.experimentId(connection, run.experiment(), run.experimentDescription(), now);
            if (knownRuns >= 0 && RunWriter.lockAndCountTrialRuns(connection, experimentId, run.trialKey()) != knownRuns) {
                return false;
            }
            RunWriter.insertRun(connection, runId, experimentId, run, now);
            RunWriter.insertKeyValues(connection, runId, run.params(), true);
            RunWriter.insertKeyValues(connection, runId, run.tags(), false);
            return true;
        });
        if (!created) {
            return Optional.empty();
        }
        appender.runCreated(runId);
        return Optional.of(runId);
    }

    /**
     * Ends a run: sets its status, its end time (now, milliseconds since the epoch) and its error
     * message (cut to 10,000 characters), and drops the run's cached metric tails.
     *
     * @param runId the run id
     * @param status the final status; not {@link RunStatus#RUNNING}
     * @param errorMessage why it failed, or null
     * @throws IllegalArgumentException if {@code runId} is null or blank or names no run, or {@code
     *     status} is null or RUNNING
     * @throws TrackingException if the database fails
     */
    public synchronized void finishRun(String runId, RunStatus status, String errorMessage) {
        StoreChecks.requireRunId(runId);
        if (status == null || status == RunStatus.RUNNING) {
            throw new IllegalArgumentException("A run must finish with a final status, got " + status + ".");
        }
        transaction("finish run " + runId, connection -> {
            requireRun(RunWriter.finishRun(connection, runId, status, errorMessage, System.currentTimeMillis()), runId);
            return null;
        });
        appender.forgetRun(runId);
    }

    /**
     * Reopens a stopped ({@code interrupted} or {@code failed}) run to continue it from a
     * checkpoint, in one transaction: its status goes back to {@code running} (end time and error
     * cleared, heartbeat now) and its metric history is cut back to what had been logged when
     * the checkpoint was taken: a metric absent from {@code lastSteps} is removed, a present one
     * keeps its points with step ≤ its last step. Training continued from the checkpoint then
     * appends to the same series, so no step is stored twice and none is orphaned.
     *
     * @param runId the run to continue
     * @param lastSteps metric name to the last step it had logged at the checkpoint
     * @return {@link ContinueOutcome#CONTINUED} if the run was reopened; {@link
     *     ContinueOutcome#HISTORY_INCOMPLETE} if the store holds less than the checkpoint says was
     *     logged (the history would have a gap: start the trial over in a new run); {@link
     *     ContinueOutcome#NOT_STOPPED} if the run is no longer stopped (another process continued
     *     it first). Nothing is changed unless the outcome is {@code CONTINUED}. A retry after a
     *     connection lost at commit time recognizes its own first attempt (the run reopened at this
     *     call's time) and answers {@code CONTINUED}, not {@code NOT_STOPPED}.
     * @throws IllegalArgumentException if {@code runId} names no run or {@code lastSteps} is null
     * @throws TrackingException if the database fails; nothing is changed then
     */
    public synchronized ContinueOutcome continueRun(String runId, Map<String, Long> lastSteps) {
        StoreChecks.requireRunId(runId);
        if (lastSteps == null) {
            throw new IllegalArgumentException("The checkpoint's last steps are required.");
        }
        appender.forgetRun(runId);
        try {
            long now = System.currentTimeMillis();
            return retryingTransaction("continue run " + runId, (connection, retry) -> {
                if (!RunContinuation.reopen(connection, runId, now)) {
                    requireRun(RunContinuation.exists(connection, runId), runId);
                    // a retry after a lost connection, whose first attempt's commit reached the database
                    boolean ours = retry && RunContinuation.reopenedAt(connection, runId, now);
                    return ours ? ContinueOutcome.CONTINUED : ContinueOutcome.NOT_STOPPED;
                }
                if (!RunContinuation.holdsAll(connection, runId, lastSteps)) {
                    connection.rollback();
                    return ContinueOutcome.HISTORY_INCOMPLETE;
                }
                Map<String, PointColumns> kept =
                        RunContinuation.truncate(connection, runId, lastSteps);
                if (!kept.isEmpty()) {
                    appender.append(connection, runId, kept);
                }
                return ContinueOutcome.CONTINUED;
            });
        } finally {
            appender.forgetRun(runId);
        }
    }

    /**
     * Makes every committed write durable: H2's {@code CHECKPOINT SYNC} writes its buffers to the
     * file and forces them to the device. H2 otherwise writes commits with a short delay (about
     * half a second), which a killed process loses; a training checkpoint calls this before
     * saving, so the history it refers to survives {@code kill -9}.
     *
     * @throws TrackingException if the database fails
     */
    public synchronized void sync() {
        transaction("sync the store to disk", connection -> {
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT SYNC");
            }
            return null;
        });
    }

    /**
     * Marks running runs as alive now (their {@code updated_millis}); a sweep calls this every few
     * seconds for the trial it is training, so that a run whose process died can be told apart.
     *
     * @param runIds the runs to touch; unknown ids and finished runs are ignored
     * @throws TrackingException if the database fails
     */
    public synchronized void heartbeat(Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return;
        }
        transaction("record a heartbeat", connection -> {
            long now = System.currentTimeMillis();
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE runs SET updated_millis = ? WHERE run_id = ? AND status = ?")) {
                for (String runId : runIds) {
                    update.setLong(1, now);
                    update.setString(2, runId);
                    update.setString(3, RunStatus.RUNNING.label());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    /**
     * Marks as {@link RunStatus#INTERRUPTED} the runs of an experiment still {@code running} whose
     * last write or heartbeat is older than a cut-off: their process died (e.g. {@code kill -9}).
     * One transaction. When the connection is lost at commit time and the transaction is retried
     * ({@link StoreConnection#transaction}), the runs the first attempt marked are recognized by
     * their ids, so the count includes them: the retry, finding nothing left to mark, answered 0
     * and {@code assay run} printed that no run was marked.
     *
     * @param experiment the experiment name
     * @param staleBeforeMillis runs last updated before this time (ms since the epoch) are stale
     * @return the number of runs marked
     * @throws TrackingException if the database fails
     */
    public synchronized int interruptStaleRuns(String experiment, long staleBeforeMillis) {
        java.util.Set<String> marked = new java.util.HashSet<>(); // by every attempt of this call
        return retryingTransaction("mark stale runs of '" + experiment + "' interrupted", (connection, retry) -> {
            List<String> markedNow = StaleRuns.interrupt(connection, experiment, staleBeforeMillis);
            marked.addAll(markedNow);
            // a retry after a lost connection: the first attempt's commit may have reached the database
            return retry ? StaleRuns.countMarked(connection, marked) : markedNow.size();
        });
    }

    /**
     * Returns the statuses recorded for each trial key of an experiment (a key run several times
     * has several entries), without loading params or metrics.
     *
     * @param experiment the experiment name
     * @return trial key to the statuses of its runs, in start order
     * @throws TrackingException if the database fails
     */
    public synchronized Map<String, List<RunStatus>> trialStatuses(String experiment) {
        return transaction("read the trial statuses of '" + experiment + "'", connection -> {
            Map<String, List<RunStatus>> out = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT r.trial_key, r.status FROM runs r JOIN experiments e"
                            + " ON r.experiment_id = e.id WHERE e.name = ? ORDER BY r.start_millis")) {
                select.setString(1, experiment);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        out.computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
                                .add(RunStatus.fromLabel(rows.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Returns the statuses of one trial key's runs, through the trial-key index: what a sweep
     * asks before each trial, so its cost does not grow with the number of runs already stored.
     *
     * @param experiment the experiment name
     * @param trialKey the trial key
     * @return the statuses of its runs, in start order; empty if it never ran
     * @throws TrackingException if the database fails
     */
    public synchronized List<RunStatus> trialStatuses(String experiment, String trialKey) {
        return trialColumn("status", "read the statuses of trial " + trialKey, experiment, trialKey).stream()
                .map(RunStatus::fromLabel).toList();
    }

    /**
     * Returns one trial key's runs, through the trial-key index (a run page or {@code assay show}
     * asking which run its trial counts by reads the trial's few runs, not the whole experiment).
     *
     * @param experiment the experiment name
     * @param trialKey the trial key
     * @return its runs in start order; empty if it never ran
     * @throws TrackingException if the database fails
     */
    public synchronized List<RunRecord> trialRuns(String experiment, String trialKey) {
        List<RunRecord> runs = new ArrayList<>();
        trialColumn("run_id", "read the runs of trial " + trialKey, experiment, trialKey)
                .forEach(id -> run(id).ifPresent(runs::add));
        return runs;
    }

    /** One column of a trial key's runs in start order, through the trial-key index. */
    private List<String> trialColumn(String column, String what, String experiment, String trialKey) {
        return transaction(what, connection -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT r." + column + " FROM runs r JOIN experiments e ON r.experiment_id = e.id"
                            + " WHERE r.trial_key = ? AND e.name = ? ORDER BY r.start_millis")) {
                select.setString(1, trialKey);
                select.setString(2, experiment);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        out.add(rows.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Sets tags on a run, replacing the values of keys it already has. One transaction.
     *
     * @param runId the run id
     * @param tags tag names (1 to 250 characters) to values
     * @throws IllegalArgumentException if {@code runId} names no run, or a key or value is invalid
     * @throws TrackingException if the database fails
     */
    public synchronized void setTags(String runId, Map<String, String> tags) {
        StoreChecks.requireRunId(runId);
        Map<String, String> copy = StoreChecks.sortedCopy("tag", tags);
        transaction("set tags on run " + runId, connection -> {
            requireRun(RunWriter.touchRun(connection, runId, System.currentTimeMillis()), runId);
            RunWriter.upsertKeyValues(connection, runId, copy, false);
            return null;
        });
    }

    /**
     * Lists artifacts of a run, replacing the size of paths already listed. One transaction.
     *
     * @param runId the run id
     * @param artifacts the files, paths relative to the run's artifact directory
     * @throws IllegalArgumentException if {@code runId} names no run or {@code artifacts} is null
     * @throws TrackingException if the database fails
     */
    public synchronized void addArtifacts(String runId, List<ArtifactRecord> artifacts) {
        StoreChecks.requireRunId(runId);
        if (artifacts == null) {
            throw new IllegalArgumentException("The artifact list of run " + runId + " is null.");
        }
        List<ArtifactRecord> copy = List.copyOf(artifacts);
        transaction("add artifacts to run " + runId, connection -> {
            requireRun(RunWriter.touchRun(connection, runId, System.currentTimeMillis()), runId);
            RunWriter.upsertArtifacts(connection, runId, copy);
            return null;
        });
    }

    /**
     * Records a run's artifacts as exactly these files, in one transaction: sizes of paths already
     * listed are replaced, new paths added, and paths listed before but not now removed (files
     * deleted since, e.g. the checkpoints a continued run pruned after an earlier attempt listed
     * them).
     *
     * @param runId the run id
     * @param artifacts every file of the run's artifact directory, paths relative to it
     * @throws IllegalArgumentException if {@code runId} names no run or {@code artifacts} is null
     * @throws TrackingException if the database fails
     */
    public synchronized void replaceArtifacts(String runId, List<ArtifactRecord> artifacts) {
        StoreChecks.requireRunId(runId);
        if (artifacts == null) {
            throw new IllegalArgumentException("The artifact list of run " + runId + " is null.");
        }
        List<ArtifactRecord> copy = List.copyOf(artifacts);
        transaction("list the artifacts of run " + runId, connection -> {
            requireRun(RunWriter.touchRun(connection, runId, System.currentTimeMillis()), runId);
            RunWriter.removeArtifactsOtherThan(connection, runId, copy);
            RunWriter.upsertArtifacts(connection, runId, copy);
            return null;
        });
    }

    /**
     * Appends points to a run's metric series and updates their summaries, in one transaction. Points
     * of a series should come in non-decreasing step order (reads sort by step). How points are
     * split across calls does not change what is stored.
     *
     * @param runId the run id
     * @param pointsByKey metric name (1 to 250 characters) to the points to append, in order; empty
     *     lists are ignored
     * @throws IllegalArgumentException if {@code runId} names no run, {@code pointsByKey} is null, or
     *     a key is invalid or a list null
     * @throws TrackingException if the database fails; nothing of the call is stored then
     */
    public void appendMetrics(String runId, Map<String, List<MetricPoint>> pointsByKey) {
        if (pointsByKey == null) {
            throw new IllegalArgumentException("The metric points of run " + runId + " are null.");
        }
        Map<String, PointColumns> columns = new LinkedHashMap<>();
        pointsByKey.forEach((key, points) -> {
            StoreChecks.requireKey("metric", key);
            if (points == null) {
                throw new IllegalArgumentException("The points of metric '" + key + "' are null.");
            }
            columns.put(key, PointColumns.of(points));
        });
        appendColumns(runId, columns);
    }

    /**
     * Appends column batches (the allocation-light path of {@link AsyncTracker}).
     *
     * @return points in each appended series' last chunk afterwards (0 when it is full), by key
     */
    synchronized Map<String, Integer> appendColumns(String runId, Map<String, PointColumns> columnsByKey) {
        StoreChecks.requireRunId(runId);
        Map<String, PointColumns> nonEmpty = new LinkedHashMap<>();
        columnsByKey.forEach((key, columns) -> {
            StoreChecks.requireKey("metric", key);
            if (columns.size > 0) {
                nonEmpty.put(key, columns);
            }
        });
        if (nonEmpty.isEmpty()) {
            return Map.of();
        }
        try {
            return transaction("append metrics to run " + runId, connection -> {
                requireRun(RunWriter.touchRun(connection, runId, System.currentTimeMillis()), runId);
                return appender.append(connection, runId, nonEmpty);
            });
        } catch (RuntimeException e) {
            appender.forgetRun(runId);
            throw e;
        }
    }

    /**
     * Lists all experiments, ordered by name.
     *
     * @return the experiments with their run counts and last activity
     * @throws TrackingException if the database fails
     */
    public synchronized List<ExperimentRecord> experiments() {
        return transaction("list experiments", connection -> {
            List<ExperimentRecord> experiments = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT e.id, e.name, e.description, e.created_millis, COUNT(r.run_id), MAX(r.updated_millis)"
                            + " FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.id"
                            + " GROUP BY e.id, e.name, e.description, e.created_millis ORDER BY e.name");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long created = rows.getLong(4);
                    long last = rows.getLong(6);
                    experiments.add(new ExperimentRecord(rows.getLong(1), rows.getString(2), rows.getString(3),
                            created, rows.getInt(5), rows.wasNull() ? created : last));
                }
            }
            return experiments;
        });
    }

    /**
     * Runs several reads of this store as one consistent snapshot: what they return is the store
     * as of the first read, though a sweep goes on writing (an export of a running run read its
     * summary, then a longer series). Writes through this store wait until the reads end.
     *
     * @param reads reads through this store (their own transactions do not commit meanwhile)
     * @param <T> what they return
     * @return what {@code reads} returns
     * @throws TrackingException if the database fails
     */
    public synchronized <T> T readConsistently(java.util.function.Supplier<T> reads) {
        return db.snapshot(reads);
    }

    /**
     * Lists the runs of an experiment, ordered by trial index then start time, each with its params,
     * tags, metric summaries and artifacts (one query per table for the whole experiment).
     *
     * @param experiment the experiment name
     * @return the runs; empty if the experiment does not exist or has no runs
     * @throws IllegalArgumentException if {@code experiment} is null
     * @throws TrackingException if the database fails
     */
    public synchronized List<RunRecord> runs(String experiment) {
        if (experiment == null) {
            throw new IllegalArgumentException("An experiment name is required.");
        }
        return transaction("list the runs of experiment '" + experiment + "'",
                connection -> RunReader.runs(connection, RunReader.BY_EXPERIMENT, experiment));
    }

    /**
     * Finds a run by its id or a unique prefix of it.
     *
     * @param runIdOrUniquePrefix the full 32-character id or a prefix of at least 4 hex characters
     *     (case is ignored)
     * @return the run, or empty when no run id starts with the prefix
     * @throws IllegalArgumentException if the argument is not 4 to 32 hex characters, or the prefix
     *     matches more than one run (the message lists the matching ids, at most 20)
     * @throws TrackingException if the database fails
     */
    public synchronized Optional<RunRecord> run(String runIdOrUniquePrefix) {
        String prefix = runIdOrUniquePrefix == null ? "" : runIdOrUniquePrefix.trim().toLowerCase(Locale.ROOT);
        if (!RUN_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("A run id or prefix must be 4 to 32 hex characters, got '"
                    + runIdOrUniquePrefix + "'.");
        }
        return transaction("find run '" + prefix + "'", connection -> {
            List<String> ids = matchingRunIds(connection, prefix);
            if (ids.size() > 1) {
                throw new IllegalArgumentException("The run id prefix '" + prefix + "' is ambiguous; it matches "
                        + String.join(", ", ids.subList(0, Math.min(ids.size(), MAX_LISTED_MATCHES)))
                        + (ids.size() > MAX_LISTED_MATCHES ? ", ..." : "") + ".");
            }
            return ids.isEmpty()
                    ? Optional.<RunRecord>empty()
                    : RunReader.runs(connection, RunReader.BY_RUN, ids.get(0)).stream().findFirst();
        });
    }

    /**
     * Reads a whole metric series.
     *
     * @param runId the full run id
     * @param key the metric name
     * @return all points in step order (points with equal steps in append order); empty if the run or
     *     the series does not exist
     * @throws IllegalArgumentException if {@code runId} or {@code key} is null
     * @throws TrackingException if the database fails
     */
    public synchronized List<MetricPoint> metric(String runId, String key) {
        StoreChecks.requireRunId(runId);
        if (key == null) {
            throw new IllegalArgumentException("A metric name is required.");
        }
        return transaction("read metric '" + key + "' of run " + runId, connection -> RunReader.metric(connection, runId, key));
    }

    /**
     * Reads a whole metric series as primitive columns, in step order: no object per point, for
     * readers of long series (down-sampling a million points for a chart).
     *
     * @param runId the full run id
     * @param key the metric name
     * @return the columns; empty if the run or metric does not exist
     * @throws IllegalArgumentException if {@code runId} is blank or {@code key} is null
     * @throws TrackingException if the database fails
     */
    public synchronized MetricSeries metricSeries(String runId, String key) {
        StoreChecks.requireRunId(runId);
        if (key == null) {
            throw new IllegalArgumentException("A metric name is required.");
        }
        return transaction("read metric '" + key + "' of run " + runId,
                connection -> RunReader.series(connection, runId, key));
    }

    /**
     * Lists the metric names a run has points for.
     *
     * @param runId the full run id
     * @return the names in alphabetical order; empty if the run does not exist
     * @throws IllegalArgumentException if {@code runId} is null or blank
     * @throws TrackingException if the database fails
     */
    public synchronized List<String> metricKeys(String runId) {
        StoreChecks.requireRunId(runId);
        return transaction("list the metrics of run " + runId, connection -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT metric_key FROM metric_summaries WHERE run_id = ? ORDER BY metric_key")) {
                select.setString(1, runId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        keys.add(rows.getString(1));
                    }
                }
            }
            return keys;
        });
    }

    /** Runs one {@link StoreHousekeeping} round now (tests; the timer runs them every 2 s). */
    boolean keepHouse() {
        return housekeeping.round();
    }

    /**
     * Stops the file housekeeping and closes the connection. Calling it again does nothing.
     *
     * @throws TrackingException if closing the connection fails
     */
    @Override
    public synchronized void close() {
        housekeeping.close();
        appender.forgetAll();
        db.close();
    }

    private static List<String> matchingRunIds(Connection connection, String prefix) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT run_id FROM runs WHERE run_id LIKE ? ORDER BY run_id FETCH FIRST "
                        + (MAX_LISTED_MATCHES + 1) + " ROWS ONLY")) {
            select.setString(1, prefix + "%");
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    private static void requireRun(boolean exists, String runId) {
        if (!exists) {
            throw new IllegalArgumentException("No run with id '" + runId + "' exists.");
        }
    }

    /**
     * Runs work in a transaction ({@link StoreConnection#transaction}); after a lost connection the
     * cached series tails are dropped and reloaded from the database. Then the lock file is made
     * private again ({@link StoreLockFile}): when the process serving the store exits, the next
     * transaction of another one takes it over and H2 writes a new lock file, readable by everyone.
     */
    private <T> T transaction(String what, StoreConnection.SqlWork<T> work) {
        T result = db.transaction(what, work, appender::forgetAll);
        lockFile.check(db.servedFileStore() != null); // this process may have taken the store over in it
        return result;
    }

    /** Work that must tell a retry apart: after a lost connection its first attempt may have committed. */
    private interface RetryingWork<T> {
        T run(java.sql.Connection connection, boolean retry) throws java.sql.SQLException;
    }

    /** {@link #transaction}, telling the work whether an earlier attempt of this call was made. */
    private <T> T retryingTransaction(String what, RetryingWork<T> work) {
        boolean[] attempted = {false};
        return transaction(what, connection -> {
            boolean retry = attempted[0];
            attempted[0] = true;
            return work.run(connection, retry);
        });
    }
}
