package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classifier's confusion matrix over a split, counted on the device: {@code counts[t][p]} is the
 * number of examples of true class {@code t} predicted as class {@code p} (the arg-max of the
 * logits). Each batch adds {@code oneHot(labels)ᵀ · oneHot(predictions)}, a {@code (classes,
 * classes)} product, so memory is {@code batch × classes} per batch, not {@code classes²} per
 * example; counts are float32 on the device, exact up to 2²⁴ (16,777,216) examples per cell. Read
 * back once, by {@link #counts()}.
 */
final class ConfusionMatrix implements AutoCloseable {

    /** The artifact written after the test: {@value}. */
    static final String FILE = "confusion_matrix.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Batches whose intermediate arrays are freed together (one wait for the device per group). */
    static final int BATCHES_PER_FREE = 32;

    private final int classes;
    private final NDManager manager;
    private NDManager group;
    private int batchesInGroup;
    private NDArray sum;

    /**
     * Creates an empty matrix.
     *
     * @param classes the number of classes (≥ 1)
     * @param parent the manager under which the device sum lives until {@link #close()}
     */
    ConfusionMatrix(int classes, NDManager parent) {
        this.classes = classes;
        this.manager = parent.newSubManager();
    }

    /**
     * Adds a batch (queued on the device; nothing is read back).
     *
     * @param labels class indices {@code (batch)} or {@code (batch, 1)}
     * @param logits {@code (batch, classes)}
     */
    void add(NDArray labels, NDArray logits) {
        if (sum == null) {
            sum = manager.zeros(new Shape(classes, classes));
        }
        if (group == null) {
            group = manager.newSubManager();
        }
        // the batch's arrays are freed with its group's: freeing waits for pending operations, and a
        // wait per batch would empty an asynchronous engine's queue at every test batch
        NDArray truth = labels.reshape(-1).toType(DataType.INT32, false);
        truth.attach(group);
        NDArray predicted = logits.argMax(1).toType(DataType.INT32, false);
        predicted.attach(group);
        NDArray product = truth.oneHot(classes).transpose().matMul(predicted.oneHot(classes));
        sum.addi(product);
        if (++batchesInGroup == BATCHES_PER_FREE) {
            group.close();
            group = null;
            batchesInGroup = 0;
        }
    }

    /**
     * Reads the counts back (waits for the device).
     *
     * @return {@code counts[true class][predicted class]}; all zero when no batch was added
     */
    long[][] counts() {
        long[][] out = new long[classes][classes];
        if (sum == null) {
            return out;
        }
        float[] flat = sum.toFloatArray();
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                out[t][p] = Math.round(flat[t * classes + p]);
            }
        }
        return out;
    }

    /**
     * Writes the matrix as JSON: {@code description}, {@code row_names} (true classes), {@code
     * column_names} (predicted classes) and {@code counts}, rows by true class; the web UI's run
     * page draws it as a heatmap with the counts in the cells.
     *
     * @param counts the counts from {@link #counts()}
     * @param classNames the class names, index = label (numbers are used where the list does not fit)
     * @param split the split's name, e.g. {@code test}
     * @param dir the run's artifact directory
     * @return the file written
     * @throws IOException if it cannot be written
     */
    static Path write(long[][] counts, List<String> classNames, String split, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            names.add(classNames != null && classNames.size() == counts.length ? classNames.get(c) : String.valueOf(c));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "confusion matrix over the " + split + " split: rows are the true classes,"
                + " columns the predicted ones (arg-max of the logits), cells count examples");
        body.put("row_names", names);
        body.put("column_names", names);
        body.put("counts", counts);
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        JSON.writeValue(file.toFile(), body);
        return file;
    }

    @Override
    public void close() {
        manager.close();
    }
}
