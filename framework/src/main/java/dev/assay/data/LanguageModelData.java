package dev.assay.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.RandomAccessDataset;

/**
 * A corpus for next-token prediction: three token streams (indices of {@link #vocabulary()}, one
 * end-of-line token {@value #EOS} after every line) for train, validation and test. The vocabulary
 * is built from the training stream only; tokens outside it are {@link Vocabulary#UNK}.
 *
 * <p>A language-model task normally reads the streams directly (to batch them as parallel
 * streams for truncated backpropagation through time). For generic consumers, {@link #train()}
 * and friends give non-overlapping windows of {@link #DEFAULT_WINDOW} tokens: data
 * {@code (batch, window)} and labels {@code (batch, window)}, the labels shifted by one token.
 *
 * @param trainTokens the training stream
 * @param validationTokens the validation stream; empty when none
 * @param testTokens the test stream
 * @param vocabulary the vocabulary
 * @param source where the data came from
 * @param manager where window arrays are made
 * @param batchSize the batch size of the window datasets
 */
public record LanguageModelData(
        int[] trainTokens,
        int[] validationTokens,
        int[] testTokens,
        Vocabulary vocabulary,
        DataSource source,
        NDManager manager,
        int batchSize)
        implements LoadedDataset {

    /** The end-of-line token appended after each line. */
    public static final String EOS = "<eos>";
    /** Window length of the generic datasets, in tokens. */
    public static final int DEFAULT_WINDOW = 35;

    @Override
    public RandomAccessDataset train() {
        return windows(trainTokens);
    }

    /**
     * Returns validation windows.
     *
     * @return the windows, or null if the validation stream is empty
     */
    @Override
    public RandomAccessDataset validation() {
        return validationTokens.length == 0 ? null : windows(validationTokens);
    }

    @Override
    public RandomAccessDataset test() {
        return windows(testTokens);
    }

    private RandomAccessDataset windows(int[] stream) {
        int n = Math.max(0, (stream.length - 1) / DEFAULT_WINDOW);
        float[] x = new float[n * DEFAULT_WINDOW];
        float[] y = new float[n * DEFAULT_WINDOW];
        for (int i = 0; i < x.length; i++) {
            x[i] = stream[i];
            y[i] = stream[i + 1];
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new ai.djl.ndarray.types.Shape(n, DEFAULT_WINDOW)))
                .optLabels(manager.create(y, new ai.djl.ndarray.types.Shape(n, DEFAULT_WINDOW)))
                .setSampling(batchSize, false)
                .build();
    }
}
