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
 * <p>A metric whose batch sum is a sum over examples ({@link BatchMetric#sumsOverExamples()},
 * such as accuracy) is not evaluated per batch: the listener keeps the batch's labels and
 * predictions (temporarily attached to its own manager, so arrays owned by someone else go back
 * to their owner) and evaluates the metric once on the concatenation of the kept batches, when
 * they are read, or earlier when a batch's shapes (past axis 0) differ from the kept ones. At most
 * {@link #MAX_KEPT_BYTES} are kept per split; a batch larger than that alone is evaluated on its
 * own. The caller must not close a batch's labels or predictions itself (closing the batch is
 * fine).
 *
 * <p>Epoch results, as DJL names them: {@code train_<metric>} (all training batches of the epoch)
 * and {@code validate_<metric>} (NaN when the epoch had no validation batch). Add this listener
 * to the trainer <em>before</em> the tracking listener: its {@code onEpoch} computes the results
 * that the tracking listener's {@code onEpoch} logs.
 */
public final class DeviceEvaluationTrainingListener extends TrainingListenerAdapter {

    /** Batches kept on the device at most before their sums are read back. */
    public static final int MAX_PENDING = 256;

    /**
     * Bytes of labels and predictions kept at most per split for the metrics evaluated on groups
     * of batches (16 MiB) before the split is read early.
     */
    public static final long MAX_KEPT_BYTES = 16L << 20;

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
        this.train = new Split(this.metrics);
        this.validation = new Split(this.metrics);
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
        if (validation.full()) {
            validation.read();
        }
    }

    private void evaluate(Trainer trainer, BatchData batchData, Split split) {
        NDManager owner = manager(trainer);
        split.startBatch();
        for (Device device : batchData.getLabels().keySet()) {
            NDList labels = batchData.getLabels().get(device);
            NDList predictions = batchData.getPredictions().get(device);
            boolean keep = split.prepareToKeep(labels, predictions, owner);
            for (int i = 0; i < metrics.size(); i++) {
                BatchMetric metric = metrics.get(i);
                long count = metric.batchCount(labels, predictions);
                if (keep && Split.grouped(metric, i)) {
                    split.count(i, count);
                } else {
                    split.add(i, metric.batchSum(labels, predictions), count, owner);
                }
            }
            if (keep) {
                split.keep(labels, predictions, owner);
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
     * The sums of one split (training or validation): per metric, the sums still on the device
     * and their counts, the labels and predictions kept for the metrics evaluated on groups of
     * batches, and the totals read so far, on the host. Everything on the device belongs to one
     * sub-manager per read cycle, closed after the read (when every array in it is computed, so
     * closing waits for nothing).
     */
    private static final class Split {
        private final List<BatchMetric> metrics;
        private final boolean anyGrouped;
        private final NDList[] sums;
        private final long[] pendingCounts;
        private final List<Long> objectiveCounts = new ArrayList<>();
        private final List<Integer> entriesPerBatch = new ArrayList<>();
        private final List<NDList> keptLabels = new ArrayList<>();
        private final List<NDList> keptPredictions = new ArrayList<>();
        private final double[] totals;
        private final long[] counts;
        private List<Object> keptLayout;
        private long keptBytes;
        private long batchBytes;
        private NDManager cycle;

        Split(List<BatchMetric> metrics) {
            this.metrics = metrics;
            int size = metrics.size();
            boolean any = false;
            for (int i = 0; i < size; i++) {
                any |= grouped(metrics.get(i), i);
            }
            anyGrouped = any;
            sums = new NDList[size];
            pendingCounts = new long[size];
            totals = new double[size];
            counts = new long[size];
            for (int i = 0; i < size; i++) {
                sums[i] = new NDList();
            }
        }

        /** Whether metric {@code i} is evaluated on groups of batches (never the objective). */
        static boolean grouped(BatchMetric metric, int i) {
            return i > 0 && metric.sumsOverExamples();
        }

        void startBatch() {
            entriesPerBatch.add(0);
        }

        /**
         * Decides whether a batch's labels and predictions are kept for the grouped metrics: not
         * when no metric is grouped or the batch alone takes more than {@link #MAX_KEPT_BYTES};
         * when its shapes past axis 0 or types differ from the kept batches', those are
         * evaluated first.
         */
        boolean prepareToKeep(NDList labels, NDList predictions, NDManager owner) {
            if (!anyGrouped) {
                return false;
            }
            List<Object> layout = new ArrayList<>();
            long bytes = 0;
            for (NDList list : List.of(labels, predictions)) {
                layout.add(list.size());
                for (NDArray array : list) {
                    Shape shape = array.getShape();
                    if (shape.dimension() == 0) {
                        return false;
                    }
                    layout.add(shape.slice(1));
                    layout.add(array.getDataType());
                    bytes += shape.size() * array.getDataType().getNumOfBytes();
                }
            }
            if (bytes > MAX_KEPT_BYTES) {
                return false;
            }
            if (!layout.equals(keptLayout)) {
                evaluateKept(owner);
                keptLayout = layout;
            }
            batchBytes = bytes;
            return true;
        }

        /** Keeps a batch's arrays, temporarily attached to this cycle's manager. */
        void keep(NDList labels, NDList predictions, NDManager owner) {
            NDManager manager = cycle(owner);
            for (NDList list : List.of(labels, predictions)) {
                for (NDArray array : list) {
                    if (array.getManager() != manager) {
                        array.tempAttach(manager);
                    }
                }
            }
            keptLabels.add(labels);
            keptPredictions.add(predictions);
            keptBytes += batchBytes;
        }

        /** Counts a grouped metric's batch; its sum comes when the kept batches are evaluated. */
        void count(int metric, long count) {
            pendingCounts[metric] += count;
        }

        void add(int metric, NDArray sum, long count, NDManager owner) {
            sum.attach(cycle(owner));
            sums[metric].add(sum);
            pendingCounts[metric] += count;
            if (metric == 0) {
                objectiveCounts.add(count);
                entriesPerBatch.set(entriesPerBatch.size() - 1, entriesPerBatch.get(entriesPerBatch.size() - 1) + 1);
            }
        }

        /** Whether the split should be read now: too many batches or too many bytes kept. */
        boolean full() {
            return entriesPerBatch.size() >= MAX_PENDING || keptBytes >= MAX_KEPT_BYTES;
        }

        /**
         * Evaluates the grouped metrics once on the kept batches, concatenated along axis 0 (the
         * operations are queued; their inputs stay in this cycle's manager until the read).
         */
        private void evaluateKept(NDManager owner) {
            if (keptLabels.isEmpty()) {
                return;
            }
            NDList labels = concat(keptLabels);
            NDList predictions = concat(keptPredictions);
            for (int i = 0; i < metrics.size(); i++) {
                if (grouped(metrics.get(i), i)) {
                    NDArray sum = metrics.get(i).batchSum(labels, predictions);
                    sum.attach(cycle(owner));
                    sums[i].add(sum);
                }
            }
            keptLabels.clear();
            keptPredictions.clear();
        }

        private static NDList concat(List<NDList> batches) {
            if (batches.size() == 1) {
                return batches.get(0);
            }
            NDList out = new NDList();
            for (int j = 0; j < batches.get(0).size(); j++) {
                NDList parts = new NDList(batches.size());
                for (NDList batch : batches) {
                    parts.add(batch.get(j));
                }
                out.add(NDArrays.concat(parts));
            }
            return out;
        }

        private NDManager cycle(NDManager owner) {
            if (cycle == null) {
                cycle = owner.newSubManager();
            }
            return cycle;
        }

        /**
         * Evaluates the kept batches, reads every sum in one transfer, adds them to the totals and
         * frees this cycle's arrays.
         *
         * @return the first metric's value of each batch read ({@code sum / count}), oldest first
         */
        List<Float> read() {
            if (entriesPerBatch.isEmpty()) {
                return List.of();
            }
            if (cycle != null) {
                evaluateKept(cycle);
            }
            double[] all = transfer();
            int offset = 0;
            for (int m = 0; m < sums.length; m++) {
                for (int e = 0; e < sums[m].size(); e++) {
                    totals[m] += all[offset + e];
                }
                counts[m] += pendingCounts[m];
                offset += sums[m].size();
            }
            List<Float> perBatch = new ArrayList<>(entriesPerBatch.size());
            int e = 0;
            for (int n : entriesPerBatch) {
                double sum = 0;
                long count = 0;
                for (int k = 0; k < n; k++, e++) {
                    sum += all[e];
                    count += objectiveCounts.get(e);
                }
                perBatch.add((float) (sum / count));
            }
            discard();
            return perBatch;
        }

        /** Stacks each metric's sums, converts them to float64 and reads them as one array. */
        private double[] transfer() {
            NDList columns = new NDList();
            for (NDList sumsOfMetric : sums) {
                if (!sumsOfMetric.isEmpty()) {
                    columns.add(NDArrays.stack(sumsOfMetric).toType(DataType.FLOAT64, false));
                }
            }
            return columns.isEmpty() ? new double[0] : NDArrays.concat(columns).toDoubleArray();
        }

        float mean(int metric) {
            return counts[metric] == 0 ? Float.NaN : (float) (totals[metric] / counts[metric]);
        }

        void reset() {
            discard();
            java.util.Arrays.fill(totals, 0);
            java.util.Arrays.fill(counts, 0);
        }

        /** Frees this cycle's arrays (sums and kept batches) without reading them. */
        void discard() {
            if (cycle != null) {
                cycle.close();
                cycle = null;
            }
            for (int m = 0; m < sums.length; m++) {
                sums[m].clear();
            }
            java.util.Arrays.fill(pendingCounts, 0);
            objectiveCounts.clear();
            entriesPerBatch.clear();
            keptLabels.clear();
            keptPredictions.clear();
            keptLayout = null;
            keptBytes = 0;
        }
    }
}
