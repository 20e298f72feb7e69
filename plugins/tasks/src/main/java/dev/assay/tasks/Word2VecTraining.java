package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import dev.assay.train.WeightPenalty;
import java.util.Random;

/**
 * The batch loop of the {@code word2vec} task over a DJL {@link Trainer}: each batch of
 * {@link Word2VecExamples} becomes {@code (inputs (B, C), mask (B, C), candidates (B, 1+K))}
 * with labels {@code (B, 1+K)}; training goes through {@link EasyTrain#trainBatch} (listeners
 * notified, so the tracking listener logs the step loss and stops a diverged run), then the weight
 * penalty's gradient, then the optimizer step. Every batch's arrays live in a sub-manager closed
 * after the step.
 */
final class Word2VecTraining {

    private final Trainer trainer;
    private final Word2VecSettings settings;
    private final Word2VecNoiseSampler noise;
    private final int batchSize;
    private final WeightPenalty penalty;
    private final NDList weights;

    /**
     * Creates the loop.
     *
     * @param trainer an initialized trainer whose loss is a {@link Word2VecLoss}
     * @param settings mode, window, negatives
     * @param noise the negative-sampling distribution
     * @param batchSize examples per batch
     * @param penalty the weight penalty (possibly zero)
     */
    Word2VecTraining(Trainer trainer, Word2VecSettings settings, Word2VecNoiseSampler noise,
            int batchSize, WeightPenalty penalty) {
        this.trainer = trainer;
        this.settings = settings;
        this.noise = noise;
        this.batchSize = batchSize;
        this.penalty = penalty;
        this.weights = penalty.isZero() ? new NDList()
                : WeightPenalty.weights(trainer.getModel().getBlock());
    }

    /**
     * Trains on every example of an epoch once, in its visiting order.
     *
     * @param epoch the examples
     * @param random the source of negatives
     * @throws ai.djl.TrainingDivergedException if the loss becomes NaN or infinite
     */
    void train(Word2VecExamples.Epoch epoch, Random random) {
        int batches = epoch.batches(batchSize);
        for (int b = 0; b < batches; b++) {
            try (NDManager step = trainer.getManager().newSubManager()) {
                Batch batch = batch(epoch, b, batches, random, step);
                EasyTrain.trainBatch(trainer, batch);
                // the loss is a sum over the batch: the penalty's gradient scales with it, so that
                // l1/l2 mean what they mean for the other tasks (mean loss + penalty)
                penalty.addGradients(weights, batch.getSize());
                trainer.step();
            }
        }
    }

    /**
     * Feeds every example to the validation evaluators (the loss, as {@code validate_<name>}).
     *
     * @param epoch the validation examples
     * @param random the source of negatives (give a fresh one with a fixed seed for comparable
     *     epochs)
     */
    void validate(Word2VecExamples.Epoch epoch, Random random) {
        int batches = epoch.batches(batchSize);
        for (int b = 0; b < batches; b++) {
            try (NDManager step = trainer.getManager().newSubManager()) {
                EasyTrain.validateBatch(trainer, batch(epoch, b, batches, random, step));
            }
        }
    }

    /**
     * Computes the mean loss per example over a set of examples, in evaluation mode.
     *
     * @param epoch the examples
     * @param random the source of negatives
     * @return nats per example; NaN if there are no examples
     */
    double meanLoss(Word2VecExamples.Epoch epoch, Random random) {
        int batches = epoch.batches(batchSize);
        double sum = 0;
        for (int b = 0; b < batches; b++) {
            try (NDManager step = trainer.getManager().newSubManager()) {
                Batch batch = batch(epoch, b, batches, random, step);
                NDList scores = trainer.evaluate(batch.getData());
                sum += trainer.getLoss().evaluate(batch.getLabels(), scores).getFloat();
            }
        }
        return epoch.size() == 0 ? Double.NaN : sum / epoch.size();
    }

    private Batch batch(Word2VecExamples.Epoch epoch, int b, int batches, Random random,
            NDManager manager) {
        int from = b * batchSize;
        int to = Math.min(epoch.size(), from + batchSize);
        int width = settings.contextWidth();
        Word2VecExamples.Batch arrays = Word2VecExamples.batch(epoch, from, to, width, noise,
                settings.negatives(), random);
        int n = arrays.size();
        Shape in = new Shape(n, width);
        Shape out = new Shape(n, 1 + settings.negatives());
        NDList data = new NDList(manager.create(arrays.inputs(), in),
                manager.create(arrays.mask(), in), manager.create(arrays.candidates(), out));
        NDArray labels = manager.create(arrays.labels(), out);
        return new Batch(manager, data, new NDList(labels), n, Batchifier.STACK,
                Batchifier.STACK, b, batches);
    }
}
