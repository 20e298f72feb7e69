package dev.assay.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates {@link BatchMetric}s after every training and validation batch without reading
 * anything back to the host: each batch's sum is added in place to an accumulator on the device,
 * and the accumulators are read once per epoch. It replaces DJL's {@code
 * EvaluatorTrainingListener}, whose evaluators read every batch's value back (two host reads per
 * evaluator, accumulator key and batch), so that MXNet's asynchronous engine can queue batch
 * {@code n + 1} while batch {@code n} still runs.
 *
 * <p>The first metric is the objective (the trainer's loss). Its per-batch value ({@code sum /
 * count}) is also kept, one scalar per training batch, until {@link #drainObjective()} reads them
 * all in one transfer; the {@link TrackingTrainingListener} does that every {@code
 * log_every_n_steps} steps and at the end of each epoch, to log {@code batch_loss} and to find the
 * first step whose loss is NaN or infinite. At most {@value #MAX_PENDING} values wait; past that
 * the oldest are read back early (one transfer per {@value #MAX_PENDING} steps).
 *
 * <p>Epoch results, as DJL names them: {@code train_<metric>} (all training batches of the epoch)
 * and {@code validate_<metric>} (NaN when the epoch had no validation batch). Add this listener
 * to the trainer <em>before</em> the tracking listener: its {@code onEpoch} computes the results
 * that the tracking listener's {@code onEpoch} logs.
 */
public final class DeviceEvaluationTrainingListener extends TrainingListenerAdapter {

    /** Objective values kept at most before they are read back (one scalar NDArray each). */
    public static final int MAX_PENDING = 256;

    private final List<BatchMetric> metrics;
    private final Accumulators train;
    private final Accumulators validation;
    private final NDList pendingObjective = new NDList();
    private final List<Long> pendingCounts = new ArrayList<>();
    private final List<Float> earlyRead = new ArrayList<>();
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
        this.train = new Accumulators(metrics.size());
        this.validation = new Accumulators(metrics.size());
    }

    /**
     * Returns the metrics in order, the objective first.
     *
     * @return the metrics
     */
    public List<BatchMetric> metrics() {
        return metrics;
    }

    /**
     * Adds the batch to the training accumulators and keeps its objective value.
     *
     * @param trainer the trainer (its manager owns the accumulators)
     * @param batchData the batch's labels and predictions per device
     */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        NDManager owner = manager(trainer);
        NDArray objective = null;
        long objectiveCount = 0;
        for (Device device : batchData.getLabels().keySet()) {
            NDList labels = batchData.getLabels().get(device);
            NDList predictions = batchData.getPredictions().get(device);
            for (int i = 0; i < metrics.size(); i++) {
                NDArray sum = metrics.get(i).batchSum(labels, predictions);
                long count = metrics.get(i).batchCount(labels, predictions);
                train.add(owner, i, sum, count);
                if (i == 0) {
                    objective = objective == null ? sum : objective.add(sum.toDevice(objective.getDevice(), false));
                    objectiveCount += count;
                }
            }
        }
        if (objective != null) {
            objective.attach(owner);
            pendingObjective.add(objective);
            pendingCounts.add(objectiveCount);
            if (pendingObjective.size() >= MAX_PENDING) {
                earlyRead.addAll(readPending());
            }
        }
    }

    /**
     * Adds the batch to the validation accumulators.
     *
     * @param trainer the trainer
     * @param batchData the batch's labels and predictions per device
     */
    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        NDManager owner = manager(trainer);
        for (Device device : batchData.getLabels().keySet()) {
            NDList labels = batchData.getLabels().get(device);
            NDList predictions = batchData.getPredictions().get(device);
            for (int i = 0; i < metrics.size(); i++) {
                validation.add(owner, i, metrics.get(i).batchSum(labels, predictions),
                        metrics.get(i).batchCount(labels, predictions));
            }
        }
    }

    /**
     * Reads the epoch's accumulators (one host read per metric and split) into
     * {@link #latestEvaluations()} and resets them.
     *
     * @param trainer the trainer
     */
    @Override
    public void onEpoch(Trainer trainer) {
        Map<String, Float> results = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            results.put("train_" + metrics.get(i).name(), train.mean(i));
            results.put("validate_" + metrics.get(i).name(), validation.mean(i));
        }
        latest = Collections.unmodifiableMap(results);
        train.reset();
        validation.reset();
    }

    /**
     * Frees the accumulators and any objective values not read.
     *
     * @param trainer the trainer
     */
    @Override
    public void onTrainingEnd(Trainer trainer) {
        train.reset();
        validation.reset();
        pendingObjective.close();
        pendingObjective.clear();
        pendingCounts.clear();
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
     * Reads the mean of a metric over the training batches of the epoch in progress (one host
     * read), e.g. to log a derived metric before the epoch's results are final.
     *
     * @param name the metric's name
     * @return the mean so far; NaN before the epoch's first batch
     * @throws IllegalArgumentException if no metric has that name
     */
    public float trainMeanSoFar(String name) {
        for (int i = 0; i < metrics.size(); i++) {
            if (metrics.get(i).name().equals(name)) {
                return train.mean(i);
            }
        }
        throw new IllegalArgumentException("No metric named '" + name + "'; the metrics are "
                + metrics.stream().map(BatchMetric::name).toList() + ".");
    }

    /**
     * Reads back the objective of every training batch since the last call, in one transfer.
     *
     * @return the per-batch objective values ({@code sum / count}), oldest first; empty if no
     *     batch was trained since
     */
    public float[] drainObjective() {
        List<Float> values = new ArrayList<>(earlyRead);
        earlyRead.clear();
        values.addAll(readPending());
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private List<Float> readPending() {
        if (pendingObjective.isEmpty()) {
            return List.of();
        }
        double[] sums;
        try (NDArray stacked = NDArrays.stack(pendingObjective);
                NDArray asDouble = stacked.toType(DataType.FLOAT64, false)) {
            sums = asDouble.toDoubleArray();
        }
        List<Float> values = new ArrayList<>(sums.length);
        for (int i = 0; i < sums.length; i++) {
            values.add((float) (sums[i] / pendingCounts.get(i)));
        }
        pendingObjective.close();
        pendingObjective.clear();
        pendingCounts.clear();
        return values;
    }

    private NDManager manager(Trainer trainer) {
        if (manager == null) {
            manager = trainer.getManager().newSubManager();
        }
        return manager;
    }

    /** One device-side sum and one host count per metric. */
    private static final class Accumulators {
        private final NDArray[] sums;
        private final long[] counts;

        Accumulators(int size) {
            sums = new NDArray[size];
            counts = new long[size];
        }

        void add(NDManager owner, int i, NDArray sum, long count) {
            if (sums[i] == null) {
                sums[i] = owner.zeros(new Shape(), sum.getDataType(), sum.getDevice());
            }
            sums[i].addi(sum.getDevice().equals(sums[i].getDevice()) ? sum : sum.toDevice(sums[i].getDevice(), false));
            counts[i] += count;
        }

        float mean(int i) {
            if (counts[i] == 0 || sums[i] == null) {
                return Float.NaN;
            }
            try (NDArray asDouble = sums[i].toType(DataType.FLOAT64, false)) {
                return (float) (asDouble.getDouble() / counts[i]);
            }
        }

        void reset() {
            for (int i = 0; i < sums.length; i++) {
                if (sums[i] != null) {
                    sums[i].close();
                    sums[i] = null;
                }
                counts[i] = 0;
            }
        }
    }
}
