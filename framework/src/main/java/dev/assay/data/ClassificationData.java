package dev.assay.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import java.util.List;

/**
 * Splits for a classification task. Each record's data is one float array of {@link
 * #sampleShape()} and its label one float holding the class index in {@code [0, numClasses)}.
 *
 * @param train the training split (batched, shuffled with the trial seed)
 * @param validation the validation split, or null when none was carved
 * @param test the test split
 * @param sampleShape shape of one sample without the batch axis, e.g. {@code (1, 28, 28)} for
 *     (channels, height, width)
 * @param classNames the class names, index = label
 * @param source where the data came from
 */
public record ClassificationData(
        RandomAccessDataset train,
        RandomAccessDataset validation,
        RandomAccessDataset test,
        Shape sampleShape,
        List<String> classNames,
        DataSource source)
        implements LoadedDataset {

    /**
     * Returns the number of classes.
     *
     * @return {@code classNames().size()}
     */
    public int numClasses() {
        return classNames.size();
    }
}
