package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.NewRun;
import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs that name the same data but read other files are told apart by their fingerprints. */
class DataConsistencyTest {

    @TempDir
    Path dir;

    private static NewRun run(int trial, String limit, String fingerprint, String source) {
        return new NewRun("e", null, "t" + trial, trial, "key-" + trial, trial, null, null,
                Map.of("dataset.name", "fashion-mnist", "dataset.params.limit_train", limit, "model.params.dropout", "0." + trial),
                Map.of("data.fingerprint", fingerprint, "data.source", source));
    }

    @Test
    void runsOfTheSameDatasetSettingsWithOtherFingerprintsAreNamedAndOthersAreNot() {
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            String full = db.createRun(run(0, "0", "aaaa", "system"));
            String subset = db.createRun(run(1, "0", "bbbb", "bundled-subset"));
            db.createRun(run(2, "0", "aaaa", "system"));
            db.createRun(run(3, "100", "cccc", "system")); // other settings: other data is expected
            List<RunRecord> runs = db.runs("e");

            String warning = DataConsistency.mismatch(runs).orElseThrow();

            assertThat(warning).startsWith("runs with the same dataset settings {dataset.name=fashion-mnist,"
                    + " dataset.params.limit_train=0} read different data: fingerprint aaaa (system, 2 run(s): "
                    + full.substring(0, 8) + ", ").contains("; fingerprint bbbb (bundled-subset, 1 run(s): "
                    + subset.substring(0, 8) + ")").doesNotContain("cccc")
                    .endsWith("--rerun trains every trial again on the data found now");
            assertThat(DataConsistency.mismatch(runs.subList(0, 1))).isEmpty();
            assertThat(DataConsistency.mismatch(List.of(runs.get(0), runs.get(2), runs.get(3)))).isEmpty();
        }
    }
}
