package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import dev.assay.data.ClassificationData;
import dev.assay.data.LoadedDataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers for tasks that treat a dataset as unlabeled images (reconstruction, adversarial):
 * every batch's data is one float array {@code (batch, channels, height, width)}; labels, if
 * any, are ignored.
 */
public final class ImageData {

    private ImageData() {}

    /**
     * Returns the shape of one sample: {@link ClassificationData#sampleShape()} when available,
     * otherwise read from the first training batch.
     *
     * @param data the loaded dataset
     * @param manager where the peeked batch is read (closed again)
     * @return the per-sample shape without the batch axis, e.g. {@code (1, 28, 28)}
     * @throws IOException if the dataset cannot be read
     * @throws TranslateException if a batch cannot be prepared
     * @throws IllegalArgumentException if the training split is empty or its batches do not hold
     *     exactly one data array
     */
    public static Shape sampleShape(LoadedDataset data, NDManager manager)
            throws IOException, TranslateException {
        if (data instanceof ClassificationData c) {
            return c.sampleShape();
        }
        for (Batch batch : data.train().getData(manager)) {
            try (batch) {
                Shape s = images(batch).getShape();
                return s.slice(1);
            }
        }
        throw new IllegalArgumentException("the training split is empty: no sample shape");
    }

    /**
     * Returns a batch's single data array.
     *
     * @param batch the batch
     * @return its data, {@code (batch, channels, height, width)} for images
     * @throws IllegalArgumentException if the batch holds more or fewer than one data array
     */
    public static NDArray images(Batch batch) {
        NDList data = batch.getData();
        if (data.size() != 1) {
            throw new IllegalArgumentException("this task needs one data array per batch (the"
                    + " images), got " + data.size());
        }
        return data.get(0);
    }

    /**
     * Returns the first {@code n} samples of a split, in its iteration order (the test split is
     * not shuffled), as a new array on {@code manager}.
     *
     * @param split the split
     * @param n how many (fewer if the split is smaller)
     * @param manager the manager of the result
     * @return the images {@code (min(n, size), channels, height, width)}
     * @throws IOException if the split cannot be read
     * @throws TranslateException if a batch cannot be prepared
     * @throws IllegalArgumentException if the split is empty
     */
    public static NDArray firstImages(Dataset split, int n, NDManager manager)
            throws IOException, TranslateException {
        List<NDArray> parts = new ArrayList<>();
        long have = 0;
        for (Batch batch : split.getData(manager)) {
            try (batch) {
                NDArray x = images(batch);
                long take = Math.min(n - have, x.getShape().get(0));
                NDArray part = x.get("0:" + take).duplicate();
                part.attach(manager);
                parts.add(part);
                have += take;
            }
            if (have >= n) {
                break;
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("cannot show images of an empty split");
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts.toArray(new NDArray[0])));
    }

    /**
     * Computes the mean image of a split: {@code m = (1/N) Σ x_i}.
     *
     * @param split the split (e.g. training)
     * @param manager the manager of the result
     * @return the mean image {@code (channels, height, width)}
     * @throws IOException if the split cannot be read
     * @throws TranslateException if a batch cannot be prepared
     * @throws IllegalArgumentException if the split is empty
     */
    public static NDArray meanImage(Dataset split, NDManager manager)
            throws IOException, TranslateException {
        NDArray sum = null;
        long count = 0;
        for (Batch batch : split.getData(manager)) {
            try (batch) {
                NDArray x = images(batch);
                NDArray batchSum = x.sum(new int[] {0});
                batchSum.attach(manager);
                sum = sum == null ? batchSum : sum.addi(batchSum);
                count += x.getShape().get(0);
            }
        }
        if (sum == null) {
            throw new IllegalArgumentException("cannot average an empty split");
        }
        return sum.divi(count);
    }

    /**
     * The mean-image baseline of reconstruction: the mean squared error per pixel of predicting
     * the mean training image {@code m} for every test image, {@code (1/(N·P)) Σ_i Σ_p (x_ip -
     * m_p)²} over N test images of P pixels each.
     *
     * @param train the split the mean is taken over
     * @param test the split the error is measured on
     * @param manager a manager for temporary arrays (a sub-manager is used and closed)
     * @return the MSE per pixel, in squared pixel units
     * @throws IOException if a split cannot be read
     * @throws TranslateException if a batch cannot be prepared
     * @throws IllegalArgumentException if either split is empty
     */
    public static double meanImageBaselineMse(Dataset train, Dataset test, NDManager manager)
            throws IOException, TranslateException {
        try (NDManager m = manager.newSubManager()) {
            NDArray mean = meanImage(train, m);
            double squaredError = 0;
            long pixels = 0;
            for (Batch batch : test.getData(m)) {
                try (batch) {
                    NDArray x = images(batch);
                    squaredError += x.sub(mean).square().sum().getFloat();
                    pixels += x.size();
                }
            }
            if (pixels == 0) {
                throw new IllegalArgumentException("cannot measure the baseline on an empty split");
            }
            return squaredError / pixels;
        }
    }
}
