package dev.assay.run;

import dev.assay.track.MetricPoint;
import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The monitored metric of every trial of an experiment, by run and epoch: what pruners compare a
 * trial against. Loaded from the store when a sweep starts (so a resumed sweep prunes against the
 * trials of earlier sessions) and updated as the sweep's trials finish epochs. Each trial counts
 * once, by its newest run, and never against itself: a trial run again ({@code --rerun}, or after
 * a failure) was compared with its own earlier run and with other trials' repeated runs, so the
 * same curve was kept in one session and pruned in the next.
 */
final class PrunerHistory {

    private final Map<String, NavigableMap<Integer, Double>> byRun = new ConcurrentHashMap<>();
    private final Map<String, String> trialOfRun = new ConcurrentHashMap<>();

    /**
     * Loads the metric of the newest run of every trial of an experiment, among the runs created at
     * or after {@code sinceMillis}: {@code Long.MIN_VALUE} for all (a resumed sweep prunes against the
     * trials of earlier sessions); a sweep run again from scratch ({@code --rerun}) gives its own
     * start, so that it prunes against its own trials as the first sweep did. It pruned against the
     * earlier runs of the trials it had not reached yet, and so kept a trial the first sweep had
     * pruned (a diverging trial's old run pushed the median up).
     *
     * @param store the store
     * @param experiment the experiment name
     * @param metric the monitored metric
     * @param sinceMillis the earliest run start that counts, milliseconds since the epoch
     * @return the history
     */
    static PrunerHistory load(TrackingStore store, String experiment, String metric, long sinceMillis) {
        PrunerHistory h = new PrunerHistory();
        List<RunRecord> logged = store.runs(experiment).stream().filter(r -> r.startTimeMillis() >= sinceMillis)
                .filter(r -> r.metrics().containsKey(metric)).toList();
        for (RunRecord r : RunRecord.newestPerTrial(logged)) {
            if (r.trialKey() != null) {
                h.trialOfRun.put(r.runId(), r.trialKey());
            }
            for (MetricPoint p : store.metric(r.runId(), metric)) {
                h.record(r.runId(), p.epoch(), p.value());
            }
        }
        return h;
    }

    /**
     * Starts a trial's run: the history forgets the trial's other runs, so that it is compared with
     * the other trials only.
     *
     * @param trialKey the trial's key
     * @param runId its run (new, or the stopped run it continues)
     */
    void startTrial(String trialKey, String runId) {
        trialOfRun.entrySet().removeIf(e -> {
            boolean earlier = e.getValue().equals(trialKey) && !e.getKey().equals(runId);
            if (earlier) {
                byRun.remove(e.getKey());
            }
            return earlier;
        });
        trialOfRun.put(runId, trialKey);
    }

    void record(String runId, int epoch, double value) {
        byRun.computeIfAbsent(runId, k -> new TreeMap<>()).put(epoch, value);
    }

    /** Values of the other runs at exactly this epoch. */
    List<Double> othersAt(String runId, int epoch) {
        List<Double> out = new ArrayList<>();
        byRun.forEach((id, series) -> {
            Double v = series.get(epoch);
            if (!id.equals(runId) && v != null) {
                out.add(v);
            }
        });
        return out;
    }

    /** Best values of the other runs over epochs 1..epoch, for runs that reached the epoch. */
    List<Double> othersBestUpTo(String runId, int epoch, boolean minimize) {
        List<Double> out = new ArrayList<>();
        byRun.forEach((id, series) -> {
            if (!id.equals(runId) && series.containsKey(epoch)) {
                out.add(best(series.headMap(epoch, true).values(), minimize));
            }
        });
        return out;
    }

    /** Best value of a run over epochs 1..epoch; NaN counts as the worst. */
    double bestUpTo(String runId, int epoch, boolean minimize) {
        NavigableMap<Integer, Double> series = byRun.getOrDefault(runId, new TreeMap<>());
        return best(series.headMap(epoch, true).values(), minimize);
    }

    static double best(Iterable<Double> values, boolean minimize) {
        double best = minimize ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isNaN(v) && (minimize ? v < best : v > best)) {
                best = v;
            }
        }
        return best;
    }
}
