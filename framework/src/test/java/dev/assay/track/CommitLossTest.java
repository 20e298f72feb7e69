package dev.assay.track;

import static dev.assay.track.StoreFixtures.newRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection lost right after a commit reached the database (the {@code AUTO_SERVER} process
 * serving the file exits before answering) makes the store retry work that is already stored.
 * Every write must then end as if the connection had not been lost: one run, its params once, the
 * same outcome.
 */
class CommitLossTest {

    @TempDir
    Path dir;

    /** Set to lose the connection once, just after the next commit has been applied. */
    private final AtomicBoolean loseAfterNextCommit = new AtomicBoolean();

    private TrackingStore openLosingStore(String url) throws SQLException {
        TrackingStore.open(url).close(); // the schema
        Connection real = DriverManager.getConnection(url);
        real.setAutoCommit(false);
        Connection losing = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("commit") && loseAfterNextCommit.getAndSet(false)) {
                        throw new SQLNonTransientConnectionException(
                                "Connection is broken (simulated, after the commit was applied)", "08006", 90067);
                    }
                    return result;
                });
        return new TrackingStore(new StoreConnection(url, losing));
    }

    @Test
    void aRunWhoseCreationWasCommittedBeforeTheConnectionWasLostIsStoredOnceAndItsIdReturned() throws Exception {
        String url = StoreFixtures.url(dir);
        try (TrackingStore store = openLosingStore(url)) {
            loseAfterNextCommit.set(true);

            String runId = store.createRun(newRun("exp", 0));

            assertThat(loseAfterNextCommit).isFalse(); // the loss did happen
            List<RunRecord> runs = store.runs("exp");
            assertThat(runs).extracting(RunRecord::runId).containsExactly(runId);
            assertThat(runs.get(0).params()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("training.optimizer.learning_rate", "1.0e-3", "model.params.activation", "relu"));
            assertThat(StoreFixtures.queryLong(url, "SELECT COUNT(*) FROM params WHERE run_id = ?", runId)).isEqualTo(2);
        }
    }

    @Test
    void aContinuationCommittedBeforeTheConnectionWasLostAnswersContinuedWithTheHistoryCutOnce() throws Exception {
        String url = StoreFixtures.url(dir);
        try (TrackingStore store = openLosingStore(url)) {
            String runId = store.createRun(newRun("exp", 0));
            store.appendMetrics(runId, Map.of("val_loss", List.of(new MetricPoint(10, 1, 3.0, 1),
                    new MetricPoint(20, 2, 2.0, 2), new MetricPoint(30, 3, 1.0, 3))));
            store.finishRun(runId, RunStatus.INTERRUPTED, "killed");
            loseAfterNextCommit.set(true);

            ContinueOutcome outcome = store.continueRun(runId, Map.of("val_loss", 20L));

            assertThat(loseAfterNextCommit).isFalse();
            assertThat(outcome).isEqualTo(ContinueOutcome.CONTINUED);
            assertThat(store.run(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(store.metric(runId, "val_loss")).extracting(MetricPoint::step).containsExactly(10L, 20L);
        }
    }

    @Test
    void aRunContinuedByAnotherCallIsStillNotStoppedForTheNextOne() throws Exception {
        String url = StoreFixtures.url(dir);
        try (TrackingStore store = openLosingStore(url)) {
            String runId = store.createRun(newRun("exp", 0));
            store.finishRun(runId, RunStatus.INTERRUPTED, "killed");
            assertThat(store.continueRun(runId, Map.of())).isEqualTo(ContinueOutcome.CONTINUED);
            Thread.sleep(2); // another call, at another time

            assertThat(store.continueRun(runId, Map.of())).isEqualTo(ContinueOutcome.NOT_STOPPED);
        }
    }

    @Test
    void staleRunsMarkedBeforeTheConnectionWasLostAreCountedByTheRetry() throws Exception {
        String url = StoreFixtures.url(dir);
        try (TrackingStore store = openLosingStore(url)) {
            String deadA = store.createRun(newRun("exp", 0));
            String deadB = store.createRun(newRun("exp", 1));
            String alive = store.createRun(newRun("exp", 2));
            String finished = store.createRun(newRun("exp", 3));
            store.finishRun(finished, RunStatus.COMPLETED, null);
            long old = System.currentTimeMillis() - 120_000;
            for (String dead : List.of(deadA, deadB, finished)) {
                StoreFixtures.execute(url, "UPDATE runs SET updated_millis = ? WHERE run_id = ?", old, dead);
            }
            loseAfterNextCommit.set(true);

            // the retry found nothing left to mark and answered 0: "0 runs marked interrupted" for two
            int marked = store.interruptStaleRuns("exp", System.currentTimeMillis() - 60_000);

            assertThat(loseAfterNextCommit).isFalse();
            assertThat(marked).isEqualTo(2);
            assertThat(List.of(deadA, deadB, alive, finished)).extracting(id -> store.run(id).orElseThrow().status())
                    .containsExactly(RunStatus.INTERRUPTED, RunStatus.INTERRUPTED, RunStatus.RUNNING,
                            RunStatus.COMPLETED);
            assertThat(store.run(deadA).orElseThrow().errorMessage()).isEqualTo("interrupted: its process stopped"
                    + " without finishing the run (no heartbeat since end time)");
            // and a later call, not a retry, marks nothing
            assertThat(store.interruptStaleRuns("exp", System.currentTimeMillis() - 60_000)).isZero();
        }
    }

    @Test
    void updatesRetriedAfterTheirCommitWasAppliedEndAsIfOnce() throws Exception {
        String url = StoreFixtures.url(dir);
        String runId;
        try (TrackingStore store = TrackingStore.open(url)) {
            runId = store.createRun(newRun("exp", 0));
        }
        // a retry reconnects without the losing connection: a losing store for each update
        List<java.util.function.Consumer<TrackingStore>> updates = List.of(
                store -> store.setTags(runId, Map.of("note", "second try")),
                store -> store.addArtifacts(runId, List.of(new ArtifactRecord("model.params", 1234))),
                store -> store.finishRun(runId, RunStatus.FAILED, "diverged"));
        for (java.util.function.Consumer<TrackingStore> update : updates) {
            try (TrackingStore store = openLosingStore(url)) {
                loseAfterNextCommit.set(true);
                update.accept(store);
                assertThat(loseAfterNextCommit).isFalse();
            }
        }

        try (TrackingStore store = TrackingStore.open(url)) {
            RunRecord run = store.run(runId).orElseThrow();
            assertThat(run.tags()).containsEntry("note", "second try").containsEntry("source", "unit-test");
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.errorMessage()).isEqualTo("diverged");
            assertThat(run.artifacts()).containsExactly(new ArtifactRecord("model.params", 1234));
        }
    }
}
