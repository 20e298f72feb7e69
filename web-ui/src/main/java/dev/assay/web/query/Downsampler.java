package dev.assay.web.query;

import java.util.Arrays;

/**
 * Chooses which points of a series to draw so that at most {@code maxPoints} remain and no spike is
 * hidden: the series is cut into equal-count buckets (in step order) and each bucket keeps its
 * minimum and its maximum point (the "min/max per bucket" reduction, in the spirit of M4, Jugel et
 * al. 2014), plus its first NaN point if it has one, so NaN is never silently dropped either. The
 * first and last point of the series are always kept. Every local extreme that is the extreme of
 * its bucket therefore survives, in particular a single-point spike anywhere in the series.
 *
 * <p>±Infinity count as values (+Infinity is a bucket's maximum, -Infinity its minimum); NaN is
 * ignored for min/max. When buckets with NaN push the count over the budget, the bucket count is
 * lowered until it fits.
 */
public final class Downsampler {

    /** The smallest budget accepted: first, last and one bucket's min, max and NaN. */
    public static final int MIN_POINTS = 5;

    private Downsampler() {}

    /**
     * Returns the indices of the points to keep, ascending.
     *
     * @param values the series values in step order (NaN and ±Infinity allowed)
     * @param count how many leading entries of {@code values} form the series, ≥ 0
     * @param maxPoints the most points to keep, ≥ {@value #MIN_POINTS}
     * @return every index {@code 0..count-1} when {@code count <= maxPoints}, else at most {@code
     *     maxPoints} indices
     * @throws IllegalArgumentException if {@code maxPoints} is below {@value #MIN_POINTS} or {@code
     *     count} is out of range
     */
    public static int[] select(double[] values, int count, int maxPoints) {
        if (maxPoints < MIN_POINTS) {
            throw new IllegalArgumentException("maxPoints must be >= " + MIN_POINTS + ", got " + maxPoints + ".");
        }
        if (count < 0 || count > values.length) {
            throw new IllegalArgumentException("count must be in 0.." + values.length + ", got " + count + ".");
        }
        if (count <= maxPoints) {
            int[] all = new int[count];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int buckets = (maxPoints - 2) / 2;
        while (true) {
            int[] kept = bucketExtremes(values, count, buckets);
            if (kept.length <= maxPoints) {
                return kept;
            }
            // fewer buckets by about what the NaN points overshot (two points a bucket): one NaN in a
            // million points cut the budget of 2,000 to 1,335 when the count was cut by a third
            buckets = Math.max(1, buckets - Math.max(1, (kept.length - maxPoints + 1) / 2));
        }
    }

    /** Returns the kept indices with {@code buckets} buckets: at most {@code 3 × buckets + 2}. */
    private static int[] bucketExtremes(double[] values, int count, int buckets) {
        int[] out = new int[3 * buckets + 2];
        int size = 0;
        out[size++] = 0;
        for (int b = 0; b < buckets; b++) {
            int start = (int) ((long) b * count / buckets);
            int end = (int) ((long) (b + 1) * count / buckets);
            for (int pick : extremes(values, start, end)) {
                if (pick > out[size - 1]) {
                    out[size++] = pick;
                }
            }
        }
        if (out[size - 1] != count - 1) {
            out[size++] = count - 1;
        }
        return Arrays.copyOf(out, size);
    }

    /** Returns the bucket's min, max and first NaN indices, ascending, without duplicates. */
    private static int[] extremes(double[] values, int start, int end) {
        int min = -1;
        int max = -1;
        int nan = -1;
        for (int i = start; i < end; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                nan = nan < 0 ? i : nan;
            } else {
                min = min < 0 || v < values[min] ? i : min;
                max = max < 0 || v > values[max] ? i : max;
            }
        }
        return Arrays.stream(new int[] {min, max, nan}).filter(i -> i >= 0).sorted().distinct().toArray();
    }
}
