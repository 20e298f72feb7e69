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
}
