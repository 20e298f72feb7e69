package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.NewRun;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContinuationTest {

    @TempDir
    Path dir;

    @Test
    void anInterruptedRunsUnfinishedCheckpointIsDeletedWhenItsTrialIsLookedAtAgain() throws Exception {
        // found by a new-user check: kill -9 during the final checkpoint left .epoch-3.tmp with the model's
        // weights; the trial started over in a new run and the half-written directory stayed for good
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            String runId = store.createRun(new NewRun("e", null, "t", 0, "k", 1, null, null, Map.of(), Map.of()));
            store.finishRun(runId, RunStatus.INTERRUPTED, "killed");
            Path artifacts = dir.resolve("artifacts");
            Path checkpoints = Continuation.checkpointDir(artifacts, runId);
            Files.createDirectories(checkpoints.resolve(".epoch-3.tmp"));
            Files.writeString(checkpoints.resolve(".epoch-3.tmp/checkpoint-0003.params"), "half");
            Files.writeString(artifacts.resolve(runId).resolve("samples.png"), "kept");

            assertThat(Continuation.find(store, "e", "k", store.trialStatuses("e", "k"), artifacts)).isEmpty();
            assertThat(checkpoints.resolve(".epoch-3.tmp")).doesNotExist();
            assertThat(artifacts.resolve(runId).resolve("samples.png")).hasContent("kept");
        }
    }
}
