package dev.assay.data;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;

/**
 * What a dataset provider gets besides its parameters.
 *
 * @param manager the trial's NDManager; arrays made here are freed when the trial ends
 * @param batchSize samples per batch for all splits
 * @param seed the trial seed: use it for the validation split and the shuffle order
 * @param dataDirs directories to search first, in order (from {@code --data-dir} or
 *     {@code ASSAY_DATA_DIR}); may be empty
 */
public record DatasetContext(NDManager manager, int batchSize, long seed, List<Path> dataDirs) {

    /** Copies the directory list. */
    public DatasetContext {
        dataDirs = List.copyOf(dataDirs);
    }
}
