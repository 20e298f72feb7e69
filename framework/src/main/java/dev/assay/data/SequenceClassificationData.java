package dev.assay.data;

import ai.djl.training.dataset.RandomAccessDataset;
import java.util.List;

/**
 * Splits for many-to-one sequence classification of text. Each record's data is a float array of
 * shape {@code (maxLength)} holding token indices of {@link #vocabulary()} (truncated, then padded
 * at the end with {@link Vocabulary#PAD_INDEX}); its label one float with the class index in
 * {@code [0, numClasses)}. Batched, the data is {@code (batch, maxLength)} and the labels
 * {@code (batch)}.
 *
 * @param train the training split (shuffled with the trial seed)
 * @param validation the validation split, or null when none was carved
 * @param test the test split
 * @param maxLength tokens per sample after truncation and padding
 * @param vocabulary the vocabulary, built from the training split only
 * @param classNames the class names, index = label
 * @param source where the data came from
 */
public record SequenceClassificationData(
        RandomAccessDataset train,
        RandomAccessDataset validation,
        RandomAccessDataset test,
        int maxLength,
        Vocabulary vocabulary,
        List<String> classNames,
        DataSource source)
        implements LoadedDataset {

    /** Copies the class names. */
    public SequenceClassificationData {
        classNames = List.copyOf(classNames);
    }

    /**
     * Returns the number of classes.
     *
     * @return {@code classNames().size()}
     */
    public int numClasses() {
        return classNames.size();
    }
}
