package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file of an open store grows with its data, not with its commits ({@link StoreHousekeeping}):
 * before, a chunk H2 wrote for a commit was never freed while one of its pages stayed live, and a
 * 1,000-trial sweep's file grew 200 KB a trial to 208 MB holding 16 MB of data (found by a
 * long-sweep check).
 */
class StoreGrowthTest {

    @TempDir
    Path dir;

    @Test
    void theFileOfAnOpenStoreGrowsWithItsDataNotWithItsCommits() throws Exception {
        String url = TrackingStore.defaultUrl(dir);
        Path file = dir.resolve("assay.mv.db");
        long half;
        long end;
        try (TrackingStore store = TrackingStore.open(url)) {
            // H2 reuses a rewritten chunk's space after its retention time, 45 s by default: 100 ms
            // here, so that the test need not run for minutes
            StoreFixtures.execute(url, "SET RETENTION_TIME 100");
            for (int i = 0; i < 300; i++) {
                trial(store, i);
                if (i % 20 == 19) {
                    Thread.sleep(150); // past the retention time
                    store.keepHouse(); // a round, as the timer runs one every 2 s
                }
            }
            half = Files.size(file);
            for (int i = 300; i < 600; i++) {
                trial(store, i);
                if (i % 20 == 19) {
                    Thread.sleep(150);
                    store.keepHouse();
                }
            }
            end = Files.size(file);
        }
        // the data is about 5 KB a trial; without the rounds the file grew 80-250 KB a trial
        assertThat((end - half) / 300).as("bytes of file a trial over trials 301-600 (%,d -> %,d)", half, end)
                .isLessThan(25_000);
    }

    /** What a one-epoch trial commits: the run, heartbeats, a few metric writes, tags, a sync, the end. */
    private static void trial(TrackingStore store, int index) {
        String runId = store.createRun(StoreFixtures.newRun("growth", index));
        long step = 0;
        for (int write = 0; write < 4; write++) {
            store.heartbeat(List.of(runId));
            Map<String, List<MetricPoint>> points = new LinkedHashMap<>();
            for (String key : List.of("batch_loss", "learning_rate", "train_loss", "val_loss", "val_accuracy")) {
                List<MetricPoint> series = new ArrayList<>();
                for (int p = 0; p < 3; p++) {
                    series.add(new MetricPoint(step + p, 1, Math.sin(index + p), 1_700_000_000_000L + step));
                }
                points.put(key, series);
            }
            step += 3;
            store.appendMetrics(runId, points);
        }
        store.setTags(runId, Map.of("data.fingerprint", "362ba1f5424f406d", "data.source", "system"));
        store.sync();
        store.finishRun(runId, RunStatus.COMPLETED, null);
    }
}
