package dev.assay.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.assay.track.RunTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parameters of a trial's best epoch so far, for {@code training.early_stopping.restore_best_weights}:
 * the early-stopping rule says which epoch is best ({@link #improvedAt}); when that epoch ends,
 * {@link #keep} copies every parameter of the trial's models on the device, and each checkpoint
 * the run writes carries them in its own directory ({@link #persistInto}: {@value #FILE}, listed
 * with its CRC-32 like the checkpoint's other files), so that a continued run still has the best
 * epoch of the checkpoint it continues from; {@link #restoreInto} copies them back into the
 * models in place, before the test.
 *
 * <p>The file is a DJL {@link NDList} encoding: first a scalar {@code int32} array named {@code
 * epoch}, then each model's parameters in {@code Block.getParameters()} order, named {@code
 * <model index>:<parameter name>}. Being part of the checkpoint's directory, it is published (or
 * not) with it: a crash at any moment leaves each published checkpoint with the best epoch as of
 * that checkpoint. (Until 3 Dec 2026 one file beside the epoch directories was replaced before the
 * new checkpoint was published; a kill in between left the previous checkpoint listing a best
 * file it no longer matched, so it was unusable and the trial started over. Such a checkpoint
 * still reads: {@link CheckpointFiles} checks its listing against that file.) A checkpoint whose
 * best epoch has not changed since the previous one gets a hard link to the previous one's file
 * (a copy where links fail), not a new write. Memory: one more copy of the parameters on the
 * device (e.g. 0.9 MB for the 784-256-128-10 MLP). Not thread-safe: the training thread calls it.
 */
final class BestWeights implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BestWeights.class);

    /** The best epoch's parameters in a run's checkpoint directory. */
    static final String FILE = "best-weights.ndlist";

    /** The run tag that records the epoch whose parameters the trial was tested with. */
    static final String TAG = "best_weights_epoch";

    private final RunTracker tracker;
    /** The best-weights file of the newest checkpoint (published or being published), or null. */
    private Path newest;
    private int bestEpoch;
    private int keptEpoch;
    /** The epoch whose parameters this process last wrote to a checkpoint's {@value #FILE}, or 0. */
    private int writtenEpoch;
    private NDManager manager;
    private NDList kept;
    private boolean restoreCalled;

    /**
     * Creates the holder.
     *
     * @param from the directory whose {@value #FILE} holds the best epoch as of the checkpoint a
     *     continued run starts from (that checkpoint's directory; for one written before 3 Dec 2026
     *     the run's checkpoint directory), or null for a trial that starts at epoch 1
     * @param tracker the run's tracker, for the {@value #TAG} tag; may be null
     */
    BestWeights(Path from, RunTracker tracker) {
        this.newest = from == null ? null : from.resolve(FILE);
        this.tracker = tracker;
    }

    /**
     * Records that an epoch is the best so far (called by the early-stopping rule while the epoch
     * ends, before {@link #keep}, and for a continued run's replayed history).
     *
     * @param epoch the 1-based epoch
     */
    void improvedAt(int epoch) {
        bestEpoch = epoch;
    }

    /**
     * Keeps the models' parameters, on the device, if {@code epoch} is the best so far.
     *
     * @param epoch the 1-based epoch that just ended
     * @param models the trial's models
     */
    void keep(int epoch, Model... models) {
        if (epoch != bestEpoch) {
            return;
        }
        close();
        manager = managerBeside(models[0]);
        kept = new NDList();
        for (Pair<String, Parameter> p : parameters(models)) {
            NDArray copy = p.getValue().getArray().duplicate();
            copy.attach(manager);
            copy.setName(p.getKey());
            kept.add(copy);
        }
        keptEpoch = epoch;
    }

    /**
     * Puts the best epoch's parameters as of now into a checkpoint's (temporary) directory, as
     * {@value #FILE}: called with each checkpoint the run writes ({@link Checkpoints#save(int, long,
     * Model...)}), before it is sealed and published, so that the file costs no more writes than
     * the checkpoints do ({@code --checkpoint-interval}). Writes the kept parameters when they are
     * newer than the previous checkpoint's file; otherwise links that file (the best epoch did not
     * change, or a continued run has kept nothing yet). A no-op when there is no best epoch yet.
     *
     * @param dir the checkpoint's temporary directory, where the file is put
     * @param publishedAs the directory {@code dir} is renamed to when it is published, where the
     *     next checkpoint (and {@link #restoreInto}) will find the file
     * @throws IOException if the file cannot be written, linked or copied
     */
    void persistInto(Path dir, Path publishedAs) throws IOException {
        Path previous = newest != null && Files.isRegularFile(newest) ? newest : null;
        Path file = dir.resolve(FILE);
        if (kept != null && (writtenEpoch != keptEpoch || previous == null)) {
            write(file, keptEpoch);
            writtenEpoch = keptEpoch;
        } else if (previous != null) {
            link(previous, file);
        } else {
            return;
        }
        newest = publishedAs.resolve(FILE);
    }

    private void write(Path file, int epoch) throws IOException {
        NDList all = new NDList();
        NDArray epochArray = manager.create(epoch);
        epochArray.setName("epoch");
        all.add(epochArray);
        all.addAll(kept);
        try {
            Files.write(file, all.encode());
        } finally {
            epochArray.close();
        }
    }

    /** A hard link to {@code existing} at {@code link}, or a copy where the file system refuses links. */
    private static void link(Path existing, Path link) throws IOException {
        try {
            Files.createLink(link, existing);
        } catch (UnsupportedOperationException | IOException e) {
            Files.deleteIfExists(link);
            Files.copy(existing, link);
        }
    }

    /**
     * Copies the best epoch's parameters into the models (in place: the trainers keep their arrays)
     * and records the epoch in the {@value #TAG} tag. A continued run whose best epoch came before
     * the continuation reads them from {@value #FILE}. Does nothing, with a warning, when no epoch
     * improved the monitored metric or the best epoch's parameters are missing; the models then keep
     * the last epoch's parameters and the tag says {@code none} (replacing an earlier attempt's).
     *
     * @param models the trial's models, as given to {@link #keep}
     * @return the epoch restored, or 0 if none was
     * @throws IOException if the file exists but cannot be read
     */
    int restoreInto(Model... models) throws IOException {
        restoreCalled = true;
        int restored = copyBest(models);
        if (tracker != null) {
            // "none" replaces the tag of an earlier attempt of a continued run that did restore
            tracker.setTag(TAG, restored == 0 ? "none" : String.valueOf(restored));
        }
        if (restored > 0) {
            LOG.info("Restored the weights of epoch {} (the best by more than min_delta) for the test", restored);
        }
        return restored;
    }

    /** Copies the best epoch's parameters into the models; the epoch, or 0 (with a warning) if it cannot. */
    private int copyBest(Model... models) throws IOException {
        if (bestEpoch == 0) {
            LOG.warn("No epoch improved the early-stopping metric: testing with the last epoch's weights");
            return 0;
        }
        NDList source = kept;
        NDManager loaded = null;
        try {
            if (keptEpoch != bestEpoch) {
                loaded = managerBeside(models[0]);
                source = read(loaded);
                if (source == null) {
                    return 0;
                }
            }
            List<Pair<String, Parameter>> params = parameters(models);
            if (source.size() != params.size()) {
                LOG.warn("The kept best weights have {} arrays, the models {} parameters: testing with the last"
                        + " epoch's weights", source.size(), params.size());
                return 0;
            }
            for (int i = 0; i < params.size(); i++) {
                NDArray target = params.get(i).getValue().getArray();
                if (!source.get(i).getShape().equals(target.getShape())) {
                    LOG.warn("The kept best weights do not fit parameter {} ({} vs {}): testing with the last"
                            + " epoch's weights", params.get(i).getKey(), source.get(i).getShape(), target.getShape());
                    return 0;
                }
            }
            for (int i = 0; i < params.size(); i++) {
                source.get(i).copyTo(params.get(i).getValue().getArray());
            }
        } finally {
            if (loaded != null) {
                loaded.close();
            }
        }
        return bestEpoch;
    }

    /**
     * Whether {@link #restoreInto} was called (whatever it restored): false when the task trains
     * with a loop of its own that never restores (the GAN's).
     *
     * @return true once the task has asked for the best weights
     */
    boolean restoreCalled() {
        return restoreCalled;
    }

    /**
     * Reads the best epoch's parameters from the newest checkpoint's file (a continued run's best
     * epoch came before the continuation); null (with a warning) if missing or of another epoch.
     */
    private NDList read(NDManager into) throws IOException {
        Path file = newest;
        if (file == null || !Files.isRegularFile(file)) {
            LOG.warn("The weights of epoch {} (the best) were not kept: testing with the last epoch's weights",
                    bestEpoch);
            return null;
        }
        NDList all;
        int epoch;
        try {
            all = NDList.decode(into, Files.readAllBytes(file));
            epoch = all.get(0).toType(ai.djl.ndarray.types.DataType.INT32, false).getInt();
        } catch (RuntimeException e) { // DJL's decoder throws unchecked exceptions for a damaged file
            throw new IOException("cannot read the weights of epoch " + bestEpoch + " (the best) from " + file
                    + ", which is damaged (" + e.getMessage() + "); delete it to test with the last epoch's"
                    + " weights", e);
        }
        if (epoch != bestEpoch) {
            LOG.warn("{} holds epoch {}, not epoch {} (the best): testing with the last epoch's weights", file, epoch,
                    bestEpoch);
            return null;
        }
        return all.subNDList(1);
    }

    /** A manager of its own on the model's device and engine (it outlives no model, nor depends on one). */
    private static NDManager managerBeside(Model model) {
        NDManager of = model.getNDManager();
        return NDManager.newBaseManager(of.getDevice(), of.getEngine().getEngineName());
    }

    private static List<Pair<String, Parameter>> parameters(Model... models) {
        List<Pair<String, Parameter>> out = new ArrayList<>();
        for (int m = 0; m < models.length; m++) {
            for (Pair<String, Parameter> p : models[m].getBlock().getParameters()) {
                out.add(new Pair<>(m + ":" + p.getKey(), p.getValue()));
            }
        }
        return out;
    }

    /** Frees the kept copy (the file stays). */
    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
        kept = null;
        keptEpoch = 0;
    }
}
