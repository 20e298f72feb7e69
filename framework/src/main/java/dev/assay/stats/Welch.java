package dev.assay.stats;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.OptionalDouble;
import org.apache.commons.math3.stat.descriptive.StatisticalSummary;
import org.apache.commons.math3.stat.descriptive.StatisticalSummaryValues;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Welch's t-test (unequal variances; B. L. Welch 1947, "The generalization of 'Student's' problem
 * when several different population variances are involved", Biometrika 34: t = (m₁ − m₂) /
 * √(s₁²/n₁ + s₂²/n₂) with the Welch–Satterthwaite degrees of freedom), two-sided, through Apache
 * Commons Math's {@link TTest}: whether two groups of runs (e.g. the seeds of two configurations)
 * have different means of a metric. One test per pair; comparing several groups with one is not
 * corrected for multiple comparisons.
 */
public final class Welch {

    private Welch() {}

    /**
     * The two-sided p-value that two samples have the same mean.
     *
     * @param a one sample's values (finite)
     * @param b the other's
     * @return the p-value in [0, 1], or empty where a sample has fewer than 2 values or neither
     *     has any spread (the test is undefined)
     */
    public static OptionalDouble pValue(double[] a, double[] b) {
        return pValue(summary(a), summary(b));
    }

    /**
     * The two-sided p-value from two samples' summaries (what a SQL {@code AVG}, {@code
     * STDDEV_SAMP} and {@code COUNT} give).
     *
     * @param meanA the first sample's mean
     * @param stdA its sample standard deviation (n − 1 in the denominator)
     * @param nA its size
     * @param meanB the second sample's mean
     * @param stdB its sample standard deviation
     * @param nB its size
     * @return the p-value in [0, 1], or empty where a sample has fewer than 2 values, a figure is
     *     not finite, or neither sample has any spread
     */
    public static OptionalDouble pValue(double meanA, double stdA, long nA, double meanB, double stdB, long nB) {
        return pValue(new StatisticalSummaryValues(meanA, stdA * stdA, nA, Double.NaN, Double.NaN, Double.NaN),
                new StatisticalSummaryValues(meanB, stdB * stdB, nB, Double.NaN, Double.NaN, Double.NaN));
    }

    private static OptionalDouble pValue(StatisticalSummary a, StatisticalSummary b) {
        if (a.getN() < 2 || b.getN() < 2 || !Double.isFinite(a.getMean() + a.getVariance() + b.getMean() + b.getVariance())
                || a.getVariance() + b.getVariance() == 0) {
            return OptionalDouble.empty();
        }
        double p = new TTest().tTest(a, b);
        return Double.isNaN(p) ? OptionalDouble.empty() : OptionalDouble.of(p);
    }

    /**
     * A p-value as tables show it: two significant digits, {@code <0.001} below 0.001.
     *
     * @param p the p-value in [0, 1]
     * @return e.g. {@code 0.017}, {@code 0.14}, {@code <0.001}
     */
    public static String format(double p) {
        return p < 0.001 ? "<0.001" : new BigDecimal(p).round(new MathContext(2)).toPlainString();
    }

    private static StatisticalSummary summary(double[] values) {
        SummaryStatistics s = new SummaryStatistics();
        for (double v : values) {
            s.addValue(v);
        }
        return s;
    }
}
