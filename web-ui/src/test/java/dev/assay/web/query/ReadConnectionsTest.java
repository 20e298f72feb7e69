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
