package dev.assay.web.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DownsamplerTest {

    /** A million Gaussian values with a spike, a dip and the NaNs given. */
    private static double[] series(int... nans) {
        Random random = new Random(3);
        double[] values = new double[1_000_000];
        Arrays.setAll(values, i -> random.nextGaussian());
        values[777_777] = 100;
        values[333_333] = -50;
        for (int i : nans) {
            values[i] = Double.NaN;
        }
        return values;
    }

    @Test
    void aSeriesKeepsItsExtremesItsEndsAndItsNaNsWithinTheBudget() {
        double[] values = series(500_001);
        int[] kept = Downsampler.select(values, values.length, 2000);
        assertThat(kept).hasSizeLessThanOrEqualTo(2000).contains(0, 999_999, 777_777, 333_333, 500_001);
        assertThat(kept).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void oneNaNCostsAPointOrTwoOfTheBudgetNotAThird() {
        // found by a scale check: a single NaN in a million points came back as 1,335 points of 2,000 (the
        // bucket count was cut by a third when the NaN's bucket went one point over)
        assertThat(Downsampler.select(series(), 1_000_000, 2000)).hasSizeBetween(1990, 2000);
        assertThat(Downsampler.select(series(500_001), 1_000_000, 2000)).hasSizeBetween(1990, 2000);
        assertThat(Downsampler.select(series(500_001), 1_000_000, 20_000)).hasSizeBetween(19_900, 20_000);
        // NaN in every bucket still fits, with fewer buckets
        int[] everywhere = new int[1000];
        Arrays.setAll(everywhere, i -> i * 1000 + 7);
        int[] kept = Downsampler.select(series(everywhere), 1_000_000, 2000);
        assertThat(kept).hasSizeBetween(1400, 2000).contains(0, 999_999, 777_777, 333_333);
    }

    @Test
    void aShortSeriesIsKeptWholeAndATooSmallBudgetIsRefused() {
        assertThat(Downsampler.select(new double[] {1, Double.NaN, 3}, 3, 5)).containsExactly(0, 1, 2);
        assertThat(Downsampler.select(series(), 1_000_000, 5)).hasSizeLessThanOrEqualTo(5).contains(0, 999_999);
        assertThatThrownBy(() -> Downsampler.select(new double[10], 10, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
