package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** (b)'s lost-point count: series by series, so that a series stored twice hides no loss elsewhere. */
class IngestionCountsTest {

    @Test
    void aSeriesStoredTwiceDoesNotOffsetAChunkLostFromAnother() {
        // run r: metric_0 lost a chunk of 1,024 points, metric_1 holds one chunk twice; the totals agree
        StoredCounts counts = StoredCounts.compare(
                Map.of("r/metric_0", 4_096L - 1_024, "r/metric_1", 4_096L + 1_024),
                Map.of("r/metric_0", 4_096L, "r/metric_1", 4_096L), 8_192);
        assertThat(counts.stored()).isEqualTo(8_192);
        assertThat(counts.missing()).isEqualTo(1_024);
        assertThat(counts.excess()).isEqualTo(1_024);
    }

    @Test
    void aSeriesWithNoChunkAtAllIsLostAndAnUnloggedSeriesIsExcess() {
        StoredCounts counts = StoredCounts.compare(
                Map.of("r/metric_0", 10L, "r/stray", 3L), Map.of("r/metric_0", 10L, "r/metric_1", 10L), -1);
        assertThat(counts.missing()).isEqualTo(10);
        assertThat(counts.excess()).isEqualTo(3);
        assertThat(counts.stored()).isEqualTo(13);
    }

    @Test
    void everyPointStoredOnceIsNeitherLostNorExcess() {
        StoredCounts counts = StoredCounts.compare(
                Map.of("a/metric_0", 5L, "b/metric_0", 5L), Map.of("a/metric_0", 5L, "b/metric_0", 5L), 10);
        assertThat(counts.missing()).isZero();
        assertThat(counts.excess()).isZero();
    }
}
