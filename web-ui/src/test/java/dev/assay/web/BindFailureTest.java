package dev.assay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assay.track.TrackingStore;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why {@code assay ui} cannot listen is told from the socket's error: every failure read "the port
 * is in use" before, also a {@code --host} the machine does not have (found by a new-user check).
 */
class BindFailureTest {

    @TempDir
    Path dir;

    @Test
    void aPortInUseAndAnAddressThatIsNotThisMachinesAreToldApart() throws Exception {
        String url = TrackingStore.defaultUrl(dir.resolve("store"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> AssayWebServer.start(url, dir.resolve("artifacts"), "127.0.0.1", port))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Cannot listen on 127.0.0.1:" + port + ": the port is in use (another assay ui, or"
                            + " another server); choose another with --port, or --port 0 for any free one.");
        }
        // a documentation-only address (RFC 5737 TEST-NET-1) that no machine holds
        assertThatThrownBy(() -> AssayWebServer.start(url, dir.resolve("artifacts"), "192.0.2.1", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot listen on 192.0.2.1:0: this machine has no address 192.0.2.1; give one of its own"
                        + " with --host (127.0.0.1, or 0.0.0.0 for all).");
        assertThat(AssayWebServer.bindFailure("0.0.0.0", 80, new RuntimeException("bind",
                new BindException("Permission denied")))).isEqualTo("Cannot listen on 0.0.0.0:80: permission denied"
                        + " (ports below 1024 need privileges); choose a port from 1024 up with --port.");
    }
}
