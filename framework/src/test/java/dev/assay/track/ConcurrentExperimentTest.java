package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes creating the same new experiment at the same moment: the one whose insert loses
 * on the unique name reads the winner's row instead of failing (seen with four workers starting
 * at once on a fresh store). Processes claiming the same trial at the same moment ({@code assay
 * run} started twice): one creates its run, the others are refused.
 */
class ConcurrentExperimentTest {

    @TempDir
    Path dir;

    @Test
    void theLoserOfARaceToCreateAnExperimentGetsTheWinnersId() throws Exception {
        String url = TrackingStore.defaultUrl(dir);
        TrackingStore.open(url).close();   // schema
        try (Connection winner = DriverManager.getConnection(url);
                Connection loser = DriverManager.getConnection(url)) {
            winner.setAutoCommit(false);
            loser.setAutoCommit(false);
            try (PreparedStatement insert = winner.prepareStatement(
                    "INSERT INTO experiments (name, description, created_millis) VALUES ('e', '', 1)")) {
                insert.executeUpdate();   // not committed yet: the loser does not see it
            }
            CompletableFuture<Long> late = CompletableFuture.supplyAsync(() -> {
                try {
                    long id = RunWriter.experimentId(loser, "e", "", 2);
                    loser.commit();
                    return id;
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);   // the loser's insert now waits on the winner's row lock
            winner.commit();

            long loserId = late.get(30, TimeUnit.SECONDS);
            long winnerId = StoreFixtures.queryLong(url, "SELECT id FROM experiments WHERE name = 'e'");
            assertThat(loserId).isEqualTo(winnerId);
            assertThat(StoreFixtures.queryLong(url, "SELECT COUNT(*) FROM experiments")).isEqualTo(1);
        }
    }

    private static NewRun trialRun(String experiment, String trialKey) {
        return new NewRun(experiment, null, "t", 0, trialKey, 1, null, null, Map.of(), Map.of());
    }

    @Test
    void aTrialClaimedWithAStaleCountIsRefused() {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            assertThat(store.createTrialRun(trialRun("e", "k"), 0)).isPresent();
            // a second process that read "no runs" before the first one's run was created
            assertThat(store.createTrialRun(trialRun("e", "k"), 0)).isEmpty();
            assertThat(store.trialStatuses("e", "k")).containsExactly(RunStatus.RUNNING);
            // with the count it now sees it may create another (a stopped trial started over), and
            // another trial's count is its own
            assertThat(store.createTrialRun(trialRun("e", "k"), 1)).isPresent();
            assertThat(store.createTrialRun(trialRun("e", "other"), 0)).isPresent();
            assertThat(store.trialStatuses("e", "k")).hasSize(2);
        }
    }

    @Test
    void ofProcessesClaimingOneTrialAtOnceExactlyOneCreatesItsRun() throws Exception {
        int claimers = 4;
        String url = TrackingStore.defaultUrl(dir);
        List<TrackingStore> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            for (int i = 0; i < claimers; i++) {
                stores.add(TrackingStore.open(url));   // a connection each, as processes have
            }
            stores.get(0).createRun(trialRun("shared", "first"));
            for (int round = 0; round < 20; round++) {
                // a new experiment (its row is created by the race too), then trials of one that exists
                String experiment = round < 5 ? "e" + round : "shared";
                String trialKey = "k" + round;
                CyclicBarrier start = new CyclicBarrier(claimers);
                List<Future<Optional<String>>> claims = new ArrayList<>();
                for (TrackingStore store : stores) {
                    claims.add(pool.submit(() -> {
                        start.await();
                        return store.createTrialRun(trialRun(experiment, trialKey), 0);
                    }));
                }
                int created = 0;
                for (Future<Optional<String>> claim : claims) {
                    created += claim.get(60, TimeUnit.SECONDS).isPresent() ? 1 : 0;
                }
                assertThat(created).as("round %d", round).isEqualTo(1);
                assertThat(stores.get(0).trialStatuses(experiment, trialKey)).as("round %d", round).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
            stores.forEach(TrackingStore::close);
        }
    }
}
