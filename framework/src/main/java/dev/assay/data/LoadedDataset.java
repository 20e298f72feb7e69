package dev.assay.data;

import ai.djl.training.dataset.RandomAccessDataset;

/**
 * A dataset ready for training: train, validation and test splits, already batched and (for
 * train) shuffled with the trial seed. Task-specific subtypes add what their task needs, e.g.
 * {@link ClassificationData}.
 */
public interface LoadedDataset {

    /**
     * Returns the training split, shuffled each epoch with the trial's seed.
     *
     * @return the training split
     */
    RandomAccessDataset train();

    /**
     * Returns the validation split, carved from the training data with the trial seed.
     *
     * @return the validation split, or null if the validation fraction is 0
     */
    RandomAccessDataset validation();

    /**
     * Returns the test split.
     *
     * @return the test split
     */
    RandomAccessDataset test();

    /**
     * Describes where the data came from, recorded in the run's provenance.
     *
     * @return the source
     */
    DataSource source();
}
