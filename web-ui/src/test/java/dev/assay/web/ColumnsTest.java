package dev.assay.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/columns}' {@code higherIsBetter} over a real server on port 0 and a real H2 store. */
class ColumnsTest {

    @TempDir
    static Path dir;

    private static AssayWebServer server;
    private static Http http;

    @BeforeAll
    static void seedAndStart() {
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        try (TrackingStore store = TrackingStore.open(url)) {
            // what a classification trial, a word2vec trial and a GAN trial log, in one experiment
            Map<String, double[]> metrics = new LinkedHashMap<>();
            for (String m : List.of("batch_loss", "learning_rate", "train_loss", "val_loss", "val_accuracy",
                    "val_perplexity", "epoch_time_s", "samples_per_s", "pairs_per_s", "test_error_rate",
                    "test_mse_baseline_ratio", "test_ppmi_spearman", "query_top1_cosine", "epoch_d_real")) {
                metrics.put(m, new double[] {0.5});
            }
            StoreSeeds.run(store, "mixed", "m-0", 0, Map.of("training.optimizer.learning_rate", "0.1",
                    "training.seed", "42"), metrics, RunStatus.COMPLETED);
        }
        server = AssayWebServer.start(url, "127.0.0.1", 0);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void higherIsBetterListsOnlyMetricsWhoseNameSaysHigherIsBetter() {
        JsonNode columns = http.get("/api/columns?experiment=mixed").json();

        // learning_rate (the schedule's value, a setting), and the descriptive query_top1_cosine and epoch_d_real
        // were listed by "maximize whatever is not loss-like"; losses, perplexity, errors and durations are not
        assertThat(columns.get("higherIsBetter")).extracting(JsonNode::asText).containsExactly("pairs_per_s",
                "samples_per_s", "test_mse_baseline_ratio", "test_ppmi_spearman", "val_accuracy");
        assertThat(columns.get("metrics")).hasSize(14);
    }
}
