package dev.assay.track;

import static dev.assay.track.StoreFixtures.newRun;
import static dev.assay.track.StoreFixtures.queryLong;
import static dev.assay.track.StoreFixtures.queryRows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricSeriesTest {

    @TempDir
    Path dir;

    private static List<MetricPoint> series(long fromStep, int count) {
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long step = fromStep + i;
            points.add(new MetricPoint(step, (int) (step / 1000) + 1, Math.sin(step) * 1e3 + step, 1_700_000_000_000L + step * 7));
        }
        return points;
    }

    @Test
    void nanAndInfinitiesRoundTripExactlyAndTheSummaryIgnoresNanForMinAndMax() {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir))) {
            String runId = store.createRun(newRun("exp", 0));
            double oddNan = Double.longBitsToDouble(0x7ff8_0000_0000_0123L);
            List<MetricPoint> points = List.of(
                    new MetricPoint(0, 0, 2.5, 100),
                    new MetricPoint(1, 1, Double.NaN, 101),
                    new MetricPoint(2, 1, Double.POSITIVE_INFINITY, 102),
                    new MetricPoint(3, 1, Double.NEGATIVE_INFINITY, 103),
                    new MetricPoint(4, 2, oddNan, 104),
                    new MetricPoint(5, 2, 1.25, 105));
            store.appendMetrics(runId, Map.of("loss", points));

            List<MetricPoint> read = store.metric(runId, "loss");
            assertThat(read).extracting(p -> Double.doubleToRawLongBits(p.value()))
                    .containsExactlyElementsOf(points.stream().map(p -> Double.doubleToRawLongBits(p.value())).toList());
            assertThat(read).extracting(MetricPoint::step).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(read).extracting(MetricPoint::epoch).containsExactly(0, 1, 1, 1, 2, 2);
            assertThat(read).extracting(MetricPoint::wallTimeMillis).containsExactly(100L, 101L, 102L, 103L, 104L, 105L);

            MetricSummary summary = store.run(runId).orElseThrow().metrics().get("loss");
            assertThat(summary).isEqualTo(new MetricSummary(
                    "loss", 6, 1.25, 5, Double.NEGATIVE_INFINITY, 3, Double.POSITIVE_INFINITY, 2, 4));
        }
    }

    @Test
    void anAllNanSeriesHasNanMinAndMaxWithStepMinusOne() {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir))) {
            String runId = store.createRun(newRun("exp", 0));
            store.appendMetrics(runId, Map.of("loss", List.of(
                    new MetricPoint(0, 1, Double.NaN, 1), new MetricPoint(1, 1, Double.NaN, 2))));
            MetricSummary summary = store.run(runId).orElseThrow().metrics().get("loss");
            assertThat(summary.count()).isEqualTo(2);
            assertThat(summary.last()).isNaN();
            assertThat(summary.lastStep()).isEqualTo(1);
            assertThat(summary.min()).isNaN();
            assertThat(summary.max()).isNaN();
            assertThat(summary.minStep()).isEqualTo(-1);
            assertThat(summary.maxStep()).isEqualTo(-1);
            assertThat(summary.nonFiniteCount()).isEqualTo(2);
        }
    }

    @Test
    void unevenBatchesOf5000PointsAreStoredInFiveChunksAndReadBackIdentically() throws Exception {
        String url = StoreFixtures.url(dir);
        List<MetricPoint> points = series(0, 5000);
        try (TrackingStore store = TrackingStore.open(url)) {
            String runId = store.createRun(newRun("exp", 0));
            int from = 0;
            for (int batch : new int[] {1, 7, 1023, 1025, 5000 - 1 - 7 - 1023 - 1025}) {
                store.appendMetrics(runId, Map.of("loss", points.subList(from, from + batch)));
                from += batch;
            }

            assertThat(store.metric(runId, "loss")).isEqualTo(points);
            assertThat(queryLong(url, "SELECT COUNT(*) FROM metric_chunks WHERE run_id = ?", runId)).isEqualTo(5);
            assertThat(queryRows(url, "SELECT chunk_no, first_step, last_step, point_count FROM metric_chunks"
                    + " WHERE run_id = ? ORDER BY chunk_no", runId))
                    .containsExactly(List.of(0, 0L, 1023L, 1024), List.of(1, 1024L, 2047L, 1024),
                            List.of(2, 2048L, 3071L, 1024), List.of(3, 3072L, 4095L, 1024),
                            List.of(4, 4096L, 4999L, 904));
            MetricSummary summary = store.run(runId).orElseThrow().metrics().get("loss");
            assertThat(summary.count()).isEqualTo(5000);
            assertThat(summary.lastStep()).isEqualTo(4999);
            assertThat(summary.last()).isEqualTo(points.get(4999).value());
            MetricPoint min = points.stream().min((a, b) -> Double.compare(a.value(), b.value())).orElseThrow();
            assertThat(summary.min()).isEqualTo(min.value());
            assertThat(summary.minStep()).isEqualTo(min.step());
            assertThat(summary.nonFiniteCount()).isZero();
        }
    }

    @Test
    void oneAtATimeAndAllAtOnceStoreIdenticalChunks() throws Exception {
        String url = StoreFixtures.url(dir);
        List<MetricPoint> points = series(0, 2100);
        try (TrackingStore store = TrackingStore.open(url)) {
            String single = store.createRun(newRun("exp", 0));
            String bulk = store.createRun(newRun("exp", 1));
            for (MetricPoint point : points) {
                store.appendMetrics(single, Map.of("acc", List.of(point)));
            }
            store.appendMetrics(bulk, Map.of("acc", points));
            String chunks = "SELECT chunk_no, first_step, last_step, point_count, steps, epochs, metric_values,"
                    + " wall_times FROM metric_chunks WHERE run_id = ? ORDER BY chunk_no";
            assertThat(queryRows(url, chunks, single)).hasSize(3).isEqualTo(queryRows(url, chunks, bulk));
            String summaries = "SELECT metric_key, point_count, last_value, last_step, min_value, min_step, max_value,"
                    + " max_step, non_finite_count FROM metric_summaries WHERE run_id = ?";
            assertThat(queryRows(url, summaries, single)).isEqualTo(queryRows(url, summaries, bulk));
        }
    }

    @Test
    void aNewRunsSeriesStartEmptyButAppendsAfterItsStateWasDroppedReadTheStoredTail() throws Exception {
        // the store skips looking for stored tails of a run it just created; once it drops that run's
        // state (here: finishing it), the next append must read the tail back, not start chunk 0 again
        String url = StoreFixtures.url(dir);
        List<MetricPoint> points = series(0, 1030);
        try (TrackingStore store = TrackingStore.open(url)) {
            String runId = store.createRun(newRun("exp", 0));
            store.appendMetrics(runId, Map.of("loss", points.subList(0, 1000)));
            store.finishRun(runId, RunStatus.COMPLETED, null);
            store.appendMetrics(runId, Map.of("loss", points.subList(1000, 1030)));
            assertThat(store.metric(runId, "loss")).isEqualTo(points);
            assertThat(store.run(runId).orElseThrow().metrics().get("loss").count()).isEqualTo(1030);
            assertThat(queryRows(url, "SELECT chunk_no, first_step, last_step, point_count FROM metric_chunks"
                    + " WHERE run_id = ? ORDER BY chunk_no", runId))
                    .containsExactly(List.of(0, 0L, 1023L, 1024), List.of(1, 1024L, 1029L, 6));
        }
    }

    @Test
    void aReopenedStoreContinuesTheTailChunk() throws Exception {
        String url = StoreFixtures.url(dir);
        List<MetricPoint> points = series(0, 3000);
        String runId;
        try (TrackingStore store = TrackingStore.open(url)) {
            runId = store.createRun(newRun("exp", 0));
            store.appendMetrics(runId, Map.of("loss", points.subList(0, 1500), "lr", series(0, 1024)));
        }
        try (TrackingStore store = TrackingStore.open(url)) {
            store.appendMetrics(runId, Map.of("loss", points.subList(1500, 3000), "lr", series(1024, 10)));
            assertThat(store.metric(runId, "loss")).isEqualTo(points);
            assertThat(store.metric(runId, "lr")).isEqualTo(series(0, 1034));
            assertThat(store.metricKeys(runId)).containsExactly("loss", "lr");
            assertThat(store.run(runId).orElseThrow().metrics().get("loss").count()).isEqualTo(3000);
            assertThat(store.run(runId).orElseThrow().metrics().get("lr").count()).isEqualTo(1034);
        }
        assertThat(queryRows(url, "SELECT metric_key, chunk_no, point_count FROM metric_chunks WHERE run_id = ?"
                + " ORDER BY metric_key, chunk_no", runId))
                .containsExactly(List.of("loss", 0, 1024), List.of("loss", 1, 1024), List.of("loss", 2, 952),
                        List.of("lr", 0, 1024), List.of("lr", 1, 10));
    }

    @Test
    void chunkCodecRoundTripsExtremeValues() {
        long[] longs = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1, 1_700_000_000_000L, Long.MIN_VALUE};
        int[] ints = {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -7, 3, 1, 1};
        double[] doubles = {Double.NaN, -0.0, Double.MIN_VALUE, Double.NEGATIVE_INFINITY, 1e308, -1, 0.1};
        long[] longsBack = new long[7];
        int[] intsBack = new int[7];
        double[] doublesBack = new double[7];
        ChunkCodec.decodeLongs(ChunkCodec.encodeLongs(longs, 0, 7, new byte[ChunkCodec.scratchSize(7)]), 7, longsBack, 0);
        ChunkCodec.decodeInts(ChunkCodec.encodeInts(ints, 0, 7, new byte[ChunkCodec.scratchSize(7)]), 7, intsBack, 0);
        ChunkCodec.decodeDoubles(ChunkCodec.encodeDoubles(doubles, 0, 7), 7, doublesBack, 0);
        assertThat(longsBack).containsExactly(longs);
        assertThat(intsBack).containsExactly(ints);
        for (int i = 0; i < 7; i++) {
            assertThat(Double.doubleToRawLongBits(doublesBack[i])).isEqualTo(Double.doubleToRawLongBits(doubles[i]));
        }
        long[] steps = new long[1024];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = 10L * i;
        }
        assertThat(ChunkCodec.encodeLongs(steps, 0, 1024, new byte[ChunkCodec.scratchSize(1024)])).hasSize(1 + 1024);
    }

    @Test
    void stepsOutOfOrderAreReadBackInStepOrder() {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir))) {
            String runId = store.createRun(newRun("exp", 0));
            store.appendMetrics(runId, Map.of("val", List.of(new MetricPoint(5, 1, 1, 1), new MetricPoint(2, 1, 2, 2))));
            assertThat(store.metric(runId, "val")).extracting(MetricPoint::step).containsExactly(2L, 5L);
            assertThat(store.metric(runId, "none")).isEmpty();
        }
    }

    @Test
    void deltaVarintBytesAreExactlyZigZagLeb128OfTheDifferences() {
        byte[] expected = {1, 0, 2, (byte) 0xD6, 0x04, (byte) 0xD9, 0x04};
        assertThat(ChunkCodec.encodeLongs(new long[] {9, 0, 1, 300, -1}, 1, 4, new byte[ChunkCodec.scratchSize(4)])).isEqualTo(expected);
        assertThat(ChunkCodec.encodeInts(new int[] {0, 1, 300, -1, 7}, 0, 4, new byte[ChunkCodec.scratchSize(4)])).isEqualTo(expected);
        long[] extremes = {Long.MIN_VALUE, Long.MAX_VALUE, 0};
        long[] back = new long[3];
        ChunkCodec.decodeLongs(ChunkCodec.encodeLongs(extremes, 0, 3, new byte[ChunkCodec.scratchSize(3)]), 3, back, 0);
        assertThat(back).containsExactly(extremes);
    }
}
