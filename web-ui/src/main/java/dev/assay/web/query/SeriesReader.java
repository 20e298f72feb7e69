package dev.assay.web.query;

import dev.assay.track.MetricPoint;
import dev.assay.track.MetricSeries;
import dev.assay.track.TrackingException;
import dev.assay.track.TrackingStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads metric series through {@link TrackingStore#metricSeries(String, String)} (primitive
 * columns, no object per point) and down-samples them
 * with {@link Downsampler}. Results are cached (at most {@value #CACHE_ENTRIES} series) and reused
 * while the series' stored point count is unchanged: series are append-only, so an unchanged count
 * means unchanged points, and a running series is re-read as soon as it grows.
 *
 * <p>Thread-safe.
 */
public final class SeriesReader {

    /** How many down-sampled series the cache keeps. */
    public static final int CACHE_ENTRIES = 256;

    private final TrackingStore store;
    private final StoreQueries queries;
    private final Map<String, SampledSeries> cache = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SampledSeries> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    /**
     * Creates the reader.
     *
     * @param store the store that decodes series
     * @param queries the queries that read point counts
     */
    public SeriesReader(TrackingStore store, StoreQueries queries) {
        this.store = store;
        this.queries = queries;
    }

    /**
     * Reads and down-samples every (run, metric) pair that exists.
     *
     * @param runIds full run ids
     * @param keys metric keys
     * @param maxPoints the most points per series, ≥ {@value Downsampler#MIN_POINTS}
     * @return one series per existing pair, runs outer and keys inner, in the order given
     * @throws TrackingException if the store cannot be read
     * @throws IllegalArgumentException if {@code maxPoints} is below {@value Downsampler#MIN_POINTS}
     */
    public List<SampledSeries> read(List<String> runIds, List<String> keys, int maxPoints) {
        List<SampledSeries> result = new ArrayList<>();
        for (String runId : runIds) {
            for (String key : keys) {
                long count = queries.pointCount(runId, key);
                if (count >= 0) {
                    result.add(cached(runId, key, count, maxPoints));
                }
            }
        }
        return result;
    }

    private SampledSeries cached(String runId, String key, long count, int maxPoints) {
        String cacheKey = runId + '\u0000' + key + '\u0000' + maxPoints;
        synchronized (cache) {
            SampledSeries hit = cache.get(cacheKey);
            if (hit != null && hit.totalPoints() == count) {
                return hit;
            }
        }
        SampledSeries fresh = sample(runId, key, store.metricSeries(runId, key), maxPoints);
        synchronized (cache) {
            cache.put(cacheKey, fresh);
        }
        return fresh;
    }

    /**
     * Down-samples a series held in memory.
     *
     * @param runId the run id
     * @param key the metric key
     * @param points the whole series in step order
     * @param maxPoints the most points to keep, ≥ {@value Downsampler#MIN_POINTS}
     * @return the kept points
     */
    public static SampledSeries sample(String runId, String key, List<MetricPoint> points, int maxPoints) {
        int n = points.size();
        long[] steps = new long[n];
        int[] epochs = new int[n];
        double[] values = new double[n];
        long[] walls = new long[n];
        for (int i = 0; i < n; i++) {
            MetricPoint p = points.get(i);
            steps[i] = p.step();
            epochs[i] = p.epoch();
            values[i] = p.value();
            walls[i] = p.wallTimeMillis();
        }
        return sample(runId, key, new MetricSeries(steps, epochs, values, walls), maxPoints);
    }

    /**
     * Down-samples a series held as columns.
     *
     * @param runId the run id
     * @param key the metric key
     * @param series the whole series in step order
     * @param maxPoints the most points to keep, ≥ {@value Downsampler#MIN_POINTS}
     * @return the kept points
     */
    public static SampledSeries sample(String runId, String key, MetricSeries series, int maxPoints) {
        int n = series.size();
        int[] kept = Downsampler.select(series.values(), n, maxPoints);
        long[] steps = new long[kept.length];
        int[] epochs = new int[kept.length];
        double[] keptValues = new double[kept.length];
        long[] walls = new long[kept.length];
        for (int i = 0; i < kept.length; i++) {
            steps[i] = series.steps()[kept[i]];
            epochs[i] = series.epochs()[kept[i]];
            keptValues[i] = series.values()[kept[i]];
            walls[i] = series.wallTimesMillis()[kept[i]];
        }
        return new SampledSeries(runId, key, n, kept.length < n, steps, epochs, keptValues, walls);
    }
}
