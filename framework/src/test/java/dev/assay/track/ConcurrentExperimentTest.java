package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes creating the same new experiment at the same moment: the one whose insert loses
 * on the unique name reads the winner's row instead of failing (seen with four workers starting
 * at once on a fresh store).
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
}
