package dev.assay.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trial's state at the end of an epoch, as saved by {@link Checkpoints#save}: the model
 * parameters (DJL {@code Model.save} format, file {@code checkpoint-NNNN.params}) in
 * {@code directory}, and what a continued run needs to line up with them.
 *
 * @param epoch the number of epochs completed (1-based epoch just finished)
 * @param step the global update step reached (optimizer steps since the start of the trial)
 * @param lastSteps metric name to the last step it had logged when the checkpoint was taken
 * @param directory the directory holding the parameters file
 */
public record Checkpoint(int epoch, long step, Map<String, Long> lastSteps, Path directory) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if {@code epoch < 1} or {@code step < 0}
     */
    public Checkpoint {
        if (epoch < 1 || step < 0) {
            throw new IllegalArgumentException("A checkpoint needs epoch >= 1 and step >= 0, got epoch "
                    + epoch + ", step " + step + ".");
        }
        lastSteps = java.util.Collections.unmodifiableMap(new TreeMap<>(lastSteps));
    }
}
