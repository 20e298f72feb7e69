package dev.assay.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * A loss that remembers the values it computed, so that the training loss of a batch is
 * evaluated once: DJL's {@code EasyTrain.trainBatch} computes the loss to back-propagate it, and
 * {@link BatchMetric#meanPerExample} then takes that same value for the epoch's {@code train_loss}
 * and the step's {@code batch_loss} instead of computing it again (about five engine operations
 * a batch for softmax cross-entropy).
 *
 * <p>Each value is kept with the predictions it was computed from and handed out at most once, to
 * a caller holding the very same {@link NDList} (identity, not equality); validation batches,
 * which DJL evaluates without the loss, are computed afresh. At most {@value #KEPT} values are
 * kept: a value nobody takes is dropped (it stays owned by its batch and is freed with it).
 */
public final class RecordingLoss extends Loss {

    /** Values kept at most. */
    static final int KEPT = 8;

    private final Loss loss;
    private final Deque<Object[]> recorded = new ArrayDeque<>();

    /**
     * Wraps a loss.
     *
     * @param loss the loss to compute; its name becomes this loss's name
     */
    public RecordingLoss(Loss loss) {
        super(loss.getName());
        this.loss = loss;
    }

    /**
     * Computes the wrapped loss and remembers the value with {@code predictions}.
     *
     * @param labels the labels, as the wrapped loss expects
     * @param predictions the predictions, as the wrapped loss expects
     * @return the wrapped loss's value
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray value = loss.evaluate(labels, predictions);
        synchronized (recorded) {
            if (recorded.size() == KEPT) {
                recorded.removeFirst();
            }
            recorded.addLast(new Object[] {predictions, value});
        }
        return value;
    }

    /**
     * Returns the value computed from exactly these predictions, or computes it now (without
     * remembering it) if there is none.
     *
     * @param labels the labels, shaped as the wrapped loss expects (softmax cross-entropy: class
     *     indices {@code (batch)})
     * @param predictions the predictions, shaped as the wrapped loss expects (logits {@code (batch,
     *     classes)}); matched by identity with those the loss was last evaluated on
     * @return the loss value, a scalar {@code ()} (the wrapped loss's mean over the batch); a
     *     remembered one is handed out once
     */
    public NDArray recordedOrEvaluate(NDList labels, NDList predictions) {
        synchronized (recorded) {
            for (Iterator<Object[]> it = recorded.iterator(); it.hasNext();) {
                Object[] entry = it.next();
                if (entry[0] == predictions) {
                    it.remove();
                    return (NDArray) entry[1];
                }
            }
        }
        return loss.evaluate(labels, predictions);
    }
}
