package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a store whose file another process holds: the migration waits for the lock as the
 * connection does (four sweep workers starting at once on a fresh store failed with "Locked by
 * another process" when one of them took seconds to start its server).
 */
class StoreLockTest {

    private static final long HOLD_MILLIS = 7000;

    @TempDir
    Path dir;

    @Test
    void theMigrationWaitsWhileAnotherProcessHoldsTheFile() throws Exception {
        String url = TrackingStore.defaultUrl(dir);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, HoldLock.class.getName(), "jdbc:h2:file:" + dir.resolve("assay"),
                Long.toString(HOLD_MILLIS))
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("locked");
            long start = System.nanoTime();
            // 5 attempts 0.2-1.6 s apart gave up after about 3 s
            StoreConnection.migrate(url);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waited).isGreaterThan(HOLD_MILLIS / 2);
        } finally {
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(holder.exitValue()).isZero();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\""
                        + " WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> versions = new ArrayList<>();
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
            assertThat(versions).containsExactly("1", "2");
        }
    }

    @Test
    void losingTheRaceForTheLockFileIsWaitedOutAsALockIs() {
        // four workers opening a fresh store at once: one migration failed with this after its 5
        // quick attempts, as only 90020 and lost connections were waited for
        SQLException race = new SQLException("Error opening database: \"Lock file recently modified\" [8000-232]",
                "HY000", org.h2.api.ErrorCode.ERROR_OPENING_DATABASE_1);
        assertThat(StoreConnection.lockedOrLost(new RuntimeException("Unable to obtain connection", race))).isTrue();
        assertThat(StoreConnection.lockedOrLost(new RuntimeException("locked", new SQLException("Locked by another"
                + " process", "90020", org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1)))).isTrue();
        // a failing migration script is not waited for
        assertThat(StoreConnection.lockedOrLost(new RuntimeException("Migration V2 failed", new SQLException(
                "Syntax error", "42000", org.h2.api.ErrorCode.SYNTAX_ERROR_2)))).isFalse();
    }

    /** Opens an H2 file without a server (so that no one else can connect) and holds it a while. */
    public static final class HoldLock {
        private HoldLock() {}

        /**
         * Holds the file.
         *
         * @param args the JDBC URL and the milliseconds to hold it
         * @throws Exception if the file cannot be opened
         */
        public static void main(String[] args) throws Exception {
            try (Connection c = DriverManager.getConnection(args[0])) {
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(Long.parseLong(args[1]));
            }
        }
    }
}
