package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Continuing a stopped run cuts its history back to the checkpoint, exactly. */
class ContinueRunTest {

    @TempDir
    Path dir;

    private static List<MetricPoint> points(long fromStep, long toStep, int epochLength) {
        List<MetricPoint> out = new ArrayList<>();
        for (long s = fromStep; s <= toStep; s++) {
            out.add(new MetricPoint(s, (int) ((s - 1) / epochLength) + 1, s * 0.5, 1000 + s));
        }
        return out;
    }

    @Test
    void seriesAreCutBackToTheCheckpointAcrossChunksAndKeysLoggedAfterItAreRemoved() {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            String run = store.createRun(StoreFixtures.newRun("e", 0));
            // 3,000 batch-loss points span three chunks of 1,024; the checkpoint is at step 2,000.
            store.appendMetrics(run, Map.of(
                    "batch_loss", points(1, 3000, 1000),
                    "val_loss", List.of(new MetricPoint(1000, 1, 9.0, 1), new MetricPoint(2000, 2, 4.0, 2),
                            new MetricPoint(3000, 3, 1.0, 3)),
                    "test_loss", List.of(new MetricPoint(2000, 2, 7.0, 4))));
            store.finishRun(run, RunStatus.INTERRUPTED, "killed");

            ContinueOutcome reopened = store.continueRun(run, Map.of("batch_loss", 2000L, "val_loss", 2000L));

            assertThat(reopened).isEqualTo(ContinueOutcome.CONTINUED);
            RunRecord record = store.run(run).orElseThrow();
            assertThat(record.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(record.errorMessage()).isNull();
            assertThat(store.metric(run, "batch_loss")).isEqualTo(points(1, 2000, 1000));
            assertThat(store.metric(run, "val_loss")).extracting(MetricPoint::value)
                    .containsExactly(9.0, 4.0);
            assertThat(store.metricKeys(run)).containsExactly("batch_loss", "val_loss");
            MetricSummary val = record.metrics().get("val_loss");
            assertThat(val.last()).isEqualTo(4.0);
            assertThat(val.min()).isEqualTo(4.0);
            assertThat(val.count()).isEqualTo(2);

            // continued training appends after the checkpoint as if never stopped
            store.appendMetrics(run, Map.of("batch_loss", points(2001, 3000, 1000)));
            assertThat(store.metric(run, "batch_loss")).isEqualTo(points(1, 3000, 1000));
        }
    }

    @Test
    void aHistoryShorterThanTheCheckpointLeavesTheRunAloneAndReportsIt() {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            String run = store.createRun(StoreFixtures.newRun("e", 0));
            store.appendMetrics(run, Map.of("val_loss", List.of(new MetricPoint(10, 1, 2.0, 1))));
            store.finishRun(run, RunStatus.INTERRUPTED, "killed");

            assertThat(store.continueRun(run, Map.of("val_loss", 20L)))
                    .isEqualTo(ContinueOutcome.HISTORY_INCOMPLETE);
            assertThat(store.continueRun(run, Map.of("val_loss", 10L, "val_accuracy", 10L)))
                    .isEqualTo(ContinueOutcome.HISTORY_INCOMPLETE);

            assertThat(store.run(run).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(store.metric(run, "val_loss")).hasSize(1);
        }
    }

    @Test
    void onlyTheFirstOfTwoProcessesContinuingOneStoppedRunReopensIt() {
        String url = TrackingStore.defaultUrl(dir);
        try (TrackingStore first = TrackingStore.open(url); TrackingStore second = TrackingStore.open(url)) {
            String run = first.createRun(StoreFixtures.newRun("e", 0));
            first.appendMetrics(run, Map.of("batch_loss", points(1, 20, 10)));
            first.finishRun(run, RunStatus.INTERRUPTED, "killed");

            assertThat(first.continueRun(run, Map.of("batch_loss", 10L))).isEqualTo(ContinueOutcome.CONTINUED);
            first.appendMetrics(run, Map.of("batch_loss", points(11, 15, 10)));
            // the second process read the run as interrupted before the first reopened it
            assertThat(second.continueRun(run, Map.of("batch_loss", 10L))).isEqualTo(ContinueOutcome.NOT_STOPPED);

            assertThat(second.metric(run, "batch_loss")).isEqualTo(points(1, 15, 10));
            assertThat(second.run(run).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            first.finishRun(run, RunStatus.COMPLETED, null);
            assertThat(second.continueRun(run, Map.of("batch_loss", 10L))).isEqualTo(ContinueOutcome.NOT_STOPPED);
            assertThat(second.metric(run, "batch_loss")).isEqualTo(points(1, 15, 10));
            assertThat(second.run(run).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        }
    }

    @Test
    void continuingARunThatDoesNotExistIsAnError() {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            assertThatThrownBy(() -> store.continueRun("no-such-run", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-run");
        }
    }

    @Test
    void theTimeARunSpentStoppedIsNotPartOfItsDuration() throws Exception {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            String run = store.createRun(StoreFixtures.newRun("e", 0));
            store.appendMetrics(run, Map.of("val_loss", List.of(new MetricPoint(10, 1, 2.0, 1))));
            long paused = 0;
            for (int stop = 0; stop < 2; stop++) {
                store.finishRun(run, RunStatus.INTERRUPTED, "killed");
                long stoppedAt = store.run(run).orElseThrow().endTimeMillis();
                Thread.sleep(300);
                long before = System.currentTimeMillis();
                assertThat(store.continueRun(run, Map.of("val_loss", 10L))).isEqualTo(ContinueOutcome.CONTINUED);
                long after = System.currentTimeMillis();
                RunRecord reopened = store.run(run).orElseThrow();
                assertThat(reopened.durationMillis()).isNull();
                assertThat(reopened.pausedMillis()).isBetween(paused + before - stoppedAt, paused + after - stoppedAt);
                paused = reopened.pausedMillis();
            }
            store.finishRun(run, RunStatus.COMPLETED, null);

            RunRecord done = store.run(run).orElseThrow();
            assertThat(paused).isGreaterThanOrEqualTo(600);
            assertThat(done.pausedMillis()).isEqualTo(paused);
            assertThat(done.durationMillis()).isEqualTo(done.endTimeMillis() - done.startTimeMillis() - paused);
            assertThat(store.runs("e")).extracting(RunRecord::pausedMillis).containsExactly(paused);
        }
    }
}
