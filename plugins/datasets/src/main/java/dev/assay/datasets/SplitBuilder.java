package dev.assay.datasets;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Turns idx images and labels into DJL {@link ArrayDataset}s: data float32 {@code (N, 1, rows,
 * columns)}, pixel values in {@code [0, 1]} (value / 255) or raw {@code [0, 255]}, labels float32
 * {@code (N)} holding the class index.
 */
final class SplitBuilder {

    private final NDManager manager;
    private final int batchSize;
    private final boolean normalize;

    /**
     * Creates a builder.
     *
     * @param manager where the arrays are created
     * @param batchSize samples per batch
     * @param normalize whether pixels are divided by 255
     */
    SplitBuilder(NDManager manager, int batchSize, boolean normalize) {
        this.manager = manager;
        this.batchSize = batchSize;
        this.normalize = normalize;
    }

    /**
     * Returns a permutation of {@code [0, n)} by a Fisher-Yates shuffle with {@code new
     * Random(seed)}; the same seed always gives the same permutation.
     *
     * @param n the number of indices
     * @param seed the seed
     * @return the shuffled indices
     */
    static int[] permutation(int n, long seed) {
        int[] p = IntStream.range(0, n).toArray();
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Returns the number of validation samples carved from {@code n}: {@code round(n * fraction)}.
     *
     * @param n the training samples before the split
     * @param fraction the validation fraction in {@code [0, 0.9]}
     * @return the validation size
     */
    static int validationSize(int n, double fraction) {
        return (int) Math.round(n * fraction);
    }

    /**
     * Builds a dataset from the records at the given indices, in that order.
     *
     * @param images the images, {@code rows * columns} bytes each
     * @param labels the labels, one byte each
     * @param indices which records, may be a range of a permutation
     * @param from first position in {@code indices}, inclusive
     * @param to last position in {@code indices}, exclusive
     * @param shuffle whether the sampler shuffles each epoch
     * @return the dataset of {@code to - from} samples
     */
    ArrayDataset build(
            IdxArray images, IdxArray labels, int[] indices, int from, int to, boolean shuffle) {
        int n = to - from;
        int[] dims = images.dims();
        int size = images.recordSize();
        byte[] pixels = images.data();
        byte[] classes = labels.data();
        float[] data = new float[Math.multiplyExact(n, size)];
        float[] target = new float[n];
        float scale = normalize ? 1f / 255f : 1f;
        for (int i = 0; i < n; i++) {
            int record = indices[from + i];
            int offset = record * size;
            int out = i * size;
            for (int k = 0; k < size; k++) {
                data[out + k] = (pixels[offset + k] & 0xFF) * scale;
            }
            target[i] = classes[record] & 0xFF;
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(data, new Shape(n, 1, dims[1], dims[2])))
                .optLabels(manager.create(target, new Shape(n)))
                .setSampling(batchSize, shuffle)
                .build();
    }
}
