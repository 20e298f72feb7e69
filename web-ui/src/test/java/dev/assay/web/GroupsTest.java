package dev.assay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/groups} over runs that diverged: a NaN or ±Inf last value is counted under NaN/Inf,
 * a run that ended without logging the metric under missing, one still running that has not logged
 * it yet under running. Real server on port 0, real H2 store.
 */
class GroupsTest {

    @TempDir
    static Path dir;

    private static AssayWebServer server;
    private static Http http;

    @BeforeAll
    static void seedAndStart() {
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        try (TrackingStore store = TrackingStore.open(url)) {
            // lr 0.1: two seeds completed; lr 9e9: one run completed with a NaN test accuracy, one diverged to
            // +Inf at its test, and two diverged in their first epoch, before any test_accuracy was logged
            Object[][] runs = {{"0.1", 0.80, RunStatus.COMPLETED}, {"0.1", 0.84, RunStatus.COMPLETED},
                {"9e9", Double.NaN, RunStatus.COMPLETED}, {"9e9", Double.POSITIVE_INFINITY, RunStatus.DIVERGED},
                {"9e9", null, RunStatus.DIVERGED}, {"9e9", null, RunStatus.DIVERGED}};
            for (int i = 0; i < runs.length; i++) {
                Map<String, double[]> metrics = new HashMap<>();
                metrics.put("batch_loss", new double[] {2.3, runs[i][1] == null ? Double.NaN : 1.1});
                if (runs[i][1] != null) {
                    metrics.put("test_accuracy", new double[] {(Double) runs[i][1]});
                }
                StoreSeeds.run(store, "diverging", "d-" + i, i, Map.of("training.optimizer.learning_rate",
                        (String) runs[i][0], "training.seed", String.valueOf(42 + i)), metrics, (RunStatus) runs[i][2]);
            }
            // a sweep in progress: lr 0.1 has two completed seeds, one interrupted and one running before their test,
            // and one running that has logged it; lr 10 has two running before their test
            Object[][] inProgress = {{"0.1", 0.80, RunStatus.COMPLETED}, {"0.1", 0.84, RunStatus.COMPLETED},
                {"0.1", null, RunStatus.INTERRUPTED}, {"0.1", null, RunStatus.RUNNING}, {"0.1", 0.9, RunStatus.RUNNING},
                {"10", null, RunStatus.RUNNING}, {"10", null, RunStatus.RUNNING}};
            for (int i = 0; i < inProgress.length; i++) {
                Map<String, double[]> metrics = new HashMap<>();
                metrics.put("batch_loss", new double[] {2.3, 1.1});
                if (inProgress[i][1] != null) {
                    metrics.put("test_accuracy", new double[] {(Double) inProgress[i][1]});
                }
                StoreSeeds.run(store, "in-progress", "p-" + i, i, Map.of("training.optimizer.learning_rate",
                        (String) inProgress[i][0], "training.seed", String.valueOf(42 + i)), metrics,
                        (RunStatus) inProgress[i][2]);
            }
        }
        server = AssayWebServer.start(url, "127.0.0.1", 0);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRunThatNeverLoggedTheMetricCountsAsMissingNotAsNaNOrInf() {
        // found by a helper session: the two runs that diverged before their test were counted nowhere, and the
        // page read "NaN/Inf 0" for a group of such runs
        JsonNode groups = http.get("/api/groups?experiment=diverging&by=params.training.optimizer.learning_rate"
                + "&metric=test_accuracy").json().get("groups");

        assertThat(groups).hasSize(2);
        JsonNode finished = groups.get(0);
        assertThat(finished.get("value").asText()).isEqualTo("0.1");
        assertThat(finished.get("finiteCount").asLong()).isEqualTo(2);
        assertThat(finished.get("nonFiniteCount").asLong()).isZero();
        assertThat(finished.get("missingCount").asLong()).isZero();
        assertThat(finished.get("mean").asDouble()).isCloseTo(0.82, within(1e-12));
        JsonNode diverged = groups.get(1);
        assertThat(diverged.get("value").asText()).isEqualTo("9e9");
        assertThat(diverged.get("runs").asLong()).isEqualTo(4);
        assertThat(diverged.get("statuses").toString()).isEqualTo("{\"diverged\":3}");
        assertThat(diverged.get("finiteCount").asLong()).isZero();
        // the completed run's NaN and the diverged run's +Inf
        assertThat(diverged.get("nonFiniteCount").asLong()).isEqualTo(2);
        assertThat(diverged.get("missingCount").asLong()).isEqualTo(2);
        assertThat(diverged.get("runningCount").asLong()).isZero(); // they ended: diverged, not running
        assertThat(diverged.get("mean").asText()).isEqualTo("NaN");
    }

    @Test
    void aRunStillRunningThatHasNotLoggedTheMetricCountsAsRunningNotAsMissing() {
        // a sweep in progress read "missing" for every running run that had not reached its test yet, as if it had
        // ended without one
        JsonNode groups = http.get("/api/groups?experiment=in-progress&by=params.training.optimizer.learning_rate"
                + "&metric=test_accuracy").json().get("groups");

        assertThat(groups).hasSize(2);
        JsonNode started = groups.get(0);
        assertThat(started.get("value").asText()).isEqualTo("0.1");
        assertThat(started.get("runs").asLong()).isEqualTo(5);
        assertThat(started.get("statuses").toString()).isEqualTo("{\"running\":2,\"interrupted\":1}");
        // the running run's 0.9 is where it has got to: in neither count, nor in the mean
        assertThat(started.get("finiteCount").asLong()).isEqualTo(2);
        assertThat(started.get("mean").asDouble()).isCloseTo(0.82, within(1e-12));
        assertThat(started.get("missingCount").asLong()).isEqualTo(1); // the interrupted run
        assertThat(started.get("runningCount").asLong()).isEqualTo(1);
        JsonNode running = groups.get(1);
        assertThat(running.get("value").asText()).isEqualTo("10");
        assertThat(running.get("finiteCount").asLong()).isZero();
        assertThat(running.get("missingCount").asLong()).isZero();
        assertThat(running.get("runningCount").asLong()).isEqualTo(2);
        // a metric every run logged: nothing missing, nothing running without it
        JsonNode loss = http.get("/api/groups?experiment=in-progress&by=params.training.optimizer.learning_rate"
                + "&metric=batch_loss").json().get("groups");
        assertThat(loss).extracting(g -> g.get("missingCount").asLong() + "/" + g.get("runningCount").asLong())
                .containsExactly("0/0", "0/0");
    }

    @Test
    void aMetricEveryRunLoggedHasNothingMissingAndItsNaNValuesUnderNaNOrInf() {
        JsonNode groups = http.get("/api/groups?experiment=diverging&by=params.training.optimizer.learning_rate"
                + "&metric=batch_loss").json().get("groups");

        assertThat(groups).extracting(g -> g.get("missingCount").asLong()).containsExactly(0L, 0L);
        // the two runs that diverged in their first epoch ended on NaN; the others' last value is 1.1, but only
        // completed runs' values are averaged
        assertThat(groups.get(1).get("nonFiniteCount").asLong()).isEqualTo(2);
        assertThat(groups.get(1).get("finiteCount").asLong()).isEqualTo(1);
        assertThat(groups.get(1).get("mean").asDouble()).isCloseTo(1.1, within(1e-12));
    }
}
