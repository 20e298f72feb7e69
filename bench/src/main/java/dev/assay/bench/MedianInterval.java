package dev.assay.bench;

import java.util.Arrays;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * A distribution-free confidence interval for a median: the order statistics {@code x(k)} and
 * {@code x(n+1-k)} of the sorted sample, with {@code k} the largest rank such that a Binomial(n,
 * 1/2) count falls below {@code k} with probability at most {@code (1 - confidence) / 2} (the
 * sign-test interval; Conover, <i>Practical Nonparametric Statistics</i>, 3rd ed., §3.2). It
 * assumes only independent draws from one continuous distribution, not normality, so it suits
 * timing ratios on a noisy machine. With few values the requested confidence may be out of reach;
 * the interval is then the whole sample's range, and {@link #confidence()} says what it achieves
 * (for 5 values 1 - 2/2⁵ = 0.9375).
 *
 * @param low the lower bound
 * @param high the upper bound
 * @param confidence the interval's exact coverage, {@code 1 - 2 P(Bin(n, 1/2) < k)}
 */
public record MedianInterval(double low, double high, double confidence) {

    /**
     * Computes the interval.
     *
     * @param values the sample (not modified)
     * @param confidence the requested coverage, e.g. 0.95
     * @return the narrowest order-statistic interval with at least that coverage, or the sample's
     *     range when no interval reaches it
     * @throws IllegalArgumentException if {@code values} is empty or {@code confidence} is not in
     *     (0, 1)
     */
    public static MedianInterval of(double[] values, double confidence) {
        if (values.length == 0) {
            throw new IllegalArgumentException("A median interval needs at least one value.");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("The confidence must be in (0, 1), got " + confidence + ".");
        }
        double[] x = values.clone();
        Arrays.sort(x);
        int n = x.length;
        BinomialDistribution counts = new BinomialDistribution(null, n, 0.5);
        int k = 1; // 1-based rank of the lower bound
        while (k + 1 <= (n + 1) / 2 && counts.cumulativeProbability(k) <= (1 - confidence) / 2) {
            k++;
        }
        double coverage = 1 - 2 * counts.cumulativeProbability(k - 1);
        return new MedianInterval(x[k - 1], x[n - k], coverage);
    }
}
