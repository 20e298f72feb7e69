package dev.assay.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link BatchMetric}s summed over batches on the device, read back to the host only when asked:
 * each batch's sums stay on the device, and {@link #read()} reads all of them in one transfer and
 * adds them to totals kept on the host in double precision; {@link #readDeferred()} queues that
 * transfer and reads it at its next call, one read late, so that a read in the middle of an epoch
 * does not empty an asynchronous engine's queue. One instance per split (training, validation,
 * test).
 *
 * <p>A metric whose batch sum is a sum over examples ({@link BatchMetric#sumsOverExamples()},
 * such as accuracy) is not evaluated per batch: the batch's labels and predictions are kept
 * (temporarily attached to this object's manager, so that arrays owned by someone else go back to
 * their owner after the read) and the metric is evaluated once on their concatenation along axis
 * 0, at {@link #read()} (not at {@link #readDeferred()}, which the training loop calls every
 * {@code log_every_n_steps} steps for the per-batch objective, unless the kept batches reached
 * {@link #MAX_KEPT_BYTES} or {@link #MAX_PENDING} batches), or earlier when a batch's shapes past
 * axis 0 or types differ from the kept batches'. A batch whose labels and predictions alone take
 * more than {@link #MAX_KEPT_BYTES} is evaluated on its own. The caller must therefore not close a
 * batch's labels or predictions itself before the read (closing the batch, as DJL's loops do, is
 * fine). Evaluating the kept batches at every deferred read cost the MLP benchmark's step about
 * 2 ms a read on 2 vCPUs (out of tree, {@code CycleProbe}); the training split's accuracy is now
 * evaluated once an epoch there. When the per-batch objective is
 * tracked, the first metric is always evaluated per batch: {@link #read()} returns its value for
 * each batch.
 *
 * <p>Every array this object creates belongs to one sub-manager per read cycle, and the kept
 * batches and the grouped metrics' sums to another until a read that includes them; each is closed
 * after that read, when every array in it is computed: with DJL's MXNet engine, whose {@code
 * NDArray.close()} waits for the array's pending writes, closing then waits for nothing. Not
 * thread-safe.
 */
public final class DeviceMetricSums {

    /** Batches kept on the device at most before {@link #full()} asks for a read. */
    public static final int MAX_PENDING = 256;

    /**
     * Bytes of labels and predictions kept at most for the metrics evaluated on groups of batches
     * (16 MiB) before {@link #full()} asks for a read.
     */
    public static final long MAX_KEPT_BYTES = 16L << 20;

    private final List<BatchMetric> metrics;
    private final boolean objectivePerBatch;
    private final boolean[] grouped;
    private final boolean[] weighted;
    private final List<List<Long>> entryCounts = new ArrayList<>();
    private final boolean anyGrouped;
    private final NDList[] sums;
    private final long[] pendingCounts;
    private final List<Long> objectiveCounts = new ArrayList<>();
    private final List<Integer> entriesPerBatch = new ArrayList<>();
    private final List<NDList> keptLabels = new ArrayList<>();
    private final List<NDList> keptPredictions = new ArrayList<>();
    private final double[] totals;
    private final long[] counts;
    private final ArrayDeque<Submitted> submitted = new ArrayDeque<>();
    private List<Object> keptLayout;
    private long keptBytes;
    private NDManager cycle;
    /**
     * Owns the kept batches and every sum of a grouped metric until a read that includes the
     * grouped metrics ({@link #read()}, or {@link #readDeferred()} at the bounds) hands it over.
     */
    private NDManager groupedCycle;

    /**
     * A read cycle whose transfer is queued on the device but not yet read: the array holding
     * every sum of the cycle, the manager owning it and the cycle's arrays, and the bookkeeping
     * needed to add it to the totals.
     */
    private record Submitted(List<NDManager> managers, NDArray transfer, int[] sumsPerMetric, long[] counts,
            List<Long> objectiveCounts, List<Integer> entriesPerBatch, List<List<Long>> entryCounts) {}

    /**
     * Creates the sums of one split.
     *
     * @param metrics the metrics
     * @param objectivePerBatch true to evaluate the first metric per batch and return its
     *     per-batch values from {@link #read()} (the training objective); false to let every
     *     metric summed over examples be evaluated on groups of batches
     * @throws IllegalArgumentException if {@code metrics} is empty, or a metric says its batch sum is
     *     both a mean and a sum over examples
     */
    public DeviceMetricSums(List<BatchMetric> metrics, boolean objectivePerBatch) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("Give at least one metric.");
        }
        this.metrics = List.copyOf(metrics);
        this.objectivePerBatch = objectivePerBatch;
        int size = metrics.size();
        grouped = new boolean[size];
        weighted = new boolean[size];
        boolean any = false;
        for (int i = 0; i < size; i++) {
            BatchMetric metric = metrics.get(i);
            if (metric.batchSumIsMean() && metric.sumsOverExamples()) {
                throw new IllegalArgumentException("Metric '" + metric.name() + "' says its batch sum is both a"
                        + " mean and a sum over examples.");
            }
            weighted[i] = metric.batchSumIsMean();
            entryCounts.add(new ArrayList<>());
            grouped[i] = metrics.get(i).sumsOverExamples() && !(objectivePerBatch && i == 0);
            any |= grouped[i];
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

    /**
     * Adds one batch, split across devices: the per-batch metrics are queued on the device now,
     * the grouped ones later (see the class comment). Nothing is read back.
     *
     * @param labels the batch's labels per device, each list shaped as the metrics expect ({@link
     *     BatchMetric#batchSum}: for classification class indices {@code (batch)})
     * @param predictions the batch's predictions per device (the same keys; for classification
     *     logits {@code (batch, classes)})
     * @param owner the manager under which this object's per-cycle manager is created (its
     *     sub-manager); the same one for every batch
     */
    public void addBatch(Map<Device, NDList> labels, Map<Device, NDList> predictions, NDManager owner) {
        entriesPerBatch.add(0);
        for (Map.Entry<Device, NDList> device : labels.entrySet()) {
            addPart(device.getValue(), predictions.get(device.getKey()), owner);
        }
    }

    /**
     * Adds one batch on a single device.
     *
     * @param labels the batch's labels (shapes as in {@link BatchMetric#batchSum})
     * @param predictions the batch's predictions (shapes as in {@link BatchMetric#batchSum})
     * @param owner as in {@link #addBatch(Map, Map, NDManager)}
     */
    public void addBatch(NDList labels, NDList predictions, NDManager owner) {
        entriesPerBatch.add(0);
        addPart(labels, predictions, owner);
    }

    private void addPart(NDList labels, NDList predictions, NDManager owner) {
        long keptSize = prepareToKeep(labels, predictions, owner);
        boolean keep = keptSize >= 0;
        for (int i = 0; i < metrics.size(); i++) {
            BatchMetric metric = metrics.get(i);
            long count = metric.batchCount(labels, predictions);
            pendingCounts[i] += count;
            if (!(keep && grouped[i])) {
                add(i, metric.batchSum(labels, predictions), count, owner);
            }
        }
        if (keep) {
            keep(labels, predictions, keptSize, owner);
        }
    }

    /**
     * Decides whether a batch's labels and predictions are kept for the grouped metrics: not
     * when no metric is grouped or the batch alone takes more than {@link #MAX_KEPT_BYTES}; when
     * its shapes past axis 0 or types differ from the kept batches', those are evaluated first.
     *
     * @return the batch's bytes if it is to be kept, -1 if not
     */
    private long prepareToKeep(NDList labels, NDList predictions, NDManager owner) {
        if (!anyGrouped) {
            return -1;
        }
        List<Object> layout = new ArrayList<>();
        long bytes = 0;
        for (NDList list : List.of(labels, predictions)) {
            layout.add(list.size());
            for (NDArray array : list) {
                Shape shape = array.getShape();
                if (shape.dimension() == 0) {
                    return -1;
                }
                layout.add(shape.slice(1));
                layout.add(array.getDataType());
                bytes += shape.size() * array.getDataType().getNumOfBytes();
            }
        }
        if (bytes > MAX_KEPT_BYTES) {
            return -1;
        }
        if (!layout.equals(keptLayout)) {
            evaluateKept(owner);
            keptLayout = layout;
        }
        return bytes;
    }

    /** Keeps a batch's arrays, temporarily attached to the grouped metrics' manager. */
    private void keep(NDList labels, NDList predictions, long bytes, NDManager owner) {
        NDManager manager = groupedCycle(owner);
        for (NDList list : List.of(labels, predictions)) {
            for (NDArray array : list) {
                if (array.getManager() != manager) {
                    array.tempAttach(manager);
                }
            }
        }
        keptLabels.add(labels);
        keptPredictions.add(predictions);
        keptBytes += bytes;
    }

    private void add(int metric, NDArray sum, long count, NDManager owner) {
        sum.attach(grouped[metric] ? groupedCycle(owner) : cycle(owner));
        sums[metric].add(sum);
        if (weighted[metric]) {
            entryCounts.get(metric).add(count);
        }
        if (metric == 0 && objectivePerBatch) {
            objectiveCounts.add(count);
            entriesPerBatch.set(entriesPerBatch.size() - 1, entriesPerBatch.get(entriesPerBatch.size() - 1) + 1);
        }
    }

    /**
     * Returns whether the sums should be read now: {@value #MAX_PENDING} batches or
     * {@link #MAX_KEPT_BYTES} kept.
     *
     * @return true if the caller should call {@link #read()}
     */
    public boolean full() {
        return entriesPerBatch.size() >= MAX_PENDING || groupedFull();
    }

    /** Whether the kept batches reached a bound: {@link #MAX_KEPT_BYTES}, or {@link #MAX_PENDING} batches. */
    private boolean groupedFull() {
        return keptBytes >= MAX_KEPT_BYTES || keptLabels.size() >= MAX_PENDING;
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
            if (grouped[i]) {
                NDArray sum = metrics.get(i).batchSum(labels, predictions);
                sum.attach(groupedCycle(owner));
                sums[i].add(sum);
            }
        }
        keptLabels.clear();
        keptPredictions.clear();
        keptBytes = 0;
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

    private NDManager groupedCycle(NDManager owner) {
        if (groupedCycle == null) {
            groupedCycle = owner.newSubManager();
        }
        return groupedCycle;
    }

    /**
     * Evaluates the kept batches, reads every sum in one transfer (the engine's only wait), adds
     * them to the totals and frees this cycle's arrays; sums queued by {@link #readDeferred()}
     * are read first.
     *
     * @return with the per-batch objective, the first metric's value ({@code sum / count}) of each
     *     batch read, oldest first; otherwise empty
     */
    public List<Float> read() {
        submit(true);
        return collect();
    }

    /**
     * Reads what an earlier call queued and queues the transfer of everything added since (the
     * grouped metrics only once their kept batches reach a bound; {@link #read()} takes them),
     * without waiting for it: the caller gets the values one read late, and waits (if at all) only for
     * batches added before that earlier call. With an asynchronous engine (MXNet) the operations
     * queued since then keep the engine busy meanwhile, whereas a {@link #read()} in the middle of
     * an epoch empties its queue: the engine then idles while the host prepares the next batch
     * (about one step's time per read: two such reads in each 43-step epoch of the benchmark's MLP
     * cost 3.2-3.6% of the epoch on 2 vCPUs, measured out of tree by a plain loop with and without
     * them taking turns every epoch; the harness was not kept). The totals ({@link #mean}) include only what has been read.
     *
     * @return with the per-batch objective, the first metric's value of each batch queued by the
     *     earlier calls, oldest first; empty on the first call and otherwise without it
     */
    public List<Float> readDeferred() {
        List<Float> earlier = collect();
        submit(groupedFull());
        return earlier;
    }

    /**
     * Queues the transfer of this cycle's sums (each metric's sums stacked and converted to
     * float64, all concatenated: queued operations, no wait) and starts a new cycle. With {@code
     * withGrouped} the kept batches are evaluated first and the grouped metrics' sums go too;
     * without, they stay on the device for a later read (their batch counts with them).
     */
    private void submit(boolean withGrouped) {
        boolean grouping = withGrouped && groupedCycle != null;
        if (entriesPerBatch.isEmpty() && !grouping) {
            return;
        }
        if (grouping) {
            evaluateKept(groupedCycle);
        }
        int[] sumsPerMetric = new int[sums.length];
        long[] submittedCounts = new long[sums.length];
        NDList columns = new NDList();
        for (int m = 0; m < sums.length; m++) {
            if (grouped[m] && !grouping) {
                continue; // still pending, with its counts
            }
            sumsPerMetric[m] = sums[m].size();
            submittedCounts[m] = pendingCounts[m];
            if (!sums[m].isEmpty()) {
                columns.add(NDArrays.stack(sums[m]).toType(DataType.FLOAT64, false));
            }
        }
        NDArray transfer = columns.isEmpty() ? null : NDArrays.concat(columns);
        List<NDManager> managers = new ArrayList<>(2);
        if (cycle != null) {
            managers.add(cycle);
        }
        if (grouping) {
            managers.add(groupedCycle);
        }
        submitted.addLast(new Submitted(managers, transfer, sumsPerMetric, submittedCounts,
                List.copyOf(objectiveCounts), List.copyOf(entriesPerBatch),
                entryCounts.stream().map(List::copyOf).toList()));
        cycle = null;
        if (grouping) {
            groupedCycle = null;
        }
        clearCycle(grouping);
    }

    /** Reads every queued transfer, oldest first, into the totals, and frees their arrays. */
    private List<Float> collect() {
        List<Float> perBatch = new ArrayList<>();
        while (!submitted.isEmpty()) {
            Submitted next = submitted.peekFirst();
            double[] all = next.transfer() == null ? new double[0] : next.transfer().toDoubleArray();
            submitted.removeFirst();
            int offset = 0;
            for (int m = 0; m < sums.length; m++) {
                for (int e = 0; e < next.sumsPerMetric()[m]; e++) {
                    // a per-batch mean counts its units (see BatchMetric#batchSumIsMean)
                    totals[m] += weighted[m] ? all[offset + e] * next.entryCounts().get(m).get(e) : all[offset + e];
                }
                counts[m] += next.counts()[m];
                offset += next.sumsPerMetric()[m];
            }
            if (objectivePerBatch) {
                int e = 0;
                for (int n : next.entriesPerBatch()) {
                    double sum = 0;
                    long count = 0;
                    for (int k = 0; k < n; k++, e++) {
                        sum += weighted[0] ? all[e] * next.objectiveCounts().get(e) : all[e];
                        count += next.objectiveCounts().get(e);
                    }
                    perBatch.add((float) (sum / count));
                }
            }
            next.managers().forEach(NDManager::close);
        }
        return perBatch;
    }

    /**
     * Returns a metric's mean over every batch read since the last {@link #reset()}.
     *
     * @param metric the metric's index in the list given to the constructor
     * @return {@code Σ sums / Σ counts}; NaN when no batch was read
     */
    public double mean(int metric) {
        return counts[metric] == 0 ? Double.NaN : totals[metric] / counts[metric];
    }

    /** Frees what was not read and sets the totals to zero (e.g. at the start of an epoch). */
    public void reset() {
        discard();
        Arrays.fill(totals, 0);
        Arrays.fill(counts, 0);
    }

    /**
     * Frees this cycle's arrays (sums and kept batches) and every queued transfer without reading
     * them.
     */
    public void discard() {
        if (cycle != null) {
            cycle.close();
            cycle = null;
        }
        if (groupedCycle != null) {
            groupedCycle.close();
            groupedCycle = null;
        }
        for (Submitted queued : submitted) {
            queued.managers().forEach(NDManager::close);
        }
        submitted.clear();
        clearCycle(true);
    }

    /**
     * Forgets this cycle's sums (their manager is closed or handed on), and with {@code grouped}
     * the grouped metrics' sums and the kept batches too.
     */
    private void clearCycle(boolean grouped) {
        for (int m = 0; m < sums.length; m++) {
            if (grouped || !this.grouped[m]) {
                sums[m].clear();
                pendingCounts[m] = 0;
            }
        }
        entryCounts.forEach(List::clear);
        objectiveCounts.clear();
        entriesPerBatch.clear();
        if (grouped) {
            keptLabels.clear();
            keptPredictions.clear();
            keptLayout = null;
            keptBytes = 0;
        }
    }
}
