package dev.assay.web.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.MetricPoint;
import dev.assay.track.NewRun;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadConnectionsTest {

    @TempDir
    Path dir;

    @Test
    void theStatementsOfOneRequestSeeOneSnapshotWhileASweepWrites() {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir));
                ReadConnections connections = new ReadConnections(store.url(), 2)) {
            String runId = store.createRun(newRun(0));
            store.appendMetrics(runId, Map.of("loss", List.of(new MetricPoint(0, 1, 1.0, 0))));

            long[] seen = connections.with("read twice", c -> {
                long runsBefore = count(c, "SELECT COUNT(*) FROM runs");
                long pointsBefore = count(c, "SELECT SUM(point_count) FROM metric_summaries");
                // the sweep commits a new run and a point meanwhile
                store.createRun(newRun(1));
                store.appendMetrics(runId, Map.of("loss", List.of(new MetricPoint(1, 1, 0.5, 0))));
                return new long[] {runsBefore, count(c, "SELECT COUNT(*) FROM runs"), pointsBefore,
                    count(c, "SELECT SUM(point_count) FROM metric_summaries"),
                    count(c, "SELECT SUM(point_count) FROM metric_chunks")};
            });
            assertThat(seen).containsExactly(1, 1, 1, 1, 1);

            // the next request sees the commits
            assertThat(connections.<Long>with("read again", c -> count(c, "SELECT COUNT(*) FROM runs"))).isEqualTo(2L);
            assertThat(connections.<Long>with("read again", c -> count(c, "SELECT SUM(point_count) FROM metric_chunks")))
                    .isEqualTo(2L);
        }
    }

    @Test
    void aReadAfterTheServingProcessExitedIsRetriedOnAFreshConnection() throws Exception {
        // a sweep serves the store; the UI reads through it; the sweep exits; the UI's next request
        // failed with 500 "Connection is broken: session closed" (90067)
        String url = TrackingStore.defaultUrl(dir);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Serve.class.getName(), url)
                .redirectErrorStream(true)
                .start();
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                server.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                ReadConnections connections = new ReadConnections(url, 2)) {
            String line;
            do { // after its log lines
                line = out.readLine();
            } while (line != null && !line.equals("serving"));
            assertThat(line).isEqualTo("serving");
            assertThat(connections.<Long>with("count runs", c -> count(c, "SELECT COUNT(*) FROM runs"))).isEqualTo(1L);
            server.destroyForcibly();
            assertThat(server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // the pooled connection went to the dead process; this one takes the file over
            assertThat(connections.<Long>with("count runs", c -> count(c, "SELECT COUNT(*) FROM runs"))).isEqualTo(1L);
            // and the lock file H2 wrote for it, holding the key to its port, is for the owner alone
            // (made private when the sweep opened the store, the one written at the takeover was not)
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir.resolve("assay.lock.db")))).isEqualTo("rw-------");
            assertThat(connections.<String>with("read the run", c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT name FROM experiments");
                        ResultSet rows = s.executeQuery()) {
                    rows.next();
                    return rows.getString(1);
                }
            })).isEqualTo("exp");
        } finally {
            server.destroyForcibly();
        }
    }

    /** Opens the store first, so that it serves the file to the test's process, with one run, and waits to be killed. */
    public static final class Serve {
        private Serve() {}

        /**
         * Serves the store.
         *
         * @param args the JDBC URL
         * @throws Exception if the store cannot be opened
         */
        public static void main(String[] args) throws Exception {
            try (TrackingStore store = TrackingStore.open(args[0])) {
                store.createRun(newRun(0));
                System.out.println("serving");
                System.out.flush();
                Thread.sleep(120_000);
            }
        }
    }

    private static NewRun newRun(int trial) {
        return new NewRun("exp", "snapshot test", "run-" + trial, trial, "key-" + trial, trial, "a: 1\n", "{}",
                Map.of(), Map.of());
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rows = s.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
