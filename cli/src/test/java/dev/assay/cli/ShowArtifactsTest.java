package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.ArtifactRecord;
import dev.assay.track.NewRun;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code assay show} says where a run's artifacts are and which of them are gone or changed since. */
class ShowArtifactsTest {

    @TempDir
    Path dir;

    @Test
    void artifactsAreListedUnderTheirDirectoryAndOnesDeletedOrChangedSinceAreMarked() throws Exception {
        String id;
        Path runDir;
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            id = store.createRun(new NewRun("art", "", "r0", 0, "k0", 0, "a: 1\n", "{}", Map.of(), Map.of()));
            runDir = dir.resolve("artifacts").resolve(id);
            Files.createDirectories(runDir.resolve("checkpoints"));
            Files.write(runDir.resolve("model.params"), new byte[1234]);
            Files.write(runDir.resolve("checkpoints/epoch-1.params"), new byte[10]);
            Files.write(runDir.resolve("confusion.csv"), new byte[5]);
            store.replaceArtifacts(id, ArtifactRecord.listDirectory(runDir));
            store.finishRun(id, RunStatus.COMPLETED, null);
        }
        Files.delete(runDir.resolve("checkpoints/epoch-1.params"));
        Files.write(runDir.resolve("confusion.csv"), new byte[7]);

        CliFixture show = CliFixture.run("show", id, "--store", dir.toString());

        assertThat(show.exitCode()).as(show.err()).isZero();
        List<String> lines = show.out().lines().toList();
        int head = lines.indexOf("Artifacts (under " + runDir.toAbsolutePath().normalize() + ")");
        assertThat(head).as(show.out()).isPositive();
        assertThat(lines.subList(head + 1, head + 4)).containsExactlyInAnyOrder(
                "  model.params  1,234 bytes",
                "  checkpoints/epoch-1.params  10 bytes  (missing: deleted or moved since the run recorded it)",
                "  confusion.csv  5 bytes  (now 7 bytes: changed since the run recorded it)");
    }
}
