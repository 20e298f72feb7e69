package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InterleavedOverheadTest {

    @Test
    void aCostOnEveryTwentiethStepCountsInTheCyclesRatioThoughNotInTheMedianStep() {
        long[] plain = new long[100];
        long[] assay = new long[100];
        Arrays.fill(plain, 1_000);
        Arrays.fill(assay, 1_000);
        for (int i = 19; i < 100; i += 20) {
            assay[i] = 3_000; // the read-back of the objective, one step in 20
        }
        double[] cycles = InterleavedOverhead.groupRatios(assay, plain, 20);
        assertThat(cycles).hasSize(5).containsOnly(22_000 / 20_000.0);
        assertThat(TrackingOverheadBench.median(cycles)).isEqualTo(1.1);
        // one unit per group: the per-unit ratios, whose median (1.0) misses the read-back
        assertThat(TrackingOverheadBench.median(InterleavedOverhead.groupRatios(assay, plain, 1))).isEqualTo(1.0);
    }

    @Test
    void aShorterLastGroupIsDroppedAndFewerUnitsThanOneGroupMakeOneGroup() {
        long[] reference = {10, 10, 10, 10, 10};
        assertThat(InterleavedOverhead.groupRatios(new long[] {10, 20, 10, 20, 99}, reference, 2))
                .containsExactly(1.5, 1.5);
        assertThat(InterleavedOverhead.groupRatios(new long[] {10, 20, 30, 40, 50}, reference, 20))
                .containsExactly(3.0);
    }
}
