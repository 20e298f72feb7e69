package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreOptionsTest {

    @TempDir
    Path dir;

    private static StoreOptions store(String value) {
        StoreOptions o = new StoreOptions();
        o.store = value;
        return o;
    }

    @Test
    void anEmbeddedFileUrlKeepsItsArtifactsBesideTheDatabaseAsADirectoryStoreDoes() {
        // a jdbc:h2:file: store put artifacts and checkpoints under whatever directory the command ran in,
        // so resume from another directory found no checkpoint and started the trial over
        assertThat(store("jdbc:h2:file:/data/exp/assay;AUTO_SERVER=TRUE").artifactRoot())
                .isEqualTo(Path.of("/data/exp/artifacts"));
        assertThat(store(dir.toString()).artifactRoot()).isEqualTo(dir.resolve("artifacts"));
        assertThat(store("jdbc:h2:tcp://host/~/assay").artifactRoot()).isEqualTo(Path.of("assay-runs", "artifacts"));
        assertThat(StoreOptions.embeddedFile("jdbc:h2:file:./x/assay")).isEqualTo(Path.of("./x/assay"));
        assertThat(StoreOptions.embeddedFile("jdbc:h2:mem:x")).isNull();
    }

    @Test
    void readingCommandsRefuseAMissingEmbeddedFileUrlAndADirectoryWithASemicolon() {
        // a mistyped URL silently created an empty database and reported "No runs yet"
        String url = "jdbc:h2:file:" + dir.resolve("none").resolve("assay");
        assertThatThrownBy(() -> store(url + ";AUTO_SERVER=TRUE").existingUrl())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no H2 database at " + dir.resolve("none").resolve("assay") + ".mv.db (from " + url
                        + "): run an experiment into it first, or correct the URL.");
        assertThatThrownBy(() -> store(dir.resolve("semi;colon").toString()).jdbcUrl())
                .hasMessageContaining("contains ';', which an H2 URL cannot hold");
    }

    @Test
    void durationOptionsBeyondWhatAJavaDurationHoldsAreRefusedAsBadInput() {
        // --checkpoint-interval 1e300 and --stale-after 9223372036854775807 passed and then failed as a bare
        // ArithmeticException (exit 1), leaving the run "running"
        CheckpointOptions checkpoints = new CheckpointOptions();
        checkpoints.seconds = 1e300;
        assertThatThrownBy(checkpoints::interval).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--checkpoint-interval must be a number of seconds from 0 to 1000000000, got 1.0E300.");
        checkpoints.seconds = 1e9;
        assertThat(checkpoints.interval().toNanos()).isEqualTo(1_000_000_000_000_000_000L);
        SweepOptions sweep = new SweepOptions();
        sweep.staleAfterSeconds = Long.MAX_VALUE;
        assertThatThrownBy(sweep::staleAfter).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--stale-after must be from 0 to 1000000000 seconds");
    }
}
