package dev.assay.track;

import static dev.assay.track.StoreFixtures.newRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch appended again after its commit reached the database (the store's retry when the
 * connection was lost at commit time: four sweep workers, one 1-epoch trial with two val_loss
 * points) is not stored twice; a batch that goes on is.
 */
class AppendRetryTest {

    @TempDir
    Path dir;

    private static PointColumns points(long fromStep, int n, double base) {
        PointColumns columns = new PointColumns(n);
        for (int i = 0; i < n; i++) {
            columns.add(fromStep + i, 1, base + i, 1_000L + i);
        }
        return columns;
    }

    @Test
    void theSameBatchAppendedAgainByAFreshStoreIsStoredOnce() {
        String url = StoreFixtures.url(dir);
        String runId;
        try (TrackingStore store = TrackingStore.open(url)) {
            runId = store.createRun(newRun("exp", 0));
            store.appendColumns(runId, Map.of("val_loss", points(1, 1, 0.5), "batch_loss", points(1, 3, 2.0)));
        }
        // a fresh store reads the series' tails from the database, as the retry does after reconnecting
        try (TrackingStore store = TrackingStore.open(url)) {
            store.appendColumns(runId, Map.of("val_loss", points(1, 1, 0.5), "batch_loss", points(1, 3, 2.0)));
            assertThat(store.metric(runId, "val_loss")).extracting(MetricPoint::step).containsExactly(1L);
            assertThat(store.metric(runId, "batch_loss")).extracting(MetricPoint::step).containsExactly(1L, 2L, 3L);
            // the next batch goes on
            store.appendColumns(runId, Map.of("batch_loss", points(4, 2, 5.0)));
            assertThat(store.metric(runId, "batch_loss")).extracting(MetricPoint::step)
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(store.runs("exp").get(0).metrics().get("batch_loss").count()).isEqualTo(5);
        }
    }
}
