package dev.assay.track;

import static dev.assay.track.StoreFixtures.newRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose database server goes away keeps its writes: the transaction reconnects until the
 * server is back (as when the sweep worker serving an {@code AUTO_SERVER} file exits and another
 * takes it over).
 */
class StoreReconnectTest {

    @TempDir
    Path dir;

    @Test
    void aServerGoneForTwelveSecondsLosesNoWrite() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Server server = start(port);
        Server[] restarted = new Server[1];
        CompletableFuture<Void> back = null;
        try (TrackingStore store = TrackingStore.open("jdbc:h2:tcp://localhost:" + port + "/assay")) {
            String run = store.createRun(newRun("exp", 0));
            server.stop();
            back = CompletableFuture.runAsync(() -> {
                try {
                    TimeUnit.SECONDS.sleep(12); // three retries 0.5 s apart (each reconnect trying ~2 s) gave up sooner
                    restarted[0] = start(port);
                } catch (InterruptedException | SQLException e) {
                    throw new IllegalStateException(e);
                }
            });

            store.appendMetrics(run, Map.of("loss", List.of(new MetricPoint(1, 1, 0.5, 1))));
            back.get(30, TimeUnit.SECONDS);

            assertThat(store.metric(run, "loss")).extracting(MetricPoint::value).containsExactly(0.5);
        } finally {
            if (back != null) {
                back.get(30, TimeUnit.SECONDS); // a failed write must not leave a server behind
            }
            if (restarted[0] != null) {
                restarted[0].stop();
            }
        }
    }

    private Server start(int port) throws SQLException {
        return Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(),
                "-ifNotExists").start();
    }
}
