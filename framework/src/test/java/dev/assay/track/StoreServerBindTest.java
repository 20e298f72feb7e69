package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server H2 starts for {@code AUTO_SERVER} listens on the loopback address only, and the lock
 * file holding its key is readable by the store's owner only: it listened on every interface, and
 * the key in the world-readable lock file let anyone who could read it run SQL, and code, in the
 * serving process from another host (found by a security check). Checked in a JVM of its own, as H2
 * reads its bind address once per JVM.
 */
class StoreServerBindTest {

    @TempDir
    Path dir;

    @Test
    void theStoresServerListensOnTheLoopbackAddressOnly() throws Exception {
        Process serving = startServing();
        try {
            // and the key to it is for the store's owner alone (H2 creates the lock file readable by everyone)
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("assay.lock.db"))))
                    .isEqualTo("rw-------");
            Properties lock = new Properties();
            try (Reader r = Files.newBufferedReader(dir.resolve("assay.lock.db"), StandardCharsets.ISO_8859_1)) {
                lock.load(r);
            }
            String server = lock.getProperty("server");
            assertThat(server).as("the lock file's server address").isNotNull();
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            try (Socket local = new Socket()) {
                local.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                assertThat(local.isConnected()).isTrue();
            }
            Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .findFirst();
            if (external.isPresent()) { // a machine with no other address has nothing more to check
                assertThatThrownBy(() -> {
                    try (Socket remote = new Socket()) {
                        remote.connect(new InetSocketAddress(external.get(), port), 5_000);
                    }
                }).as("connecting through %s", external.get()).isInstanceOf(java.io.IOException.class);
            }
        } finally {
            serving.getOutputStream().close();
            serving.waitFor(30, TimeUnit.SECONDS);
            serving.destroyForcibly();
        }
    }

    @Test
    void theLockFileWrittenWhenAnotherProcessTakesTheStoreOverIsPrivateToo() throws Exception {
        Process serving = startServing();
        try {
            Path lock = dir.resolve("assay.lock.db");
            String served = Files.readString(lock, StandardCharsets.ISO_8859_1);
            try (TrackingStore client = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
                assertThat(client.experiments()).isEmpty(); // through the other process's server
                serving.getOutputStream().close(); // it closes the store and exits
                assertThat(serving.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // this process takes the store over: H2 writes a new lock file, readable by everyone
                assertThat(client.experiments()).isEmpty();
                assertThat(Files.readString(lock, StandardCharsets.ISO_8859_1)).as("the lock file of the new server")
                        .isNotEqualTo(served);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock))).isEqualTo("rw-------");
            }
        } finally {
            serving.destroyForcibly();
        }
    }

    /** Starts a JVM that opens the store in {@link #dir} first and serves it ({@link ServeStore}). */
    private Process startServing() throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process serving = new ProcessBuilder(java, "-cp", classpath, ServeStore.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(serving.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("serving")) {
            // H2 and Flyway log lines before it
        }
        assertThat(line).isEqualTo("serving");
        return serving;
    }

    /** Opens a store as {@code assay run} does and serves it until its standard input closes. */
    public static final class ServeStore {
        private ServeStore() {}

        /**
         * Serves the store.
         *
         * @param args the store's directory
         * @throws Exception if it cannot be opened
         */
        public static void main(String[] args) throws Exception {
            try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(Path.of(args[0])))) {
                System.out.println("serving");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // until the test closes the pipe
                }
            }
        }
    }
}
