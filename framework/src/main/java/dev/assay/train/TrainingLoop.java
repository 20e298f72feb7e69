package dev.assay.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
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
 * normally. With {@link Checkpoints}, each completed epoch is checkpointed and a continued trial
 * starts after its checkpoint's epoch, its {@link TrackingTrainingListener} counting on from the
 * checkpoint's step; each epoch after the first is seeded from the trial's seed and its number
 * ({@link Checkpoints#beginEpoch}), so the continued epochs draw what the uninterrupted ones did.
 */
public final class TrainingLoop {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingLoop.class);

    private final Trainer trainer;
    private final WeightPenalty penalty;
    private final NDList weights;
    private final Checkpoints checkpoints;
    private final int epochsDone;
    private long step;

    /**
     * Creates the loop for an initialized trainer, without checkpoints.
     *
     * @param trainer the trainer, after {@code initialize}
     * @param penalty the weight penalty (possibly zero)
     * @throws IllegalStateException if the model's parameters are not initialized
     */
    public TrainingLoop(Trainer trainer, WeightPenalty penalty) {
        this(trainer, penalty, Checkpoints.disabled(), 0);
    }

    private TrainingLoop(Trainer trainer, WeightPenalty penalty, Checkpoints checkpoints,
            int epochsDone) {
        this.trainer = trainer;
        this.penalty = penalty;
        this.weights = penalty.isZero() ? new NDList()
                : WeightPenalty.weights(trainer.getModel().getBlock());
        this.checkpoints = checkpoints;
        this.epochsDone = epochsDone;
        this.step = checkpoints.resumePoint().map(Checkpoint::step).orElse(0L);
    }

    /**
     * Initializes a new trainer for checkpointed training: a continued trial's parameters are
     * loaded from its checkpoint first ({@link Checkpoints#restore}), then the trainer is
     * initialized (DJL keeps parameters already loaded and initializes the rest).
     *
     * @param trainer the trainer, not yet initialized
     * @param penalty the weight penalty (possibly zero)
     * @param checkpoints the trial's checkpoints ({@link TrialContext#checkpoints()})
     * @param inputShapes the input shapes with the batch axis, e.g. {@code (batch, 784)}
     * @return the loop
     * @throws IOException if the checkpoint cannot be read or does not fit the model
     */
    public static TrainingLoop start(Trainer trainer, WeightPenalty penalty,
            Checkpoints checkpoints, Shape... inputShapes) throws IOException {
        int done = checkpoints.restore(trainer.getModel());
        trainer.initialize(inputShapes);
        checkpoints.restoreOptimizers(trainer.getManager(), trainer.getModel());
        TrainingLoop loop = new TrainingLoop(trainer, penalty, checkpoints, done);
        if (done > 0) {
            long step = loop.step;
            trainer.notifyListeners(listener -> {
                if (listener instanceof TrackingTrainingListener tracking) {
                    tracking.continueFrom(step, done + 1);
                }
            });
            LOG.info("Continuing from the checkpoint of epoch {} (step {})", done, step);
            checkpoints.beginEpoch(done + 1); // as the uninterrupted trial seeded it after epoch `done`
            if (checkpoints.isFinal(done)) {
                // stopped after its final epoch's checkpoint (during its test): no epoch ends in
                // this process, so endEpoch never restores; the best weights come back here
                checkpoints.restoreBest(trainer.getModel());
            }
        }
        return loop;
    }

    /**
     * Trains for a number of epochs with DJL's batch step ({@link #trainEpoch}, validation,
     * {@link #endEpoch}).
     *
     * @param epochs the total number of epochs (≥ 1); a continued trial runs those after its
     *     checkpoint
     * @param train the training split
     * @param validation the validation split, or null
     * @throws IOException if a dataset cannot be read or a checkpoint cannot be written
     * @throws TranslateException if a batch cannot be prepared
     * @throws ai.djl.TrainingDivergedException if a listener detects a NaN/Inf loss
     */
    public void fit(int epochs, Dataset train, Dataset validation)
            throws IOException, TranslateException {
        for (int epoch = firstEpoch(); epoch <= epochs; epoch++) {
            trainEpoch(train);
            EasyTrain.evaluateDataset(trainer, validation);
            if (!endEpoch(epoch)) {
                return;
            }
        }
    }

    /**
     * Returns the first epoch to train: 1, or the epoch after a continued trial's checkpoint.
     * Tasks with their own epoch body loop {@code for (epoch = firstEpoch(); epoch <= epochs;
     * epoch++)}, count update steps with {@link #stepDone()} and call {@link #endEpoch}.
     *
     * @return the 1-based first epoch
     */
    public int firstEpoch() {
        return epochsDone + 1;
    }

    /**
     * Returns the update steps done so far over the whole trial (a continued trial's count starts
     * at its checkpoint's step).
     *
     * @return the global update step reached
     */
    public long step() {
        return step;
    }

    /**
     * Counts one optimizer update step (for tasks with their own batch step; {@link #trainEpoch}
     * counts its own).
     */
    public void stepDone() {
        step++;
    }

    /**
     * Counts update steps done by a task's own batch loop.
     *
     * @param steps optimizer steps taken (≥ 0)
     */
    public void stepsDone(long steps) {
        step += steps;
    }

    /**
     * Ends an epoch: every listener's {@code onEpoch} (epoch metrics, early stopping, pruning),
     * then the epoch's checkpoint, then, when due, a trim of the C heap ({@link MallocTrim}). When
     * training ends here (an early stop, or the final epoch) and the trial restores its best
     * weights ({@code training.early_stopping.restore_best_weights}), the model gets the best
     * epoch's parameters back ({@link Checkpoints#restoreBest}) for the test that follows.
     *
     * @param epoch the 1-based epoch just trained
     * @return false if the early-stopping rule ended training (no checkpoint then)
     * @throws IOException if the checkpoint cannot be written, or kept best weights cannot be read
     * @throws TrialPrunedException if the sweep's pruner stops the trial
     */
    public boolean endEpoch(int epoch) throws IOException {
        try {
            trainer.notifyListeners(listener -> listener.onEpoch(trainer));
        } catch (EarlyStopException e) {
            LOG.info("Early stop after epoch {}: {}", e.epoch(), e.getMessage());
            checkpoints.restoreBest(trainer.getModel());
            return false;
        }
        checkpoints.save(trainer.getModel(), epoch, step);
        if (checkpoints.isFinal(epoch)) {
            checkpoints.restoreBest(trainer.getModel());
        }
        checkpoints.beginEpoch(epoch + 1); // each epoch's data order and dropout from the trial and epoch alone
        MallocTrim.ifDue(); // the epoch's freed C heap back to the system (the checkpoint's buffers included)
        return true;
    }

    /**
     * One pass over the training split with DJL's batch step plus the weight penalty's gradient.
     *
     * @param train the training split
     * @throws IOException if the dataset cannot be read
     * @throws TranslateException if a batch cannot be prepared
     * @throws ai.djl.TrainingDivergedException if a listener detects a NaN/Inf loss
     */
    public void trainEpoch(Dataset train) throws IOException, TranslateException {
        for (Batch batch : trainer.iterateDataset(train)) {
            try (batch) {
                EasyTrain.trainBatch(trainer, batch);
                penalty.addGradients(weights);
                trainer.step();
                step++;
            }
        }
    }
}
