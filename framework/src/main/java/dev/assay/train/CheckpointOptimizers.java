package dev.assay.train;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimizer states a trial's {@link Checkpoints} hold: the optimizers registered in the order
 * of the models given to {@link Checkpoints#save(int, long, Model...)}, each one's state written
 * beside its model's parameters as {@code <prefix>.optimizer} ({@link OptimizerStates}: momentum,
 * moment estimates, update counts) and put back when a run continues. Written for all models or
 * for none: once one state cannot be read out of DJL's optimizer (its private fields moved), no
 * later checkpoint of the trial holds any, with one warning. Not thread-safe: the training thread
 * calls it.
 */
final class CheckpointOptimizers {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointOptimizers.class);

    /** The file name suffix of an optimizer state in a checkpoint directory. */
    static final String SUFFIX = ".optimizer";

    private final List<Optimizer> optimizers = new ArrayList<>();
    private final BiFunction<Model, Integer, String> prefix;
    private boolean unreadable;

    /**
     * Creates the holder.
     *
     * @param prefix a model's file prefix in a checkpoint directory, given the model and the number
     *     of models saved together
     */
    CheckpointOptimizers(BiFunction<Model, Integer, String> prefix) {
        this.prefix = prefix;
    }

    /** Registers the optimizer of the next model. */
    void register(Optimizer optimizer) {
        optimizers.add(optimizer);
    }

    /** Whether a checkpoint directory holds optimizer states; false if it cannot be listed. */
    static boolean heldIn(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(SUFFIX));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes each registered optimizer's state into a checkpoint's temporary directory, unless an
     * earlier one proved unreadable.
     *
     * @param directory the checkpoint's temporary directory
     * @param models the models saved, in registration order
     * @throws IOException if a state file cannot be written or removed
     */
    void saveInto(Path directory, Model... models) throws IOException {
        for (int i = 0; i < models.length && i < optimizers.size() && !unreadable; i++) {
            try {
                OptimizerStates.save(optimizers.get(i), models[i].getBlock(), file(directory, models[i], models.length));
            } catch (IllegalStateException e) { // DJL's private fields moved: keep training
                unreadable = true;
                for (Model written : models) { // all or none: the continuation restores them together
                    Files.deleteIfExists(file(directory, written, models.length));
                }
                LOG.warn("Checkpoints of this trial hold no optimizer state ({}); a continuation"
                        + " restarts the optimizer's moments from zero", e.getMessage());
            }
        }
    }

    /**
     * Puts a checkpoint's optimizer states back into the registered optimizers; a model whose
     * state file is absent keeps its optimizer as it is.
     *
     * @param directory the checkpoint's directory
     * @param manager owns the restored state arrays
     * @param models the initialized models, in registration order
     * @throws IOException if a state cannot be read or does not fit its optimizer or model
     */
    void restoreFrom(Path directory, NDManager manager, Model... models) throws IOException {
        for (int i = 0; i < models.length && i < optimizers.size(); i++) {
            Path file = file(directory, models[i], models.length);
            if (Files.isRegularFile(file)) {
                OptimizerStates.restore(optimizers.get(i), models[i].getBlock(), file, manager);
            }
        }
    }

    /** Frees the registered optimizers' state arrays ({@link OptimizerStates#release}) and forgets them. */
    void release() {
        for (Optimizer optimizer : optimizers) {
            try {
                OptimizerStates.release(optimizer);
            } catch (RuntimeException e) {
                LOG.warn("Could not free the optimizer state of {}: {}", optimizer.getClass().getSimpleName(),
                        e.getMessage());
            }
        }
        optimizers.clear();
    }

    private Path file(Path directory, Model model, int count) {
        return directory.resolve(prefix.apply(model, count) + SUFFIX);
    }
}
