package dev.assay.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates {@link BatchMetric}s after every training and validation batch without reading
 * anything back to the host per batch: each batch's sums stay on the device, and all of them are
 * read in one transfer when asked (every {@code log_every_n_steps} steps by the tracking listener,
 * one read late so that the engine's queue never empties in the middle of an epoch, and in full at
 * the end of each epoch), then accumulated on the host in double precision. It replaces
 * DJL's {@code EvaluatorTrainingListener}, whose evaluators read every batch's value back (once
 * per evaluator and accumulator key), and costs at most the metrics' own operations per batch
 * (none for accuracy, evaluated once per group of batches): no accumulation operation, no wait.
 *
 * <p>The first metric is the objective (the trainer's loss). {@link #drainObjective()} returns its
 * per-batch values ({@code sum / count}) since the last call; the {@link TrackingTrainingListener}
 * uses them to log {@code batch_loss} and to find the first step whose loss is NaN or infinite.
 * The sums of each split are kept by a {@link DeviceMetricSums}, which reads them early when
 * {@value DeviceMetricSums#MAX_PENDING} batches wait, and evaluates a metric summed over examples
 * (accuracy) once per group of batches: the caller must not close a batch's labels or predictions
 * itself (closing the batch is fine).
 *
 * <p>Epoch results, as DJL names them: {@code train_<metric>} (all training batches of the epoch)
 * and {@code validate_<metric>} (NaN when the epoch had no validation batch). Add this listener
 * to the trainer <em>before</em> the tracking listener: its {@code onEpoch} computes the results
 * that the tracking listener's {@code onEpoch} logs.
 */
public final class DeviceEvaluationTrainingListener extends TrainingListenerAdapter {

    private final List<BatchMetric> metrics;
    private final DeviceMetricSums train;
    private final DeviceMetricSums validation;
    private final List<Float> objective = new ArrayList<>();
    private Map<String, Float> latest = Map.of();
    private NDManager manager;

    /**
     * Creates the listener.
     *
     * @param metrics the metrics, the objective (the trainer's loss) first
     * @throws IllegalArgumentException if there is no metric or two share a name
     */
    public DeviceEvaluationTrainingListener(List<BatchMetric> metrics) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("Give at least one metric (the objective).");
        }
        if (metrics.stream().map(BatchMetric::name).distinct().count() != metrics.size()) {
            throw new IllegalArgumentException("Two metrics share a name: "
                    + metrics.stream().map(BatchMetric::name).toList() + ".");
        }
        this.metrics = List.copyOf(metrics);
        this.train = new DeviceMetricSums(this.metrics, true);
        this.validation = new DeviceMetricSums(this.metrics, true);
    }

    /**
     * Computes the batch's metric sums on the device and keeps them.
     *
     * @param trainer the trainer (a sub-manager of its manager owns the kept sums)
     * @param batchData the batch's labels and predictions per device
     */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        evaluate(trainer, batchData, train);
        if (train.full()) {
            objective.addAll(train.readDeferred());
        }
    }

    /**
     * Computes the batch's metric sums on the device and keeps them.
     *
     * @param trainer the trainer
     * @param batchData the batch's labels and predictions per device
     */
    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        evaluate(trainer, batchData, validation);
        if (validation.full()) {
            validation.read();
        }
    }

    private void evaluate(Trainer trainer, BatchData batchData, DeviceMetricSums sums) {
        sums.addBatch(batchData.getLabels(), batchData.getPredictions(), manager(trainer));
    }

    /**
     * Reads what the epoch's batches left on the device (one transfer per split) into
     * {@link #latestEvaluations()} and starts the next epoch's sums at zero.
     *
     * @param trainer the trainer
     */
    @Override
    public void onEpoch(Trainer trainer) {
        readTrain();
        validation.read();
        Map<String, Float> results = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            results.put("train_" + metrics.get(i).name(), (float) train.mean(i));
            results.put("validate_" + metrics.get(i).name(), (float) validation.mean(i));
        }
        latest = Collections.unmodifiableMap(results);
        train.reset();
        validation.reset();
    }

    /**
     * Frees the sums not read and the listener's manager.
     *
     * @param trainer the trainer
     */
    @Override
    public void onTrainingEnd(Trainer trainer) {
        train.discard();
        validation.discard();
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    /**
     * Returns the results of the last finished epoch.
     *
     * @return {@code train_<metric>} and {@code validate_<metric>} means, in metric order; empty
     *     before the first epoch ends
     */
    public Map<String, Float> latestEvaluations() {
        return latest;
    }

    /**
     * Reads the mean of a metric over the training batches of the epoch in progress (one
     * transfer), e.g. to log a derived metric before the epoch's results are final.
     *
     * @param name the metric's name
     * @return the mean so far; NaN before the epoch's first batch
     * @throws IllegalArgumentException if no metric has that name
     */
    public float trainMeanSoFar(String name) {
        for (int i = 0; i < metrics.size(); i++) {
            if (metrics.get(i).name().equals(name)) {
                readTrain();
                return (float) train.mean(i);
            }
        }
        throw new IllegalArgumentException("No metric named '" + name + "'; the metrics are "
                + metrics.stream().map(BatchMetric::name).toList() + ".");
    }

    /**
     * Returns the objective of every training batch since the last call, reading what is still on
     * the device in one transfer.
     *
     * @return the per-batch objective values ({@code sum / count}), oldest first; empty if no
     *     batch was trained since
     */
    public float[] drainObjective() {
        readTrain();
        return drainRead();
    }

    /**
     * Returns the objective of every training batch up to the previous call of this method (or up
     * to the last time the kept sums filled up), and queues the transfer of the batches trained
     * since, without waiting for them ({@link DeviceMetricSums#readDeferred()}): the values
     * arrive one call late, and the engine, still busy with the batches since, never idles
     * waiting for the host. {@link #drainObjective()} (at the end of an epoch) reads everything.
     *
     * @return the per-batch objective values ({@code sum / count}) read, oldest first, each batch
     *     once across this method and {@link #drainObjective()}; empty on the first call
     */
    public float[] drainObjectiveDeferred() {
        objective.addAll(train.readDeferred());
        return drainRead();
    }

    /** Returns and forgets the objective values read so far. */
    private float[] drainRead() {
        float[] out = new float[objective.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = objective.get(i);
        }
        objective.clear();
        return out;
    }

    /** Reads the training sums kept on the device; keeps each batch's objective value. */
    private void readTrain() {
        objective.addAll(train.read());
    }

    private NDManager manager(Trainer trainer) {
        if (manager == null) {
            manager = trainer.getManager().newSubManager();
        }
        return manager;
    }
}
