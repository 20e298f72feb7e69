package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.plugin.MetricKind;
import dev.assay.plugin.TaskProvider;
import dev.assay.run.SweepListener;
import dev.assay.run.TrialOutcome;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.MetricPoint;
import dev.assay.track.RunStatus;
import dev.assay.train.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each task logs only the metrics it declares ({@link TaskProvider#metrics()}), each as often as
 * its kind says: a step metric at every step (logged every step here), an epoch metric once per
 * epoch, a final one once. An experiment's monitors are checked against the declaration when it
 * is read, so a metric the task logs but does not declare would be refused as misspelled.
 */
class TaskMetricsTest {

    private static final Map<String, TaskProvider> TASKS = Map.of("classification", new ClassificationTask(),
            "reconstruction", new ReconstructionTask(), "language_model", new LanguageModelTask(),
            "adversarial", new AdversarialTask(), "seq2seq", new Seq2SeqTask(), "word2vec", new Word2VecTask());

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"classification", "reconstruction", "language_model", "adversarial",
        "seq2seq", "word2vec"})
    void everyLoggedMetricIsDeclaredWithTheKindItIsLoggedAs(String task) throws Exception {
        StringBuilder corpus = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            corpus.append(i % 2 == 0 ? "in the beginning was the word\n" : "and the word was with god\n");
        }
        Files.writeString(dir.resolve("corpus.txt"), corpus);
        String yaml = ContinuedTrialTest.EXPERIMENTS.get(task) + """
                training: {epochs: 2, batch_size: 16, seed: 5, log_every_n_steps: 1,
                           optimizer: {name: adam, learning_rate: 5.0e-3},
                           regularization: {l2: 1.0e-4}}
                """;
        Map<String, MetricKind> declared = TASKS.get(task).metrics();
        List<Map<String, Double>> epochsEnded = new ArrayList<>();
        SweepListener capture = new SweepListener() {
            @Override
            public TrainingProgress trialStarted(TrialSpec trial, int total, String runId) {
                return new TrainingProgress() {
                    @Override
                    public void epochEnded(int epoch, Map<String, Double> metrics) {
                        epochsEnded.add(new LinkedHashMap<>(metrics));
                    }
                };
            }
        };
        try (TrialHarness harness = new TrialHarness(dir)) {
            TrialOutcome outcome = harness.run(yaml, capture).get(0);
            assertThat(outcome.status()).as(outcome.error()).isEqualTo(RunStatus.COMPLETED);
            List<String> logged = harness.store().metricKeys(outcome.runId());
            assertThat(declared).as("declared by %s", task).containsKeys(logged.toArray(String[]::new));
            long lastStep = 0;
            for (String key : logged) {
                lastStep = Math.max(lastStep, harness.store().metric(outcome.runId(), key).stream()
                        .mapToLong(MetricPoint::step).max().orElse(0));
            }
            for (String key : logged) {
                List<MetricPoint> points = harness.store().metric(outcome.runId(), key);
                switch (declared.get(key)) {
                    case STEP -> assertThat(points).as(key).extracting(MetricPoint::step)
                            .containsExactlyElementsOf(LongStream.rangeClosed(1, lastStep).boxed().toList());
                    case EPOCH -> assertThat(points).as(key).extracting(MetricPoint::epoch).containsExactly(1, 2);
                    case FINAL -> assertThat(points).as(key).hasSize(1);
                    default -> throw new IllegalStateException(key);
                }
            }
            // every epoch metric reaches the epoch's end, where the console, early stopping and
            // pruners read them (val_perplexity, val_bleu, pairs_per_s were logged past it)
            List<String> loggedPerEpoch = logged.stream().filter(k -> declared.get(k) == MetricKind.EPOCH).toList();
            assertThat(epochsEnded).hasSize(2)
                    .allSatisfy(m -> assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(loggedPerEpoch));
            // the declaration is not empty words: each kind the task has is logged here
            assertThat(logged).containsAnyElementsOf(kinds(declared, MetricKind.STEP))
                    .containsAnyElementsOf(kinds(declared, MetricKind.EPOCH));
            if (!kinds(declared, MetricKind.FINAL).isEmpty()) {
                assertThat(logged).containsAnyElementsOf(kinds(declared, MetricKind.FINAL));
            }
        }
    }

    private static List<String> kinds(Map<String, MetricKind> declared, MetricKind kind) {
        return declared.entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey).toList();
    }
}
