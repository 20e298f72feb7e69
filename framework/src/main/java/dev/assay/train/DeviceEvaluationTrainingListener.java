package dev.assay.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
 * and at the end of each epoch), then accumulated on the host in double precision. It replaces
 * DJL's {@code EvaluatorTrainingListener}, whose evaluators read every batch's value back (once
 * per evaluator and accumulator key), and costs only the metrics' own operations per batch: no
 * accumulation operation, no wait.
 *
 * <p>The first metric is the objective (the trainer's loss). {@link #drainObjective()} returns its
 * per-batch values ({@code sum / count}) since the last call; the {@link TrackingTrainingListener}
 * uses them to log {@code batch_loss} and to find the first step whose loss is NaN or infinite.
 * At most {@value #MAX_PENDING} batches wait on the device; past that they are read early.
 *
 * <p>Epoch results, as DJL names them: {@code train_<metric>} (all training batches of the epoch)
 * and {@code validate_<metric>} (NaN when the epoch had no validation batch). Add this listener
 * to the trainer <em>before</em> the tracking listener: its {@code onEpoch} computes the results
 * that the tracking listener's {@code onEpoch} logs.
 */
public final class DeviceEvaluationTrainingListener extends TrainingListenerAdapter {

    /** Batches kept on the device at most before their sums are read back. */
    public static final int MAX_PENDING = 256;

    private final List<BatchMetric> metrics;
    private final Split train;
    private final Split validation;
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
        this.train = new Split(metrics.size());
        this.validation = new Split(metrics.size());
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
        if (train.batches() >= MAX_PENDING) {
            readTrain();
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
        if (validation.batches() >= MAX_PENDING) {
            validation.read();
        }
    }

    private void evaluate(Trainer trainer, BatchData batchData, Split split) {
        NDManager owner = manager(trainer);
        split.startBatch();
        for (Device device : batchData.getLabels().keySet()) {
            NDList labels = batchData.getLabels().get(device);
            NDList predictions = batchData.getPredictions().get(device);
            for (int i = 0; i < metrics.size(); i++) {
                NDArray sum = metrics.get(i).batchSum(labels, predictions);
                sum.attach(owner);
                split.add(i, sum, metrics.get(i).batchCount(labels, predictions));
            }
        }
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
            results.put("train_" + metrics.get(i).name(), train.mean(i));
            results.put("validate_" + metrics.get(i).name(), validation.mean(i));
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
                return train.mean(i);
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

    /**
     * The sums of one split (training or validation): per metric, the batches' sums still on the
     * device, and the totals read so far, on the host.
     */
    private static final class Split {
        private final NDList[] kept;
        private final List<List<Long>> counts = new ArrayList<>();
        private final List<Integer> entriesPerBatch = new ArrayList<>();
        private final double[] sums;
        private final long[] totals;

        Split(int size) {
            kept = new NDList[size];
            sums = new double[size];
            totals = new long[size];
            for (int i = 0; i < size; i++) {
                kept[i] = new NDList();
                counts.add(new ArrayList<>());
            }
        }

        void startBatch() {
            entriesPerBatch.add(0);
        }

        void add(int metric, NDArray sum, long count) {
            kept[metric].add(sum);
            counts.get(metric).add(count);
            if (metric == 0) {
                entriesPerBatch.set(entriesPerBatch.size() - 1, entriesPerBatch.get(entriesPerBatch.size() - 1) + 1);
            }
        }

        int batches() {
            return entriesPerBatch.size();
        }

        /**
         * Reads every kept sum in one transfer, adds them to the totals and frees them.
         *
         * @return the first metric's value of each batch read ({@code sum / count}), oldest first
         */
        List<Float> read() {
            if (kept[0].isEmpty()) {
                return List.of();
            }
            int entries = kept[0].size();
            double[] all = transfer();
            List<Float> perBatch = new ArrayList<>(entriesPerBatch.size());
            for (int m = 0; m < kept.length; m++) {
                for (int e = 0; e < entries; e++) {
                    sums[m] += all[m * entries + e];
                    totals[m] += counts.get(m).get(e);
                }
            }
            int e = 0;
            for (int n : entriesPerBatch) {
                double sum = 0;
                long count = 0;
                for (int k = 0; k < n; k++, e++) {
                    sum += all[e];
                    count += counts.get(0).get(e);
                }
                perBatch.add((float) (sum / count));
            }
            discard();
            return perBatch;
        }

        /** Stacks each metric's sums, converts them to float64 and reads them as one array. */
        private double[] transfer() {
            NDList columns = new NDList();
            try {
                for (NDList sumsOfMetric : kept) {
                    try (NDArray stacked = NDArrays.stack(sumsOfMetric)) {
                        columns.add(stacked.toType(DataType.FLOAT64, false));
                    }
                }
                try (NDArray joined = NDArrays.concat(columns)) {
                    return joined.toDoubleArray();
                }
            } finally {
                columns.close();
            }
        }

        float mean(int metric) {
            return totals[metric] == 0 ? Float.NaN : (float) (sums[metric] / totals[metric]);
        }

        void reset() {
            discard();
            java.util.Arrays.fill(sums, 0);
            java.util.Arrays.fill(totals, 0);
        }

        /** Frees the kept sums without reading them. */
        void discard() {
            for (int m = 0; m < kept.length; m++) {
                kept[m].close();
                kept[m].clear();
                counts.get(m).clear();
            }
            entriesPerBatch.clear();
        }
    }
}
