package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.run.TrialOutcome;
import dev.assay.track.MetricPoint;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seq2seq task end to end through the real runner, on a small generated date task. */
class Seq2SeqTrialTest {

    @TempDir
    Path dir;

    private TrialHarness harness;
    private TrackingStore store;

    @BeforeEach
    void openStore() {
        harness = new TrialHarness(dir);
        store = harness.store();
    }

    @AfterEach
    void closeStore() {
        harness.close();
    }

    private TrialOutcome run(String yaml) {
        return harness.run(yaml).get(0);
    }

    @Test
    void datesTrialRecordsGreedyMetricsAndWritesAttentionJson() throws Exception {
        TrialOutcome outcome = run("""
                name: s2s
                dataset: {name: dates, params: {train_size: 128, test_size: 24,
                          validation_split: 0.25}}
                model: {architecture: seq2seq, params: {hidden: 16, embedding_dim: 8,
                        attention: additive}}
                task: {name: seq2seq, params: {teacher_forcing_ratio: 0.8,
                       attention_examples: 2}}
                training: {epochs: 2, batch_size: 32, seed: 3, log_every_n_steps: 2,
                           optimizer: {name: adam, learning_rate: 1.0e-2}}
                """);
        assertThat(outcome.status()).as(String.valueOf(outcome.error()))
                .isEqualTo(RunStatus.COMPLETED);
        String id = outcome.runId();
        List<MetricPoint> trainLoss = store.metric(id, "train_loss");
        assertThat(trainLoss).extracting(MetricPoint::epoch).containsExactly(1, 2);
        assertThat(trainLoss.get(1).value()).isLessThan(trainLoss.get(0).value());
        for (String k : List.of("val_loss", "val_token_accuracy", "val_exact_match", "val_bleu")) {
            assertThat(store.metric(id, k)).as(k).hasSize(2);
        }
        assertThat(store.metric(id, "batch_loss")).isNotEmpty();
        assertThat(store.metric(id, "learning_rate")).isNotEmpty();
        double exact = outcome.metrics().get("test_exact_match");
        assertThat(store.metric(id, "test_exact_match")).singleElement()
                .extracting(MetricPoint::value).isEqualTo(exact);
        assertThat(exact).isBetween(0.0, 1.0);
        assertThat(outcome.metrics().get("test_token_accuracy")).as("above chance, 1/15")
                .isGreaterThan(0.1);
        assertThat(outcome.metrics().get("test_bleu")).isBetween(0.0, 1.0);
        assertThat(store.run(id).orElseThrow().tags())
                .containsEntry("data.max_target_length", "11")
                .containsEntry("data.target_vocabulary_size", "15");
        Path artifacts = dir.resolve("artifacts").resolve(id).resolve("attention");
        assertThat(artifacts.resolve("example-00.json")).exists();
        assertThat(artifacts.resolve("example-01.json")).exists();
        assertThat(artifacts.resolve("example-02.json")).doesNotExist();
        JsonNode json = new ObjectMapper().readTree(artifacts.resolve("example-00.json").toFile());
        int sourceTokens = json.get("source").size();
        assertThat(sourceTokens).isGreaterThan(5);
        assertThat(json.get("reference").size()).isEqualTo(10);
        assertThat(json.get("weights").size()).isEqualTo(json.get("target").size());
        for (JsonNode row : json.get("weights")) {
            assertThat(row.size()).isEqualTo(sourceTokens);
            double sum = 0;
            for (JsonNode w : row) {
                sum += w.asDouble();
            }
            assertThat(sum).isCloseTo(1.0, within(1e-4));
        }
        assertThat(store.run(id).orElseThrow().artifacts()).extracting(a -> a.path())
                .contains("attention/example-00.json", "attention/example-01.json");
    }

    @Test
    void aHugeLearningRateMarksTheTrialDiverged() {
        TrialOutcome outcome = run("""
                name: s2s-nan
                dataset: {name: dates, params: {train_size: 64, test_size: 8,
                          validation_split: 0.0}}
                model: {architecture: seq2seq, params: {hidden: 8, embedding_dim: 4,
                        attention: dot}}
                task: seq2seq
                training: {epochs: 3, batch_size: 32, seed: 3,
                           optimizer: {name: sgd, learning_rate: 1.0e38}}
                """);
        assertThat(outcome.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(outcome.error()).contains("the training loss became");
    }

    @Test
    void aNonSeq2SeqArchitectureIsRejectedWithAClearMessage() {
        // refused when the file is read (it failed each trial after loading the pairs)
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("""
                name: s2s-bad
                dataset: {name: dates, params: {train_size: 64, test_size: 8}}
                model: {architecture: gru, params: {hidden: 8}}
                task: seq2seq
                training: {epochs: 1, batch_size: 32, optimizer: {name: adam}}
                """)).isInstanceOf(dev.assay.spec.SpecException.class)
                .hasMessageContaining("model.architecture: task 'seq2seq' trains a model of type Seq2SeqModel, but"
                        + " architecture 'gru' builds SequenceModel; architectures that build one: seq2seq");
    }
}
