package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.run.TrialOutcome;
import dev.assay.track.MetricPoint;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sequence_classification and language_model tasks end to end on generated fixtures. */
class SequenceTasksTrialTest {

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

    private static String row(Random r, boolean positive) {
        String[] filler = {"the", "a", "news", "day", "report", "today", "market", "team"};
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            s.append(filler[r.nextInt(filler.length)]).append(' ');
        }
        s.insert(r.nextInt(3) * 4, positive ? "goal " : "stock ");
        return "\"" + (positive ? 1 : 2) + "\",\"title\",\"" + s.toString().trim() + "\"\n";
    }

    @Test
    void lstmClassifiesCsvTextAndLogsClassificationMetrics() throws Exception {
        Path csv = Files.createDirectories(dir.resolve("tiny_csv"));
        Random r = new Random(5);
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        for (int i = 0; i < 160; i++) {
            train.append(row(r, i % 2 == 0));
        }
        for (int i = 0; i < 40; i++) {
            test.append(row(r, i % 2 == 0));
        }
        Files.writeString(csv.resolve("train.csv"), train);
        Files.writeString(csv.resolve("test.csv"), test);
        TrialOutcome outcome = run("""
                name: seq
                dataset: {name: csv-text, params: {path: tiny_csv, max_length: 10,
                          min_frequency: 1, validation_split: 0.2}}
                model: {architecture: lstm, params: {hidden: 16, embedding_dim: 8, layers: 2}}
                task: sequence_classification
                training: {epochs: 4, batch_size: 16, seed: 3,
                           optimizer: {name: adam, learning_rate: 1.0e-2}}
                """);
        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        List<MetricPoint> trainLoss = store.metric(outcome.runId(), "train_loss");
        assertThat(trainLoss).extracting(MetricPoint::epoch).containsExactly(1, 2, 3, 4);
        assertThat(trainLoss.get(3).value()).isLessThan(trainLoss.get(0).value());
        assertThat(store.metric(outcome.runId(), "val_accuracy")).hasSize(4);
        assertThat(outcome.metrics().get("test_accuracy")).isGreaterThanOrEqualTo(0.75);
        assertThat(store.run(outcome.runId()).orElseThrow().tags())
                .containsEntry("data.max_length", "10")
                .containsEntry("data.classes", "2")
                .containsEntry("data.class_names", "1, 2");
    }

    @Test
    void anEmptyTestSplitFailsTheTrialBeforeItTrains() throws Exception {
        Path csv = Files.createDirectories(dir.resolve("no_test_csv"));
        Random r = new Random(5);
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            train.append(row(r, i % 2 == 0));
        }
        Files.writeString(csv.resolve("train.csv"), train);
        Files.writeString(csv.resolve("test.csv"), "");
        // it trained every epoch, then "completed" with test_loss NaN (a language model: failed after training)
        TrialOutcome outcome = run("""
                name: seq
                dataset: {name: csv-text, params: {path: no_test_csv, max_length: 10, min_frequency: 1}}
                model: {architecture: lstm, params: {hidden: 8, embedding_dim: 4}}
                task: sequence_classification
                training: {epochs: 2, batch_size: 16, seed: 3, optimizer: adam}
                """);
        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error()).contains("Dataset 'csv-text' has no test examples (from ")
                .contains("which task 'sequence_classification' is scored on");
        assertThat(store.metricKeys(outcome.runId())).isEmpty();
    }

    @Test
    void gruLanguageModelBeatsTheUnigramBaselineOnARepetitiveCorpus() throws Exception {
        StringBuilder text = new StringBuilder();
        String[] lines = {"in the beginning was the word", "and the word was with god",
            "the light shineth in darkness"};
        for (int i = 0; i < 300; i++) {
            text.append(lines[i % 3]).append('\n');
        }
        Files.writeString(dir.resolve("corpus.txt"), text);
        TrialOutcome outcome = run("""
                name: lm
                dataset: {name: text-corpus, params: {path: corpus.txt}}
                model: {architecture: gru, params: {hidden: 32, embedding_dim: 16}}
                task: {name: language_model, params: {bptt_length: 10}}
                training: {epochs: 3, batch_size: 8, seed: 3,
                           optimizer: {name: adam, learning_rate: 1.0e-2, clip_gradient: 1.0}}
                """);
        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        double lm = outcome.metrics().get("test_perplexity");
        double unigram = outcome.metrics().get("test_perplexity_unigram");
        assertThat(lm).isEqualTo(Math.exp(outcome.metrics().get("test_loss")), within());
        assertThat(unigram).isBetween(6.0, 13.0);
        assertThat(lm).isLessThan(unigram / 2);
        List<MetricPoint> val = store.metric(outcome.runId(), "val_perplexity");
        assertThat(val).extracting(MetricPoint::epoch).containsExactly(1, 2, 3);
        assertThat(val.get(2).value()).isLessThan(val.get(0).value());
        // train_perplexity of an epoch is exp of that same epoch's train_loss (it once lagged an epoch)
        List<MetricPoint> trainLoss = store.metric(outcome.runId(), "train_loss");
        List<MetricPoint> trainPerplexity = store.metric(outcome.runId(), "train_perplexity");
        assertThat(trainPerplexity).extracting(MetricPoint::epoch).containsExactly(1, 2, 3);
        for (int e = 0; e < 3; e++) {
            assertThat(trainPerplexity.get(e).value()).as("epoch %d", e + 1)
                    .isCloseTo(Math.exp(trainLoss.get(e).value()), org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void validationAndTestPerplexityDoNotDependOnTheTrainingBatchSize() throws Exception {
        StringBuilder text = new StringBuilder();
        Random random = new Random(5);
        String[] words = {"and", "the", "lord", "said", "unto", "moses", "land", "of", "egypt"};
        for (int line = 0; line < 200; line++) {
            for (int w = 0; w < 7; w++) {
                text.append(words[random.nextInt(words.length)]).append(w < 6 ? ' ' : '\n');
            }
        }
        Files.writeString(dir.resolve("corpus.txt"), text);
        // frozen weights (learning rate 0): both trials score the same model. The streams were cut
        // into training.batch_size rows, so val_loss moved with the batch size
        String yaml = """
                name: lm-batch
                dataset: {name: text-corpus, params: {path: corpus.txt}}
                model: {architecture: lstm, params: {hidden: 16, embedding_dim: 8}}
                task: {name: language_model, params: {bptt_length: 6}}
                training: {epochs: 1, batch_size: BATCH, seed: 3, optimizer: {name: sgd, learning_rate: 0.0},
                           regularization: {l2: 1.0e-2}}
                """;
        TrialOutcome small = run(yaml.replace("BATCH", "4"));
        TrialOutcome large = run(yaml.replace("BATCH", "32"));
        assertThat(small.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(large.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(large.metrics().get("test_loss")).isCloseTo(small.metrics().get("test_loss"),
                org.assertj.core.data.Offset.offset(1e-5));
        assertThat(large.metrics().get("test_perplexity_unigram"))
                .isEqualTo(small.metrics().get("test_perplexity_unigram"));
        double smallVal = store.metric(small.runId(), "val_loss").get(0).value();
        double largeVal = store.metric(large.runId(), "val_loss").get(0).value();
        assertThat(largeVal).isCloseTo(smallVal, org.assertj.core.data.Offset.offset(1e-5));
        // an untrained model over 9 words (plus <eos> and the specials) is near ln(vocabulary)
        assertThat(smallVal).isBetween(Math.log(8), Math.log(16));
        // the penalty, applied in training, is logged too (it was not): the same weights, the same value
        double penalty = store.metric(small.runId(), "penalty").get(0).value();
        assertThat(penalty).isPositive().isEqualTo(store.metric(large.runId(), "penalty").get(0).value());
        assertThat(store.metric(small.runId(), "train_objective").get(0).value()).isCloseTo(
                store.metric(small.runId(), "train_loss").get(0).value() + penalty,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aTestSplitTooShortForTheEvalBatchFailsTheTrialBeforeItTrains() throws Exception {
        // it failed only after a whole training, as the test began
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            text.append("the cat sat on the mat number ").append(i % 7).append('\n');
        }
        Files.writeString(dir.resolve("corpus.txt"), text);
        TrialOutcome outcome = run("""
                name: lm-short-test
                dataset: {name: text-corpus, params: {path: corpus.txt, validation_fraction: 0.02, test_fraction: 0.02}}
                model: {architecture: gru, params: {hidden: 8, embedding_dim: 4}}
                task: {name: language_model, params: {bptt_length: 5, eval_batch_size: 16}}
                training: {epochs: 1, batch_size: 4, optimizer: adam}
                """);
        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error()).contains("the test stream has").contains("too few for 16 rows");
        assertThat(store.metric(outcome.runId(), "train_loss")).isEmpty();
    }

    @Test
    void tooLittleValidationTextForTheEvalBatchIsAWarningWithTheTasksOwnNumbers() throws Exception {
        // the dataset warned with the training batch size and a 35-token window: a false alarm for 17 tokens that
        // did validate, and nothing for 61 tokens with eval_batch_size 64, whose run logged no val_* metric
        try (LogCapture log = new LogCapture("dev.assay.tasks")) {
            assertThat(LanguageModelTask.warnIfNoValidation(17, 1)).isFalse();
            assertThat(LanguageModelTask.warnIfNoValidation(0, 64)).isFalse(); // the dataset's warning
            assertThat(LanguageModelTask.warnIfNoValidation(61, 64)).isTrue();
            assertThat(log.warnings()).containsExactly("language_model: the validation stream has only 61 tokens,"
                    + " fewer than the 128 that eval_batch_size 64 needs (rows of at least 2 tokens), so the run will have"
                    + " no val_loss or val_perplexity and early stopping or pruning on them nothing to watch; lower"
                    + " eval_batch_size to at most 30 or give more validation text");
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
