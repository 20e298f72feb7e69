package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code assay ui} options checked before the server starts. */
class UiCommandTest {

    @TempDir
    Path dir;

    @Test
    void aStoreDirectoryWithoutAStoreIsRefusedAsAssayRunsRefusesItAndNothingIsCreated() {
        Path mistyped = dir.resolve("mistyped");
        // it created an empty store there and served a page saying "No experiments yet"
        CliFixture ui = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> CliFixture.run("ui", "--port", "0", "--store", mistyped.toString()));

        assertThat(ui.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(ui.err()).startsWith("error: no Assay store in '" + mistyped + "' (no assay.mv.db there): run an"
                + " experiment first (./assay run FILE), or point --store or ASSAY_STORE at the directory that holds one.");
        assertThat(ui.out()).isEmpty();
        assertThat(Files.exists(mistyped)).isFalse();
    }

    @Test
    void aPortInUseIsOneClearErrorWithWhatToDo() throws Exception {
        // it printed "ERROR Javalin: Failed to start Javalin" and "error: JavalinBindException: Port already in use..."
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, """
                name: ui-port
                dataset: {name: fashion-mnist, params: {limit_train: 64, limit_test: 32}}
                model: {architecture: mlp, params: {hidden: [4]}}
                task: classification
                training: {epochs: 1, batch_size: 32, optimizer: adam}
                """);
        String store = dir.resolve("store").toString();
        CliFixture run = CliFixture.run("run", file.toString(), "--store", store);
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            CliFixture ui = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliFixture.run("ui", "--host",
                    "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()), "--store", store));
            assertThat(ui.exitCode()).isEqualTo(Main.EXIT_USAGE);
            assertThat(ui.err()).isEqualTo("error: Cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the port is in"
                    + " use (another assay ui, or another server); choose another with --port, or --port 0 for any free"
                    + " one." + System.lineSeparator());
        }
    }
}
