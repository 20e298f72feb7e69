package dev.assay.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WelchTest {

    // SciPy 1.17.1: scipy.stats.ttest_ind(a, b, equal_var=False)
    private static final double[] A = {0.80, 0.82, 0.84};
    private static final double[] B = {0.60, 0.65, 0.70};
    private static final double P_AB = 0.01690195582057885;

    @Test
    void matchesSciPysWelchTestFromValues() {
        assertThat(Welch.pValue(A, B).orElseThrow()).isCloseTo(P_AB, within(1e-12));
        assertThat(Welch.pValue(B, A).orElseThrow()).isCloseTo(P_AB, within(1e-12));
        // unequal sizes: ttest_ind([0.9, 0.95, 0.84], [0.8, 0.7], equal_var=False)
        assertThat(Welch.pValue(new double[] {0.9, 0.95, 0.84}, new double[] {0.8, 0.7}).orElseThrow())
                .isCloseTo(0.14367569001852318, within(1e-12));
    }

    @Test
    void fromSummariesGivesWhatTheValuesGive() {
        assertThat(Welch.pValue(0.82, 0.02, 3, 0.65, 0.05, 3).orElseThrow()).isCloseTo(P_AB, within(1e-12));
    }

    @Test
    void undefinedWithFewerThanTwoValuesOrNoSpread() {
        assertThat(Welch.pValue(new double[] {0.8}, B)).isEmpty();
        assertThat(Welch.pValue(new double[] {0.8, 0.8}, new double[] {0.7, 0.7})).isEmpty();
        assertThat(Welch.pValue(0.8, Double.NaN, 3, 0.7, 0.1, 3)).isEmpty();
        // one group without spread is fine: the other's variance carries the test
        assertThat(Welch.pValue(new double[] {0.8, 0.8, 0.8}, B)).isPresent();
    }

    @Test
    void formatsTwoSignificantDigits() {
        assertThat(Welch.format(P_AB)).isEqualTo("0.017");
        assertThat(Welch.format(0.14367569001852318)).isEqualTo("0.14");
        assertThat(Welch.format(0.0004)).isEqualTo("<0.001");
        assertThat(Welch.format(1.0)).isEqualTo("1");
    }
}
