package dev.assay.train;

import ai.djl.ndarray.NDList;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import java.io.IOException;

/**
 * The epoch loop: DJL's {@link EasyTrain#trainBatch} for the data loss (listeners notified), then
 * the weight penalty's gradient added in place ({@link WeightPenalty#addGradients}), then the
 * optimizer step; after each epoch, validation and {@code onEpoch} for every listener. Every batch
 * is closed after its step. An {@link EarlyStopException} from an epoch callback ends the loop
 * normally.
 */
public final class TrainingLoop {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingLoop.class);

    private final Trainer trainer;
    private final WeightPenalty penalty;
    private final NDList weights;

    /**
     * Creates the loop for an initialized trainer.
     *
     * @param trainer the trainer, after {@code initialize}
     * @param penalty the weight penalty (possibly zero)
     * @throws IllegalStateException if the model's parameters are not initialized
     */
    public TrainingLoop(Trainer trainer, WeightPenalty penalty) {
        this.trainer = trainer;
        this.penalty = penalty;
        this.weights = penalty.isZero() ? new NDList()
                : WeightPenalty.weights(trainer.getModel().getBlock());
    }

    /**
     * Trains for a number of epochs.
     *
     * @param epochs the number of epochs (≥ 1)
     * @param train the training split
     * @param validation the validation split, or null
     * @throws IOException if a dataset cannot be read
     * @throws TranslateException if a batch cannot be prepared
     * @throws ai.djl.TrainingDivergedException if a listener detects a NaN/Inf loss
     */
    public void fit(int epochs, Dataset train, Dataset validation)
            throws IOException, TranslateException {
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batch batch : trainer.iterateDataset(train)) {
                try (batch) {
                    EasyTrain.trainBatch(trainer, batch);
                    penalty.addGradients(weights);
                    trainer.step();
                }
            }
            EasyTrain.evaluateDataset(trainer, validation);
            try {
                trainer.notifyListeners(listener -> listener.onEpoch(trainer));
            } catch (EarlyStopException e) {
                LOG.info("Early stop after epoch {}: {}", e.epoch(), e.getMessage());
                return;
            }
        }
    }
}
