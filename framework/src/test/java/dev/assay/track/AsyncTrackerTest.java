package dev.assay.track;

import static dev.assay.track.StoreFixtures.newRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncTrackerTest {

    private static final int POINTS = 20_000;

    @TempDir
    Path dir;

    @Test
    void twoRunsLoggingConcurrentlyKeepEveryPointInOrder() throws Exception {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir.resolve("db")));
                AsyncTracker async = new AsyncTracker(store, Duration.ofMillis(50))) {
            List<String> runIds = List.of(store.createRun(newRun("exp", 0)), store.createRun(newRun("exp", 1)));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> done = runIds.stream().map(id -> pool.submit(() -> {
                    RunTracker tracker = async.tracker(id, dir.resolve(id));
                    start.await();
                    for (int step = 0; step < POINTS; step++) {
                        tracker.logMetric("loss", step, step / 1000 + 1, id.hashCode() + step * 0.5);
                        if (step % 1000 == 0) {
                            tracker.logMetric("lr", step, step / 1000 + 1, 1e-3);
                        }
                    }
                    tracker.setTag("done", "yes");
                    return null;
                })).<Future<?>>map(f -> f).toList();
                start.countDown();
                for (Future<?> future : done) {
                    future.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            async.flush();

            for (String id : runIds) {
                List<MetricPoint> loss = store.metric(id, "loss");
                assertThat(loss).hasSize(POINTS);
                for (int step = 0; step < POINTS; step++) {
                    assertThat(loss.get(step).step()).isEqualTo(step);
                    assertThat(loss.get(step).value()).isEqualTo(id.hashCode() + step * 0.5);
                }
                assertThat(loss).extracting(MetricPoint::wallTimeMillis).isSorted();
                assertThat(store.metric(id, "lr")).hasSize(POINTS / 1000);
                RunRecord run = store.run(id).orElseThrow();
                assertThat(run.tags()).containsEntry("done", "yes");
                assertThat(run.metrics().get("loss").count()).isEqualTo(POINTS);
            }
        }
    }

    @Test
    void aFullSeriesIsWrittenBeforeTheFlushIntervalEnds() throws Exception {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir));
                AsyncTracker async = new AsyncTracker(store, Duration.ofMinutes(10))) {
            String runId = store.createRun(newRun("exp", 0));
            RunTracker tracker = async.tracker(runId, dir.resolve("artifacts"));
            // 2 x 1,024 points: whatever the writer's start-up drain takes, some series reaches
            // 1,024 pending points afterwards and wakes it long before the 10-minute interval.
            for (int step = 0; step < 2 * AsyncTracker.EARLY_FLUSH_POINTS; step++) {
                tracker.logMetric("loss", step, 1, step);
            }
            awaitStored(store, runId, AsyncTracker.EARLY_FLUSH_POINTS);
            assertThat(store.metric(runId, "loss").size()).isGreaterThanOrEqualTo(AsyncTracker.EARLY_FLUSH_POINTS);
        }
    }

    @Test
    void aStoreClosedUnderTheWriterMakesFlushThrowButLoggingContinues() {
        TrackingStore store = TrackingStore.open(StoreFixtures.url(dir));
        AsyncTracker async = new AsyncTracker(store, Duration.ofMillis(20));
        String runId = store.createRun(newRun("exp", 0));
        RunTracker tracker = async.tracker(runId, dir.resolve("artifacts"));
        tracker.logMetric("loss", 0, 1, 1.0);
        async.flush();
        store.close();

        tracker.logMetric("loss", 1, 1, 0.5);
        assertThatThrownBy(async::flush)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Writing tracked metrics of run " + runId + " failed: ")
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        tracker.logMetric("loss", 2, 1, 0.25);
        tracker.setTag("still", "buffering");
        assertThatThrownBy(async::close).isInstanceOf(IllegalStateException.class);
        async.close();
        assertThatThrownBy(() -> tracker.logMetric("loss", 3, 1, 0.1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The tracker of run " + runId + " is closed; nothing more can be logged.");
    }

    @Test
    void aRunsFailedWritesAreReportedOnceToItsOwnFlushNotToOtherRuns() throws Exception {
        // one run's failure used to be reported by every later flush: in a sweep, every later trial failed
        String url = StoreFixtures.url(dir);
        try (TrackingStore store = TrackingStore.open(url);
                AsyncTracker async = new AsyncTracker(store, Duration.ofMillis(20))) {
            String gone = store.createRun(newRun("exp", 0));
            String kept = store.createRun(newRun("exp", 1));
            try (Connection c = DriverManager.getConnection(url);
                    PreparedStatement delete = c.prepareStatement("DELETE FROM runs WHERE run_id = ?")) {
                delete.setString(1, gone);
                assertThat(delete.executeUpdate()).isEqualTo(1);
            }
            async.tracker(gone, dir.resolve("a")).logMetric("loss", 1, 1, 1.0);
            async.tracker(kept, dir.resolve("b")).logMetric("loss", 1, 1, 2.0);
            async.flush(kept); // the other run's failure is not this run's
            assertThat(store.metric(kept, "loss")).extracting(MetricPoint::value).containsExactly(2.0);
            assertThatThrownBy(() -> async.flush(gone)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("Writing tracked metrics of run " + gone + " failed: No run with id '" + gone
                            + "' exists.");
            async.flush(gone); // reported once
            async.flush();
            async.tracker(kept, dir.resolve("b")).logMetric("loss", 2, 1, 3.0);
            async.flush();
            assertThat(store.metric(kept, "loss")).extracting(MetricPoint::value).containsExactly(2.0, 3.0);
        }
    }

    @Test
    void requireWrittenReportsARunsFailedWriteOnceWithoutWaitingAndNotOtherRuns() throws Exception {
        // on a full disk the trial trained on for 13 epochs while each write was dropped: the runner
        // now asks at every epoch end
        String url = StoreFixtures.url(dir);
        try (TrackingStore store = TrackingStore.open(url);
                AsyncTracker async = new AsyncTracker(store, Duration.ofMillis(20))) {
            String gone = store.createRun(newRun("exp", 0));
            String kept = store.createRun(newRun("exp", 1));
            RunTracker lost = async.tracker(gone, dir.resolve("a"));
            RunTracker fine = async.tracker(kept, dir.resolve("b"));
            lost.requireWritten(); // nothing failed yet
            try (Connection c = DriverManager.getConnection(url);
                    PreparedStatement delete = c.prepareStatement("DELETE FROM runs WHERE run_id = ?")) {
                delete.setString(1, gone);
                assertThat(delete.executeUpdate()).isEqualTo(1);
            }
            lost.logMetric("loss", 1, 1, 1.0);
            fine.logMetric("loss", 1, 1, 2.0);
            long deadline = System.nanoTime() + 10_000_000_000L;
            Throwable reported = null;
            while (reported == null && System.nanoTime() < deadline) { // the writer's interval is 20 ms
                try {
                    lost.requireWritten();
                    Thread.sleep(5);
                } catch (IllegalStateException e) {
                    reported = e;
                }
            }
            assertThat(reported).hasMessage("Writing tracked metrics of run " + gone + " failed: No run with id '"
                    + gone + "' exists.");
            lost.requireWritten(); // reported once
            async.flush(gone);
            fine.requireWritten();
            async.flush(kept);
            assertThat(store.metric(kept, "loss")).extracting(MetricPoint::value).containsExactly(2.0);
        }
    }

    @Test
    void theArtifactDirectoryIsCreatedOnFirstUseAndTheSameRunGetsTheSameTracker() throws Exception {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir.resolve("db")));
                AsyncTracker async = new AsyncTracker(store, Duration.ofMillis(500))) {
            String runId = store.createRun(newRun("exp", 0));
            Path artifacts = dir.resolve("runs").resolve(runId);
            RunTracker tracker = async.tracker(runId, artifacts);
            assertThat(tracker.runId()).isEqualTo(runId);
            assertThat(Files.exists(artifacts)).isFalse();
            assertThat(tracker.artifactDir()).isEqualTo(artifacts);
            assertThat(Files.isDirectory(artifacts)).isTrue();
            assertThat(async.tracker(runId, artifacts)).isSameAs(tracker);

            Files.writeString(artifacts.resolve("notes.txt"), "hello");
            Files.createDirectories(artifacts.resolve("model"));
            Files.write(artifacts.resolve("model/params.bin"), new byte[12]);
            store.addArtifacts(runId, ArtifactRecord.listDirectory(artifacts));
            assertThat(store.run(runId).orElseThrow().artifacts()).containsExactly(
                    new ArtifactRecord("model/params.bin", 12), new ArtifactRecord("notes.txt", 5));
        }
    }

    @Test
    void closingTwiceIsSafeAndWritesWhatWasBuffered() {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir))) {
            String runId = store.createRun(newRun("exp", 0));
            AsyncTracker async = new AsyncTracker(store, Duration.ofMinutes(10));
            RunTracker tracker = async.tracker(runId, dir.resolve("a"));
            tracker.logMetric("acc", 0, 0, 0.1);
            tracker.logMetric("acc", 10, 1, 0.9);
            async.close();
            async.close();
            async.flush();
            assertThat(store.metric(runId, "acc")).extracting(MetricPoint::value).containsExactly(0.1, 0.9);
        }
    }

    @Test
    void aRunAtItsBufferBoundWaitsForTheWriterAndLosesNoPoint() throws Exception {
        int bound = 2 * AsyncTracker.EARLY_FLUSH_POINTS;
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir));
                AsyncTracker async = new AsyncTracker(store, Duration.ofMillis(20), bound)) {
            String runId = store.createRun(newRun("exp", 0));
            RunTracker tracker = async.tracker(runId, dir.resolve("a"));
            AtomicInteger logged = new AtomicInteger();
            Thread logger = new Thread(() -> {
                for (int step = 0; step < POINTS; step++) {
                    tracker.logMetric("loss", step, 1, step);
                    logged.incrementAndGet();
                }
            }, "test-logger");
            int whileBlocked;
            synchronized (store) { // every store method is synchronized: the writer cannot write
                logger.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int last = -1;
                while (logged.get() != last || logger.getState() != Thread.State.TIMED_WAITING) {
                    assertThat(System.nanoTime()).as("the logger never waited").isLessThan(deadline);
                    last = logged.get();
                    Thread.sleep(100);
                }
                whileBlocked = logged.get();
            }
            logger.join(TimeUnit.SECONDS.toMillis(30));
            async.flush();

            // the writer took at most one bound's worth before it blocked, the logger one more
            assertThat(whileBlocked).isBetween(bound, 2 * bound);
            assertThat(logged.get()).isEqualTo(POINTS);
            assertThat(store.metric(runId, "loss")).extracting(MetricPoint::step)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, POINTS).boxed().toList());
        }
    }

    @Test
    void aBufferBoundBelowOneChunkIsRefused() {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir))) {
            assertThatThrownBy(() -> new AsyncTracker(store, Duration.ofMillis(20), 1000))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("A run must be able to buffer at least 1024 points, got maxBufferedPoints = 1000.");
        }
    }

    @Test
    void anEarlyWriteTakesWholeChunksAndTheFlushTheRest() throws Exception {
        int chunk = TrackingStore.CHUNK_SIZE;
        String url = StoreFixtures.url(dir);
        try (TrackingStore store = TrackingStore.open(url);
                AsyncTracker async = new AsyncTracker(store, Duration.ofMinutes(10))) {
            String runId = store.createRun(newRun("exp", 0));
            RunTracker tracker = async.tracker(runId, dir.resolve("a"));
            // holding the run's buffer lock: the writer, woken at the 1,024th point, drains only
            // after all 1,324 are buffered
            synchronized (tracker) {
                for (int step = 0; step < chunk + 300; step++) {
                    tracker.logMetric("loss", step, 1, step == 500 ? -5.0 : step == 700 ? Double.NaN : step);
                }
            }
            awaitStored(store, runId, 1);
            Thread.sleep(300);
            // the early write stored one full chunk (with its summary), kept the 300 after it back
            assertThat(store.metric(runId, "loss")).hasSize(chunk);
            MetricSummary early = store.run(runId).orElseThrow().metrics().get("loss");
            assertThat(early.count()).isEqualTo(chunk);
            assertThat(early.min()).isEqualTo(-5.0);
            assertThat(early.minStep()).isEqualTo(500);
            assertThat(early.nonFiniteCount()).isEqualTo(1);

            async.flush();
            List<MetricPoint> loss = store.metric(runId, "loss");
            assertThat(loss).extracting(MetricPoint::step)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, chunk + 300).boxed().toList());
            assertThat(StoreFixtures.queryRows(url, "SELECT chunk_no, first_step, last_step, point_count FROM"
                    + " metric_chunks WHERE run_id = ? ORDER BY chunk_no", runId))
                    .containsExactly(List.of(0, 0L, 1023L, chunk), List.of(1, 1024L, 1323L, 300));
            MetricSummary all = store.run(runId).orElseThrow().metrics().get("loss");
            assertThat(all.count()).isEqualTo(chunk + 300);
            assertThat(all.max()).isEqualTo(1323.0);
            assertThat(all.lastStep()).isEqualTo(1323);
        }
    }

    @Test
    void pointsKeptBackByAnEarlyWriteAreWrittenAtTheFlushInterval() throws Exception {
        int chunk = TrackingStore.CHUNK_SIZE;
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir));
                AsyncTracker async = new AsyncTracker(store, Duration.ofMillis(200))) {
            String runId = store.createRun(newRun("exp", 0));
            RunTracker tracker = async.tracker(runId, dir.resolve("a"));
            synchronized (tracker) {
                for (int step = 0; step < chunk + 300; step++) {
                    tracker.logMetric("loss", step, 1, step);
                }
            }
            awaitStored(store, runId, chunk + 300);
            assertThat(store.metric(runId, "loss")).as("written without a flush").hasSize(chunk + 300);
        }
    }

    @Test
    void manySeriesAtASmallBufferBoundDoNotWaitForTheFlushInterval() throws Exception {
        // 16 series x 100 points reach the 1,024-point bound with no series holding a whole chunk:
        // the writer must take everything then, not keep part-chunks back for the hour-long interval
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir));
                AsyncTracker async = new AsyncTracker(store, Duration.ofHours(1), AsyncTracker.EARLY_FLUSH_POINTS)) {
            String runId = store.createRun(newRun("exp", 0));
            RunTracker tracker = async.tracker(runId, dir.resolve("a"));
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> logging = pool.submit(() -> {
                    for (int step = 0; step < 100; step++) {
                        for (int k = 0; k < 16; k++) {
                            tracker.logMetric("m" + k, step, 1, step);
                        }
                    }
                });
                logging.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            async.flush();
            for (int k = 0; k < 16; k++) {
                assertThat(store.metric(runId, "m" + k)).hasSize(100);
            }
        }
    }

    @Test
    void aReleasedRunIsWrittenAndForgottenAndItsTrackerRejectsMorePoints() throws Exception {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir));
                AsyncTracker async = new AsyncTracker(store, Duration.ofMinutes(10))) {
            String runId = store.createRun(newRun("exp", 0));
            RunTracker tracker = async.tracker(runId, dir.resolve("a"));
            for (int step = 0; step < 10; step++) {
                tracker.logMetric("loss", step, 1, step);
            }
            async.release(runId);

            assertThat(store.metric(runId, "loss")).hasSize(10);
            assertThatThrownBy(() -> tracker.logMetric("loss", 10, 1, 10.0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released when the run ended");
            RunTracker again = async.tracker(runId, dir.resolve("a"));
            assertThat(again).as("the released tracker is no longer held").isNotSameAs(tracker);
            again.logMetric("loss", 10, 1, 10.0);
            async.flush();
            assertThat(store.metric(runId, "loss")).hasSize(11);
        }
    }

    /** Waits up to 10 s until at least {@code points} points of the run's "loss" are in the store. */
    @Test
    void logMetricsStoresEverySeriesAtTheStepWithOneWallTimeAndBadInputStoresNothing() {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir))) {
            String runId = store.createRun(newRun("exp", 0));
            long before;
            long after;
            try (AsyncTracker async = new AsyncTracker(store, Duration.ofMinutes(10))) {
                RunTracker tracker = async.tracker(runId, dir.resolve("a"));
                Map<String, Double> step = new LinkedHashMap<>();
                step.put("loss", 0.25);
                step.put("accuracy", Double.NaN);
                step.put("grad_norm", Double.POSITIVE_INFINITY);
                PointClockTest.awaitDirectReads(); // a burst of another test's points would stamp from a copy
                before = System.currentTimeMillis();
                tracker.logMetrics(step, 7, 2);
                after = System.currentTimeMillis();
                tracker.logMetrics(Map.of(), 8, 2);
                Map<String, Double> withNull = new LinkedHashMap<>();
                withNull.put("loss", 0.5);
                withNull.put("accuracy", null);
                assertThatThrownBy(() -> tracker.logMetrics(withNull, 9, 2))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("'accuracy'").hasMessageContaining("null value").hasMessageContaining("step 9");
                Map<String, Double> blankKey = new LinkedHashMap<>();
                blankKey.put("loss", 0.5);
                blankKey.put(" ", 1.0);
                assertThatThrownBy(() -> tracker.logMetrics(blankKey, 9, 2))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric name");
                assertThatThrownBy(() -> tracker.logMetrics(Map.of("loss", 1.0), -1, 2))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative step: -1");
                async.flush();
            }
            List<MetricPoint> loss = store.metric(runId, "loss");
            assertThat(loss).extracting(MetricPoint::step, MetricPoint::epoch, MetricPoint::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(7L, 2, 0.25));
            assertThat(store.metric(runId, "accuracy")).extracting(MetricPoint::value).containsExactly(Double.NaN);
            assertThat(store.metric(runId, "grad_norm")).extracting(MetricPoint::value)
                    .containsExactly(Double.POSITIVE_INFINITY);
            long wallTime = loss.get(0).wallTimeMillis();
            assertThat(wallTime).isBetween(before, after);
            assertThat(store.metric(runId, "accuracy").get(0).wallTimeMillis()).isEqualTo(wallTime);
            assertThat(store.metric(runId, "grad_norm").get(0).wallTimeMillis()).isEqualTo(wallTime);
        }
    }

    @Test
    void logMetricsFillsChunksAndTheBufferBoundAsSinglePointsDo() throws Exception {
        int bound = 2 * AsyncTracker.EARLY_FLUSH_POINTS;
        int steps = 3 * bound;
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir))) {
            String runId = store.createRun(newRun("exp", 0));
            try (AsyncTracker async = new AsyncTracker(store, Duration.ofMinutes(10), bound)) {
                RunTracker tracker = async.tracker(runId, dir.resolve("a"));
                Map<String, Double> values = new LinkedHashMap<>();
                for (int step = 0; step < steps; step++) {
                    values.put("loss", (double) step);
                    values.put("lr", 1e-3);
                    tracker.logMetrics(values, step, 1);
                }
                // whole chunks are written early, without a flush (the interval is 10 minutes)
                awaitStored(store, runId, steps - AsyncTracker.EARLY_FLUSH_POINTS);
                assertThat(store.metric(runId, "loss").size()).isGreaterThanOrEqualTo(
                        steps - AsyncTracker.EARLY_FLUSH_POINTS);
                async.flush();
            }
            assertThat(store.metric(runId, "loss")).extracting(MetricPoint::value)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, steps).mapToObj(i -> (double) i)
                            .toList());
            assertThat(store.metric(runId, "lr")).hasSize(steps);
        }
    }

    private static void awaitStored(TrackingStore store, String runId, int points) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.metric(runId, "loss").size() < points && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
