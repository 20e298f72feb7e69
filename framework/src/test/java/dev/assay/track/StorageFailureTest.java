package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose file cannot be written (a full disk) says so and stops at once: before, a sweep
 * on a full disk retried H2's later "object already closed" for 60 s as a lost connection and then
 * stopped naming only that.
 */
class StorageFailureTest {

    @TempDir
    Path dir;

    @Test
    void aFileTheDatabaseCannotWriteStopsTheStoreAtOnceSayingWhy() {
        // what H2 2.4 threw on a full 3 MB tmpfs: a general error caused by the file store's write
        MVStoreException write = new MVStoreException(DataUtils.ERROR_WRITING_FAILED,
                "Writing to sun.nio.ch.FileChannelImpl@625a9c5d failed; length 4096 at 1843200 [2.4.240/2]");
        write.initCause(new IOException("No space left on device"));
        SQLException diskFull = new SQLException("General error: \"" + write + "\"; SQL statement: COMMIT",
                "HY000", 50000, write);
        SQLException closedAfterwards = new SQLException("The object is already closed [90007-240]", "90007", 90007);
        AtomicInteger reconnects = new AtomicInteger();
        try (StoreConnection db = StoreConnection.open(StoreFixtures.url(dir))) {
            assertThatThrownBy(() -> db.transaction("finish run r", c -> {
                throw diskFull;
            }, reconnects::incrementAndGet))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("Cannot finish run r")
                    .hasMessageContaining("the database could not write its file (No space left on device) and stopped;"
                            + " free disk space or choose another --store");
            assertThatThrownBy(() -> db.transaction("read the statuses of trial t", c -> {
                throw closedAfterwards;
            }, reconnects::incrementAndGet))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("Cannot read the statuses of trial t")
                    .hasMessageContaining("(No space left on device)");
        }
        assertThat(reconnects).as("retries as if the connection were lost").hasValue(0);
    }

    @Test
    void aStoreFileThatIsDamagedOrNoDatabaseIsRefusedAtOnceNamingTheRecoveryTool() throws Exception {
        // found by a new-user check: a truncated copy, or a file that is no H2 database, was retried for
        // 60 s as if another process held it, then H2's bare text was printed
        String url = StoreFixtures.url(dir);
        try (TrackingStore store = TrackingStore.open(url)) {
            store.createRun(StoreFixtures.newRun("exp", 0));
        }
        Path file = dir.resolve("assay.mv.db");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(6_000); // its headers, no chunk
        }
        assertThatThrownBy(() -> TrackingStore.open(url)).isInstanceOf(TrackingException.class)
                .hasMessageContaining("the store's database file cannot be read (")
                .hasMessageContaining("it is damaged or is no H2 database. Restore it from a backup, or try H2's"
                        + " recovery tool on a copy: java -cp ")
                .hasMessageContaining(" org.h2.tools.Recover -dir DIR -db NAME");
        java.nio.file.Files.writeString(file, "not a database");
        assertThatThrownBy(() -> TrackingStore.open(url)).isInstanceOf(TrackingException.class)
                .hasMessageContaining("it is damaged or is no H2 database");
    }

    @Test
    void onlyAFileThatCannotBeReadCountsAsDamage() {
        assertThat(StorageFailure.damage(new SQLException("Database may be already in use [90020-240]", "90020", 90020)))
                .isNull();
        assertThat(StorageFailure.damage(new SQLException("File corrupted while reading record [90030-240]", "90030",
                90030))).startsWith("File corrupted");
    }

    @Test
    void aLockFileThatCannotBeWrittenIsAStorageFailureNotARaceToWaitOut() {
        // found by a new-user check: on a full disk the reading commands retried H2's 8000 for 60 s, as a race
        // for the lock file ("Lock file recently modified", same code) is retried
        SQLException full = org.h2.message.DbException.get(org.h2.api.ErrorCode.ERROR_OPENING_DATABASE_1,
                new java.io.IOException("No space left on device"), "Could not save properties /d/assay.lock.db")
                .getSQLException();
        SQLException race = org.h2.message.DbException.get(org.h2.api.ErrorCode.ERROR_OPENING_DATABASE_1,
                "Lock file recently modified").getSQLException();
        assertThat(StorageFailure.lockFileUnwritable(full)).isEqualTo("No space left on device");
        assertThat(StorageFailure.lockFileUnwritable(race)).isNull();
        assertThat(LostConnections.isLostOrTakenOver(full)).isFalse();
        assertThat(LostConnections.isLostOrTakenOver(race)).isTrue();
        assertThat(StoreConnection.lockedOrLost(new RuntimeException("migration", full))).isFalse();
        // as an AUTO_SERVER client gets it: the text alone
        SQLException text = new SQLException("Error opening database: \"Could not save properties /d/assay.lock.db\""
                + " [8000-240]", "HY000", 8000);
        assertThat(StorageFailure.lockFileUnwritable(text)).startsWith("Error opening database: \"Could not save");
    }
}
