package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.NewRun;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code assay compare} shows where runs ran differently (engine version, commit), not only their params. */
class CompareProvenanceTest {

    @TempDir
    Path dir;

    @Test
    void provenanceFieldsThatDifferAreRowsAndEqualOnesAreNot() {
        String a;
        String b;
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            a = run(store, 0, "{\"engine\":\"PyTorch\",\"engineVersion\":\"2.7.1\",\"gitCommit\":\"abc123\","
                    + "\"cpus\":2,\"engineSettings\":{\"ai.djl.pytorch.num_threads\":\"1\"}}");
            b = run(store, 1, "{\"engine\":\"MXNet\",\"engineVersion\":\"1.9.0\",\"gitCommit\":null,"
                    + "\"cpus\":2,\"engineSettings\":{}}");
        }
        CliFixture compare = CliFixture.run("compare", a, b, "--store", dir.toString());

        assertThat(compare.exitCode()).as(compare.err()).isZero();
        assertThat(compare.out().lines().filter(l -> l.contains("provenance.")).map(l -> l.replaceAll("\\s+", " ")))
                .containsExactly("| provenance.engine | PyTorch | MXNet |",
                        "| provenance.engineVersion | 2.7.1 | 1.9.0 |",
                        "| provenance.gitCommit | abc123 | - |",
                        "| provenance.engineSettings | ai.djl.pytorch.num_threads=1 | - |");
        CliFixture all = CliFixture.run("compare", a, b, "--all", "--store", dir.toString());
        assertThat(all.out()).contains("provenance.gitCommit").contains("provenance.cpus");
        // show prints provenance as compare does: JSON null (a run started outside a git repository) as "-"
        CliFixture show = CliFixture.run("show", b, "--store", dir.toString());
        assertThat(show.out().lines().map(l -> l.trim().replaceAll("\\s+", " ")))
                .contains("gitCommit -", "engineSettings -", "engine MXNet");
    }

    @Test
    void metricsChoosesTheMetricRowsSideBySideToo() {
        // --metrics was checked against the runs' metrics, then ignored unless --group was given
        String a;
        String b;
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            a = run(store, 0, "{}");
            b = run(store, 1, "{}");
            for (String id : java.util.List.of(a, b)) {
                store.appendMetrics(id, Map.of("val_loss", java.util.List.of(new dev.assay.track.MetricPoint(1, 1, 0.5, 10)),
                        "test_accuracy", java.util.List.of(new dev.assay.track.MetricPoint(1, 1, 0.75, 10)),
                        "batch_loss", java.util.List.of(new dev.assay.track.MetricPoint(1, 1, 0.25, 10))));
            }
        }
        CliFixture compare = CliFixture.run("compare", a, b, "--metrics", "test_accuracy,val_loss",
                "--store", dir.toString());

        assertThat(compare.exitCode()).as(compare.err()).isZero();
        assertThat(compare.out()).doesNotContain("batch_loss");
        assertThat(compare.out().lines().filter(l -> l.contains("test_accuracy") || l.contains("val_loss"))
                .map(l -> l.replaceAll("\\s+", " ")))
                .containsExactly("| test_accuracy | 0.7500 | 0.7500 |", "| val_loss | 0.5000 | 0.5000 |");
    }

    private static String run(TrackingStore store, int trial, String provenance) {
        String id = store.createRun(new NewRun("cmp", "", "r" + trial, trial, "k" + trial, trial, "a: 1\n", provenance,
                Map.of("lr", "0.1"), Map.of()));
        store.finishRun(id, RunStatus.COMPLETED, null);
        return id;
    }
}
