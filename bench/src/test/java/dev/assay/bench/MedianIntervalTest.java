package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MedianIntervalTest {

    @Test
    void fifteenValuesGiveTheFourthAndTwelfthOrderStatistics() {
        // n = 15: P(Bin(15, 1/2) <= 3) = 576/32768 = 0.0176 <= 0.025 < P(<= 4) = 0.0592,
        // so k = 4 and the coverage is 1 - 2 * 0.0176 = 0.9648 (Conover's table A3)
        double[] values = new double[15];
        for (int i = 0; i < 15; i++) {
            values[i] = 15 - i; // unsorted on purpose: 15, 14, ..., 1
        }
        MedianInterval interval = MedianInterval.of(values, 0.95);
        assertThat(interval.low()).isEqualTo(4);
        assertThat(interval.high()).isEqualTo(12);
        assertThat(interval.confidence()).isCloseTo(1 - 2 * 576 / 32768.0, within(1e-12));
        assertThat(values[0]).isEqualTo(15); // the sample is not sorted in place
    }

    @Test
    void tooFewValuesGiveTheRangeWithTheCoverageItAchieves() {
        MedianInterval interval = MedianInterval.of(new double[] {1.2, 0.9, 1.05, 1.0, 1.1}, 0.95);
        assertThat(interval.low()).isEqualTo(0.9);
        assertThat(interval.high()).isEqualTo(1.2);
        assertThat(interval.confidence()).isCloseTo(1 - 2 / 32.0, within(1e-12));
    }

    @Test
    void manyValuesNarrowTheIntervalAroundTheMedian() {
        double[] values = new double[3000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        MedianInterval interval = MedianInterval.of(values, 0.95);
        // normal approximation: n/2 -/+ 1.96 sqrt(n)/2 = 1500 -/+ 53.7
        assertThat(interval.low()).isBetween(1444.0, 1448.0);
        assertThat(interval.high()).isBetween(1551.0, 1555.0);
        assertThat(interval.confidence()).isBetween(0.95, 0.96);
    }

    @Test
    void rejectsAnEmptySampleAndABadConfidence() {
        assertThatThrownBy(() -> MedianInterval.of(new double[0], 0.95))
                .hasMessage("A median interval needs at least one value.");
        assertThatThrownBy(() -> MedianInterval.of(new double[] {1}, 1.0))
                .hasMessage("The confidence must be in (0, 1), got 1.0.");
    }
}
