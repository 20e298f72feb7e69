package dev.assay.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-epoch checkpoints of one trial, under {@code <run artifact dir>/checkpoints/}. After each
 * epoch the training loop calls {@link #save}, which writes the parameters with DJL's {@code
 * Model.save} and a {@code checkpoint.json} (epoch, step, last logged step per metric, as of the
 * call) into a temporary directory and returns; a publisher thread then makes the tracker's
 * metrics durable (flushed to the store and the store synced to disk), renames the directory
 * atomically to {@code epoch-NNNN} and deletes older checkpoints, while training goes on. A
 * process killed at any moment therefore leaves either the previous complete checkpoint or the
 * new one, and the store always holds every metric a visible checkpoint refers to. The next
 * {@link #save}, {@link #awaitPublished()} and {@link #close()} wait for the publishing in
 * progress; the runner closes the checkpoints when the trial ends, before it lists the run's
 * artifacts.
 *
 * <p>When a run is continued ({@link #resumePoint()} present), {@link #restore} loads the
 * parameters into the model before the trainer initializes it (DJL keeps parameters that are
 * already set), and the optimizer's learning-rate schedule continues from the checkpoint's step
 * ({@link TrialContext#buildOptimizer}). The optimizers the trial built through {@link
 * TrialContext#buildOptimizer} are {@linkplain #register registered} here, in the order of the
 * models given to {@link #save}; a checkpoint before the final epoch also holds each one's state
 * ({@link OptimizerStates}: momentum, moment estimates, update counts; file {@code
 * <prefix>.optimizer}), which {@link #restoreOptimizers} puts back once the trainers are
 * initialized, so the continued steps are the ones an unstopped trial takes. The final epoch's
 * checkpoint has no optimizer state: a completed trial is not continued. Not restored: the data
 * order (the sampler is reseeded). The runner replays the kept history into the early-stopping
 * rule. With {@link #keepingBestWeights()} the best epoch's parameters are kept as well ({@link
 * BestWeights}: {@code best-weights.ndlist} in each checkpoint's directory, published with it).
 */
public final class Checkpoints implements AutoCloseable {

    /** The parameter files' prefix: {@code checkpoint-NNNN.params}. */
    public static final String PREFIX = "checkpoint";

    private final Path root;
    private final Runnable flush;
    private final LoggedStepsTracker logged;
    private final Checkpoint resumeFrom;
    private final int finalEpoch;
    private final long intervalNanos;
    private long lastSaveNanos;
    /** The trial's seed, when epochs are seeded from it ({@link #seedingEpochs}); else null. */
    private Long trialSeed;
    private ExecutorService executor;
    private volatile Future<Void> pending;
    private final CheckpointOptimizers optimizers = new CheckpointOptimizers(Checkpoints::prefix);
    private BestWeights best;

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    /** Why the final epoch's checkpoint could not be written; thrown by {@link #close()}. */
    private IOException finalFailure;

    /**
     * Creates the checkpoints of a run that saves one after every epoch.
     *
     * @param root the directory to write into ({@code <run artifact dir>/checkpoints}), or null to
     *     keep no checkpoints
     * @param flush makes every metric logged so far durable in the store; called on the
     *     publisher thread while training goes on, so it must be thread-safe
     * @param logged the run's tracker, which knows the last step logged per metric
     * @param resumeFrom the checkpoint to continue from, or null to start at epoch 1
     */
    public Checkpoints(Path root, Runnable flush, LoggedStepsTracker logged, Checkpoint resumeFrom) {
        this(root, flush, logged, resumeFrom, Integer.MAX_VALUE, Duration.ZERO);
    }

    /**
     * Creates the checkpoints of a run that saves one after an epoch only when {@code interval}
     * has passed since the last one (or since this object was created), and always after the
     * final epoch: with epochs of a fraction of a second, saving each would cost more than the
     * training it protects, while a crash loses at most {@code interval} of training.
     *
     * @param root the directory to write into ({@code <run artifact dir>/checkpoints}), or null to
     *     keep no checkpoints
     * @param flush makes every metric logged so far durable in the store; called on the
     *     publisher thread while training goes on, so it must be thread-safe
     * @param logged the run's tracker, which knows the last step logged per metric
     * @param resumeFrom the checkpoint to continue from, or null to start at epoch 1
     * @param finalEpoch the trial's last epoch ({@code training.epochs}), always saved
     * @param interval the least time between two checkpoints before the final epoch; zero saves
     *     after every epoch
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public Checkpoints(Path root, Runnable flush, LoggedStepsTracker logged, Checkpoint resumeFrom,
            int finalEpoch, Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("The checkpoint interval must be ≥ 0, got " + interval + ".");
        }
        this.root = root;
        this.flush = flush;
        this.logged = logged;
        this.resumeFrom = resumeFrom;
        this.finalEpoch = finalEpoch;
        this.intervalNanos = interval.toNanos();
        this.lastSaveNanos = System.nanoTime();
        CheckpointFiles.removeUnpublished(root);
    }

    /**
     * Makes {@link #beginEpoch} seed each epoch from the trial's seed ({@link EpochSeeds}).
     *
     * @param seed the trial's seed
     * @return this
     */
    public Checkpoints seedingEpochs(long seed) {
        this.trialSeed = seed;
        return this;
    }

    /**
     * Seeds the engine for an epoch about to start ({@link EpochSeeds#seedEngine}), so that the
     * epoch draws the same data order and dropout whether the trial ran through or continued from
     * a checkpoint. A no-op without {@link #seedingEpochs} (as in {@link #disabled()}).
     *
     * @param epoch the 1-based epoch about to start
     */
    public void beginEpoch(int epoch) {
        if (trialSeed != null) {
            EpochSeeds.seedEngine(trialSeed, epoch);
        }
    }

    /**
     * Keeps the parameters of the best epoch, as the early-stopping rule judges it ({@link
     * #bestEpoch}), so that {@link #restoreBest} can put them back before the test ({@code
     * training.early_stopping.restore_best_weights}); see {@link BestWeights}.
     *
     * @return this
     */
    public Checkpoints keepingBestWeights() {
        if (best == null) {
            Path from = null;
            if (resumeFrom != null) { // a checkpoint written before 3 Dec 2026 has its best weights beside it
                from = Files.isRegularFile(resumeFrom.directory().resolve(BestWeights.FILE)) ? resumeFrom.directory()
                        : root;
            }
            best = new BestWeights(from, logged);
        }
        return this;
    }

    /**
     * Records that an epoch is the best so far: its parameters are kept when it is {@linkplain
     * #save saved} (called by the early-stopping rule as the epoch ends, before the save). A no-op
     * unless {@link #keepingBestWeights()}.
     *
     * @param epoch the 1-based epoch
     */
    public void bestEpoch(int epoch) {
        if (best != null) {
            best.improvedAt(epoch);
        }
    }

    /**
     * Puts the best epoch's parameters back into the models, in place, and tags the run with it
     * ({@code best_weights_epoch}): the training loop calls it when training ends (the final epoch
     * or an early stop), before the test. A no-op unless {@link #keepingBestWeights()}; without a
     * best epoch (the monitored metric never improved, e.g. NaN throughout) the models keep the last
     * epoch's parameters and a warning says so.
     *
     * @param models the trial's models, in the order given to {@link #save(int, long, Model...)}
     * @return the epoch whose parameters the models now hold, or 0 if they were left as they were
     * @throws IOException if a continued run's kept parameters cannot be read, or the last
     *     checkpoint (which holds them) could not be published
     */
    public int restoreBest(Model... models) throws IOException {
        if (best == null) {
            return 0;
        }
        awaitPublished(); // a continued run reads them from the newest checkpoint's directory
        return best.restoreInto(models);
    }

    /**
     * Whether the trial keeps its best weights ({@link #keepingBestWeights()}) but its task never
     * called {@link #restoreBest}: a task with a loop of its own (the GAN's) was tested with its
     * last epoch's weights.
     *
     * @return true if the best weights were kept and never asked for
     */
    public boolean bestWeightsUnrestored() {
        return best != null && !best.restoreCalled();
    }

    /**
     * Whether an epoch is the trial's final one ({@code training.epochs}).
     *
     * @param epoch the 1-based epoch
     * @return true if no epoch follows it
     */
    public boolean isFinal(int epoch) {
        return epoch >= finalEpoch;
    }

    /**
     * Returns checkpoints that save nothing and resume nothing.
     *
     * @return disabled checkpoints
     */
    public static Checkpoints disabled() {
        return new Checkpoints(null, () -> { }, null, null);
    }

    /**
     * Returns the checkpoint this trial continues from.
     *
     * @return the checkpoint, or empty for a trial that starts at epoch 1
     */
    public Optional<Checkpoint> resumePoint() {
        return Optional.ofNullable(resumeFrom);
    }

    /**
     * Registers the optimizer of the next model (in the order models are given to {@link #save}),
     * so that checkpoints hold its state.
     *
     * @param optimizer the optimizer the model's trainer uses
     */
    public void register(ai.djl.training.optimizer.Optimizer optimizer) {
        optimizers.register(optimizer);
    }

    /**
     * Returns whether the checkpoint to continue from holds optimizer state (written for all its
     * models or for none), so the continued optimizers count their updates on from it.
     *
     * @return true if there is a resume point with optimizer state
     */
    public boolean resumesOptimizerState() {
        return resumeFrom != null && CheckpointOptimizers.heldIn(resumeFrom.directory());
    }

    /**
     * Puts the checkpoint's optimizer states back into the registered optimizers (call it after
     * the trainers are initialized, before the first update). Does nothing for a fresh trial or a
     * checkpoint without optimizer state.
     *
     * @param models the trial's models, initialized, in the order given to {@link #save}
     * @param manager owns the restored state arrays until training ends (e.g. the trainer's)
     * @throws IOException if a state cannot be read or does not fit its optimizer or model
     */
    public void restoreOptimizers(NDManager manager, Model... models) throws IOException {
        if (resumeFrom != null) {
            optimizers.restoreFrom(resumeFrom.directory(), manager, models);
        }
    }

    /**
     * Loads the checkpoint's parameters into models whose blocks are set but not yet initialized
     * (call it before {@code Trainer.initialize}). Does nothing for a fresh trial.
     *
     * @param models the trial's models, with their blocks set, in the order given to
     *     {@link #save(int, long, Model...)}
     * @return the number of epochs already completed: the checkpoint's epoch, or 0
     * @throws IOException if the parameters cannot be read or do not fit a block
     */
    public int restore(Model... models) throws IOException {
        if (resumeFrom == null) {
            return 0;
        }
        for (Model model : models) {
            try {
                model.load(resumeFrom.directory(), prefix(model, models.length));
            } catch (MalformedModelException e) {
                throw new IOException("checkpoint " + resumeFrom.directory()
                        + " does not fit model '" + model.getName() + "': " + e.getMessage(), e);
            } catch (IOException e) { // a bare EOFException named neither the file nor the run
                throw new IOException("cannot read the parameters of model '" + model.getName() + "' from checkpoint "
                        + resumeFrom.directory() + " (" + prefix(model, models.length) + "-NNNN.params): " + e, e);
            }
        }
        return resumeFrom.epoch();
    }

    /**
     * Saves a checkpoint of one model after an epoch (see the class comment for the order of
     * writes), unless the interval since the last one has not passed and this is not the final
     * epoch.
     *
     * @param model the trained model
     * @param epoch epochs completed (≥ 1)
     * @param step the global update step reached
     * @throws IOException if the files cannot be written
     */
    public void save(Model model, int epoch, long step) throws IOException {
        save(epoch, step, model);
    }

    /**
     * Saves a checkpoint of several models (e.g. a GAN's generator and discriminator) after an
     * epoch, unless the interval since the last one has not passed and this is not the final
     * epoch: one model is written as {@code checkpoint-NNNN.params}, several each under its own
     * name ({@code generator-NNNN.params}, ...).
     *
     * @param epoch epochs completed (≥ 1)
     * @param step the global update step reached
     * @param models the trained models, with distinct names
     * @throws IOException if the files of an epoch before the final one cannot be written (the
     *     partial files are removed); the final epoch's failure is kept and thrown by {@link
     *     #close()} instead, so that a trial whose training is over still tests and logs its
     *     results before its run is recorded failed
     */
    public void save(int epoch, long step, Model... models) throws IOException {
        if (best != null) {
            best.keep(epoch, models);
        }
        if (root == null || !isFinal(epoch) && System.nanoTime() - lastSaveNanos < intervalNanos) {
            return;
        }
        lastSaveNanos = System.nanoTime();
        awaitPublished();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("epoch", epoch);
        meta.put("step", step);
        meta.put("last_steps", logged.lastSteps());
        Path tmp = root.resolve(".epoch-" + epoch + ".tmp");
        Path target = root.resolve(String.format(Locale.ROOT, "epoch-%04d", epoch));
        try {
            Files.createDirectories(root);
            CheckpointFiles.deleteTree(tmp);
            Files.createDirectories(tmp);
            for (Model model : models) {
                model.setProperty("Epoch", String.valueOf(epoch));
                model.save(tmp, prefix(model, models.length));
            }
            if (!isFinal(epoch)) {
                optimizers.saveInto(tmp, models);
            }
            if (best != null) {
                best.persistInto(tmp, target); // the best epoch's weights as of this checkpoint, for a continued run
            }
        } catch (IOException | RuntimeException e) {
            IOException failure = unwritten(tmp, epoch, e);
            if (!isFinal(epoch)) {
                throw failure;
            }
            // training is over: the trial still tests and logs its results, and fails at close
            finalFailure = failure;
            LOG.warn("{}; the trial goes on to its test, then its run is recorded failed with this error",
                    failure.getMessage());
            return;
        }
        pending = publisher().submit(() -> {
            try {
                return publish(tmp, meta, target);
            } catch (IOException | RuntimeException e) {
                throw unwritten(tmp, epoch, e);
            }
        });
    }

    /**
     * Removes a checkpoint that could not be written and says so: on a full disk the half-written
     * {@code .epoch-N.tmp} stayed, filling the disk for every later trial of the sweep, and the
     * trial's error was a bare "IOException: No space left on device".
     */
    private IOException unwritten(Path tmp, int epoch, Exception e) {
        try {
            CheckpointFiles.deleteTree(tmp);
        } catch (IOException | RuntimeException cleanup) {
            e.addSuppressed(cleanup);
        }
        return new IOException("could not write the checkpoint of epoch " + epoch + " under " + root + " ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + "); its partial files were removed", e);
    }

    /**
     * Makes a written checkpoint visible: flushes and syncs the store, seals the temporary
     * directory ({@code checkpoint.json} with each file's length and CRC-32, every file forced to
     * disk: {@link CheckpointFiles#seal}), renames it to {@code target} and forces the rename,
     * deletes older checkpoints. Runs on the publisher thread.
     */
    private Void publish(Path tmp, Map<String, Object> meta, Path target) throws IOException {
        flush.run();
        CheckpointFiles.seal(tmp, meta);
        CheckpointFiles.deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        CheckpointFiles.force(root); // the rename reaches the disk before the older checkpoint goes
        for (Path old : CheckpointFiles.epochDirs(root)) {
            if (!old.equals(target)) {
                CheckpointFiles.deleteTree(old);
            }
        }
        return null;
    }

    /**
     * Deletes what a killed process left of checkpoints it did not finish writing under a run's
     * checkpoint directory ({@code .epoch-N.tmp}: never published, never read), as a new {@code
     * Checkpoints} does before it writes, for a run that is not continued: a trial started over in a
     * new run left its interrupted run's half-written weights on disk for good (found by a new-user
     * check: {@code kill -9} during the final checkpoint left {@code .epoch-3.tmp/checkpoint-0003.params}).
     * Published checkpoints are left alone. Call it only for a run no process writes any more (one
     * recorded interrupted or failed).
     *
     * @param root the run's checkpoint directory; may not exist
     * @throws UncheckedIOException if a directory cannot be listed or deleted
     */
    public static void discardUnpublished(Path root) {
        CheckpointFiles.removeUnpublished(root);
    }

    /**
     * Waits until the last checkpoint saved is published (its directory renamed into place), so
     * that it can be listed or read.
     *
     * @throws IOException if publishing failed: the store could not be flushed or synced, or the
     *     directory could not be renamed
     */
    public void awaitPublished() throws IOException {
        Future<Void> last = pending;
        if (last == null) {
            return;
        }
        try {
            last.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing a checkpoint", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io
                    : new IOException("publishing checkpoint failed: " + cause.getMessage(), cause);
        } finally {
            if (pending == last && last.isDone()) {
                pending = null;
            }
        }
    }

    /**
     * Waits for the last checkpoint to be published, stops the publisher thread and frees the
     * registered optimizers' state arrays ({@link OptimizerStates#release}: DJL never frees them;
     * the runner closes the checkpoints when the trial's training and test are over). Safe to call
     * more than once, and on disabled checkpoints.
     *
     * @throws IOException as {@link #awaitPublished()}, or the final epoch's checkpoint could
     *     not be written ({@link #save(int, long, Model...)})
     */
    @Override
    public void close() throws IOException {
        try {
            awaitPublished();
            if (finalFailure != null) {
                IOException failure = finalFailure;
                finalFailure = null;
                throw failure;
            }
        } finally {
            if (executor != null) {
                executor.shutdown();
                executor = null;
            }
            optimizers.release();
            if (best != null) {
                best.close();
            }
        }
    }

    private ExecutorService publisher() {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "assay-checkpoint");
                t.setDaemon(true);
                return t;
            });
        }
        return executor;
    }

    /** A model's file prefix in a checkpoint directory: {@value #PREFIX} alone, else the model's name. */
    private static String prefix(Model model, int count) {
        return count == 1 ? PREFIX : model.getName();
    }

    /**
     * Finds the newest usable checkpoint under a directory: complete, its {@code checkpoint.json}
     * readable and its files matching the lengths and CRC-32s listed there. A newer one that is
     * not is skipped with a warning naming the file and what is wrong.
     *
     * @param root a run's {@code checkpoints} directory (may not exist)
     * @return the checkpoint, or empty if there is none or none is usable (its trial starts over)
     * @throws UncheckedIOException if the directory cannot be listed
     */
    public static Optional<Checkpoint> latest(Path root) {
        return CheckpointFiles.latest(root);
    }
}
