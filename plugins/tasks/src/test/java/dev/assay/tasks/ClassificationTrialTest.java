package dev.assay.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.architectures.ArchitecturesPlugin;
import dev.assay.datasets.DatasetsPlugin;
import dev.assay.optimizers.OptimizersPlugin;
import dev.assay.plugin.AssayPlugin;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.TaskProvider;
import dev.assay.run.SweepListener;
import dev.assay.run.SweepRunner;
import dev.assay.run.TrialOutcome;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.AsyncTracker;
import dev.assay.track.MetricPoint;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import dev.assay.train.TrialContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end in one JVM: tiny Fashion-MNIST trials (at most 512 training images) planned from
 * YAML, trained with DJL/MXNet, recorded in an H2 file and read back.
 */
class ClassificationTrialTest {

    private static final String BASE = """
            name: tiny
            dataset:
              name: fashion-mnist
              params: {limit_train: 512, limit_test: 256, validation_split: 0.125}
            model:
              architecture: mlp
              params: {hidden: [32]}
            task: classification
            training:
              epochs: 3
              batch_size: 64
              seed: 7
              log_every_n_steps: 2
              optimizer: {name: adam, learning_rate: 3.0e-3}
            """;

    @TempDir
    Path dir;

    private TrackingStore store;
    private AsyncTracker tracker;

    @BeforeEach
    void openStore() {
        store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")));
        tracker = new AsyncTracker(store, Duration.ofMillis(100));
    }

    @AfterEach
    void closeStore() {
        tracker.close();
        store.close();
    }

    private List<TrialOutcome> run(String yaml, AssayPlugin... extra) {
        List<AssayPlugin> modules = new java.util.ArrayList<>(List.of(new DatasetsPlugin(),
                new ArchitecturesPlugin(), new OptimizersPlugin(), new TasksPlugin()));
        modules.addAll(List.of(extra));
        PluginRegistry registry = PluginRegistry.fromModules(modules);
        ExperimentSpec spec = SpecLoader.parse(yaml, "tiny.yaml", List.of());
        List<TrialSpec> trials = SweepPlanner.plan(spec, new SpecBinder(registry));
        SweepRunner runner = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"),
                List.of());
        return runner.run(spec, trials, SweepListener.NONE);
    }

    @Test
    void tinyTrialTrainsAndItsMetricsAreReadBackFromH2() {
        TrialOutcome outcome = run(BASE).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        RunRecord run = store.run(outcome.runId()).orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.endTimeMillis()).isNotNull();
        assertThat(run.params()).containsEntry("model.params.hidden", "[32]")
                .containsEntry("training.optimizer.learning_rate", "0.003")
                .containsEntry("training.seed", "7");
        assertThat(run.tags()).containsEntry("data.train_samples", "512");
        assertThat(run.provenanceJson()).contains("\"engine\":\"MXNet\"");

        List<MetricPoint> trainLoss = store.metric(run.runId(), "train_loss");
        List<MetricPoint> valLoss = store.metric(run.runId(), "val_loss");
        List<MetricPoint> valAcc = store.metric(run.runId(), "val_accuracy");
        assertThat(trainLoss).extracting(MetricPoint::epoch).containsExactly(1, 2, 3);
        assertThat(valLoss).extracting(MetricPoint::epoch).containsExactly(1, 2, 3);
        // 448 training images / 64 per batch = 7 steps per epoch.
        assertThat(trainLoss).extracting(MetricPoint::step).containsExactly(7L, 14L, 21L);
        assertThat(trainLoss.get(2).value()).isLessThan(trainLoss.get(0).value());
        assertThat(valAcc.get(2).value()).isBetween(0.4, 1.0);
        // batch_loss is logged at step 1 and every 2 steps: 1, 2, 4, ..., 20.
        assertThat(store.metric(run.runId(), "batch_loss")).extracting(MetricPoint::step)
                .containsExactly(1L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 20L);
        assertThat(store.metric(run.runId(), "samples_per_s").get(0).value()).isPositive();

        double testAccuracy = outcome.metrics().get("test_accuracy");
        assertThat(testAccuracy).isBetween(0.4, 1.0);
        assertThat(run.metrics().get("test_accuracy").last()).isEqualTo(testAccuracy);
        assertThat(run.metrics().get("val_loss").minStep()).isPositive();
    }

    @Test
    void epochLossesAreMeansPerExampleWhateverTheBatchSize() {
        // frozen weights (learning rate 0), so both trials see the same model: with batches of 48 the last
        // training batch holds 16 of 448 examples and the validation split is 48 + 16; with batches of 448
        // each split is one batch. train_loss and val_loss were means of batch means and differed.
        String frozen = BASE.replace("epochs: 3", "epochs: 1")
                .replace("optimizer: {name: adam, learning_rate: 3.0e-3}", "optimizer: {name: sgd, learning_rate: 0.0}");
        TrialOutcome small = run(frozen.replace("batch_size: 64", "batch_size: 48")).get(0);
        TrialOutcome whole = run(frozen.replace("batch_size: 64", "batch_size: 448")).get(0);

        for (String metric : List.of("train_loss", "val_loss")) {
            double expected = store.metric(whole.runId(), metric).get(0).value();
            assertThat(store.metric(small.runId(), metric).get(0).value()).as(metric)
                    .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-5 * expected));
        }
        assertThat(store.metric(small.runId(), "test_loss").get(0).value())
                .isCloseTo(store.metric(whole.runId(), "test_loss").get(0).value(),
                        org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void anEpochOfOneBatchCountsThatBatchsTimeInItsThroughput() {
        TrialOutcome outcome = run(BASE.replace("limit_train: 512, limit_test: 256, validation_split: 0.125",
                "limit_train: 256, limit_test: 64, validation_split: 0").replace("batch_size: 64", "batch_size: 256")
                .replace("hidden: [32]", "hidden: [256]")).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        List<MetricPoint> rate = store.metric(outcome.runId(), "samples_per_s");
        List<MetricPoint> time = store.metric(outcome.runId(), "epoch_time_s");
        assertThat(rate).hasSize(3);
        for (int i = 0; i < 3; i++) {
            // the epoch's clock started after its first batch, whose 256 samples were then counted
            // over microseconds: about 1e7-1e8 samples/s (a CNN's read 4.4e6 where 200 was right)
            assertThat(rate.get(i).value()).isBetween(256 / time.get(i).value(), 2.0e6);
            assertThat(time.get(i).value()).isPositive().isLessThan(60.0);
        }
    }

    @Test
    void anEmptyTrainingSplitFailsTheTrialSayingSo() throws java.io.IOException {
        // all of one image held out for validation: no training batch, and the trial "completed"
        // with NaN training metrics and the machine's uptime as its epoch time. A limit_train that
        // does this is refused when the file is read (SplitCheckTest); files holding one image are
        // found only when the trial loads them
        Path data = TinyIdxFiles.write(dir.resolve("one-image"), 1, 64);
        String yaml = BASE.replace("limit_train: 512, limit_test: 256, validation_split: 0.125",
                "validation_split: 0.9");
        ExperimentSpec spec = SpecLoader.parse(yaml, "tiny.yaml", List.of());
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new DatasetsPlugin(),
                new ArchitecturesPlugin(), new OptimizersPlugin(), new TasksPlugin()));
        TrialOutcome outcome = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of(data))
                .run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)), SweepListener.NONE).get(0);

        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error()).contains("Dataset 'fashion-mnist' has no training examples (read 1 from ")
                // it said "less the validation split" to WikiText's, which has none
                .contains("none is left once a validation split, where the dataset has one, is held out");
        assertThat(store.metricKeys(outcome.runId())).doesNotContain("epoch_time_s", "train_loss");
    }

    @Test
    void testMetricsEqualAHostSidePassWithTheSavedParameters() throws Exception {
        // 250 test images in batches of 64: the last batch has 58, so each example must count once
        String yaml = BASE.replace("limit_test: 256", "limit_test: 250");
        TrialOutcome outcome = run(yaml).get(0);
        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);

        PluginRegistry registry = PluginRegistry.fromModules(List.of(new DatasetsPlugin(),
                new ArchitecturesPlugin(), new OptimizersPlugin(), new TasksPlugin()));
        ExperimentSpec spec = SpecLoader.parse(yaml, "tiny.yaml", List.of());
        TrialSpec trial = SweepPlanner.plan(spec, new SpecBinder(registry)).get(0);
        Path checkpoint = dev.assay.run.Continuation.checkpointDir(dir.resolve("artifacts"), outcome.runId())
                .resolve("epoch-0003");
        double lossSum = 0;
        long correct = 0;
        long n = 0;
        long[][] confusion = new long[10][10];
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager();
                ai.djl.Model model = ai.djl.Model.newInstance("reloaded")) {
            TrialContext ctx = new TrialContext(trial, registry, manager,
                    tracker.tracker(outcome.runId(), dir.resolve("artifacts").resolve(outcome.runId())), List.of(),
                    dev.assay.train.TrainingProgress.NONE);
            dev.assay.data.ClassificationData data = (dev.assay.data.ClassificationData) ctx.loadDataset();
            model.setBlock(ctx.buildModel(data.sampleShape(), data.numClasses()));
            model.load(checkpoint, dev.assay.train.Checkpoints.PREFIX);
            ai.djl.training.ParameterStore parameters = new ai.djl.training.ParameterStore(manager, false);
            for (ai.djl.training.dataset.Batch batch : data.test().getData(manager)) {
                try (batch) {
                    float[] logits = model.getBlock().forward(parameters, batch.getData(), false)
                            .singletonOrThrow().toFloatArray();
                    float[] labels = batch.getLabels().singletonOrThrow().toType(
                            ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                    int classes = logits.length / labels.length;
                    for (int i = 0; i < labels.length; i++) {
                        double max = Double.NEGATIVE_INFINITY;
                        int best = 0;
                        for (int c = 0; c < classes; c++) {
                            if (logits[i * classes + c] > max) {
                                max = logits[i * classes + c];
                                best = c;
                            }
                        }
                        double z = 0;
                        for (int c = 0; c < classes; c++) {
                            z += Math.exp(logits[i * classes + c] - max);
                        }
                        int label = (int) labels[i];
                        lossSum += Math.log(z) + max - logits[i * classes + label];
                        correct += best == label ? 1 : 0;
                        confusion[label][best]++;
                        n++;
                    }
                }
            }
        }
        // the recorded values are the device-side sums read once at the end
        assertThat(n).isEqualTo(250);
        assertThat(outcome.metrics().get("test_loss")).isCloseTo(lossSum / n, org.assertj.core.api.Assertions.within(1e-5));
        assertThat(outcome.metrics().get("test_accuracy")).isEqualTo(correct / (double) n);
        assertThat(store.metric(outcome.runId(), "test_loss")).singleElement()
                .extracting(MetricPoint::value).isEqualTo(outcome.metrics().get("test_loss"));
        // the confusion matrix artifact counts the same arg-max predictions, rows by true class
        com.fasterxml.jackson.databind.JsonNode matrix = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                dir.resolve("artifacts").resolve(outcome.runId()).resolve("confusion_matrix.json").toFile());
        long[][] written = new long[10][10];
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                written[t][p] = matrix.get("counts").get(t).get(p).asLong();
            }
        }
        assertThat(written).isDeepEqualTo(confusion);
        assertThat(matrix.get("row_names").get(0).asText()).isEqualTo("T-shirt/top");
        assertThat(matrix.get("column_names").get(9).asText()).isEqualTo("Ankle boot");
        assertThat(store.run(outcome.runId()).orElseThrow().artifacts())
                .extracting(dev.assay.track.ArtifactRecord::path).contains("confusion_matrix.json");
    }

    @Test
    void sameSeedGivesTheSameMetrics() {
        List<TrialOutcome> twice = run(BASE + "sweep: {variants: {a: {}, b: {training.log_every_n_steps: 3}}}\n");
        assertThat(twice).extracting(TrialOutcome::status).containsOnly(RunStatus.COMPLETED);

        List<Double> first = values(twice.get(0).runId(), "val_loss");
        List<Double> second = values(twice.get(1).runId(), "val_loss");
        assertThat(first).hasSize(3).isEqualTo(second);
        assertThat(twice.get(0).metrics()).isEqualTo(twice.get(1).metrics());
    }

    @Test
    void differentSeedsGiveDifferentMetrics() {
        List<TrialOutcome> two = run(BASE + "sweep: {repeat: 2}\n");
        assertThat(two).extracting(o -> o.trial().seed()).containsExactly(7L, 8L);
        assertThat(values(two.get(0).runId(), "val_loss"))
                .isNotEqualTo(values(two.get(1).runId(), "val_loss"));
    }

    @Test
    void divergedTrialIsRecordedAndTheSweepGoesOn() {
        String yaml = BASE + """
                sweep:
                  parameters:
                    training.optimizer.learning_rate: [1.0e+30, 3.0e-3]
                """;
        List<TrialOutcome> outcomes = run(yaml.replace("name: adam", "name: sgd"));

        assertThat(outcomes).extracting(TrialOutcome::status)
                .containsExactly(RunStatus.DIVERGED, RunStatus.COMPLETED);
        RunRecord diverged = store.run(outcomes.get(0).runId()).orElseThrow();
        assertThat(diverged.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(diverged.errorMessage()).startsWith("the training loss became ");
        List<MetricPoint> batchLoss = store.metric(diverged.runId(), "batch_loss");
        assertThat(batchLoss.get(batchLoss.size() - 1).value()).matches(v -> !Double.isFinite(v));
        assertThat(diverged.metrics().get("batch_loss").nonFiniteCount()).isEqualTo(1);
    }

    @Test
    void failingTrialIsRecordedWithItsMessageAndTheSweepGoesOn() {
        String yaml = BASE.replace("task: classification", "task: classification") + """
                sweep:
                  variants:
                    broken: {task.name: exploding}
                    fine: {}
                """;
        List<TrialOutcome> outcomes = run(yaml, new ExplodingPlugin());

        assertThat(outcomes).extracting(TrialOutcome::status)
                .containsExactly(RunStatus.FAILED, RunStatus.COMPLETED);
        RunRecord failed = store.run(outcomes.get(0).runId()).orElseThrow();
        assertThat(failed.errorMessage())
                .isEqualTo("IllegalStateException: exploded on purpose at epoch 0");
        assertThat(store.runs("tiny")).extracting(RunRecord::status)
                .containsExactly(RunStatus.FAILED, RunStatus.COMPLETED);
    }

    @Test
    void aFinalCheckpointThatCannotBeWrittenFailsTheRunAfterItsTestIsRecorded() {
        // on a full artifacts disk the final checkpoint failed the trial before its test: a trial that had
        // trained every epoch lost its test metrics; now it tests, logs them, and its run says why it failed
        String yaml = BASE + """
                sweep:
                  variants:
                    blocked: {task.name: checkpoint-blocked}
                    fine: {}
                """;
        List<TrialOutcome> outcomes = run(yaml, new CheckpointBlockedPlugin());

        assertThat(outcomes).extracting(TrialOutcome::status).containsExactly(RunStatus.FAILED, RunStatus.COMPLETED);
        RunRecord blocked = store.run(outcomes.get(0).runId()).orElseThrow();
        Path checkpointDir = dir.resolve("artifacts").resolve(blocked.runId()).resolve("checkpoints");
        assertThat(blocked.errorMessage()).startsWith("IOException: could not write the checkpoint of epoch 3 under " + checkpointDir
                + " (FileAlreadyExistsException: ").endsWith("); its partial files were removed");
        // the test ran: its metrics are recorded, equal to the unblocked trial's (same seed, same training)
        double testAccuracy = blocked.metrics().get("test_accuracy").last();
        assertThat(testAccuracy).isBetween(0.4, 1.0)
                .isEqualTo(store.run(outcomes.get(1).runId()).orElseThrow().metrics().get("test_accuracy").last());
        assertThat(outcomes.get(0).metrics()).containsEntry("test_accuracy", testAccuracy);
        assertThat(store.metric(blocked.runId(), "val_loss")).extracting(MetricPoint::epoch).containsExactly(1, 2, 3);
    }

    /** Registers {@code checkpoint-blocked}: classification whose checkpoint directory cannot be created. */
    public static final class CheckpointBlockedPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerTask("checkpoint-blocked", CheckpointBlockedTask.class);
        }
    }

    /**
     * The classification task, with a file where the run's checkpoint directory goes: the writing
     * fails, as on a full disk (the 10 s checkpoint interval leaves only the final epoch's to write).
     */
    public static final class CheckpointBlockedTask implements TaskProvider {
        private final ClassificationTask task = new ClassificationTask();

        @Override
        public String description() {
            return "classification whose checkpoints cannot be written";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return task.parameters();
        }

        @Override
        public Map<String, dev.assay.plugin.MetricKind> metrics() {
            return task.metrics();
        }

        @Override
        public Class<? extends dev.assay.data.LoadedDataset> dataType() {
            return task.dataType();
        }

        @Override
        public Map<String, Double> run(Params params, TrialContext context) throws Exception {
            java.nio.file.Files.createDirectories(context.tracker().artifactDir());
            java.nio.file.Files.writeString(context.tracker().artifactDir().resolve("checkpoints"), "not a directory");
            return task.run(params, context);
        }
    }

    @Test
    void aDatasetProviderReturningNothingFailsTheTrialNamingIt() {
        // was "NullPointerException: Cannot invoke ... because "data" is null", naming no provider
        String yaml = BASE + """
                sweep:
                  variants:
                    empty: {dataset: {name: nothing, params: {}}}
                    fine: {}
                """;
        List<TrialOutcome> outcomes = run(yaml, new NothingPlugin());

        assertThat(outcomes).extracting(TrialOutcome::status).containsExactly(RunStatus.FAILED, RunStatus.COMPLETED);
        assertThat(outcomes.get(0).error()).isEqualTo("IllegalStateException: Dataset 'nothing' ("
                + NothingData.class.getName() + ") returned no data: its load() returned null");
    }

    @Test
    void aPluginBuildThatReturnsNullOrFailsBarelyFailsTheTrialNamingTheProvider() {
        // a plugin author's check: "You must set a block for the model before creating a new trainer" (DJL)
        // and a bare "IllegalStateException: no state", naming neither provider
        String yaml = BASE + """
                sweep:
                  variants:
                    nonet: {model: {architecture: nonet, params: {}}}
                    boom: {training.optimizer: {name: boom, learning_rate: 0.1}}
                    fine: {}
                """;
        List<TrialOutcome> outcomes = run(yaml, new BrokenBuildsPlugin());

        assertThat(outcomes).extracting(TrialOutcome::status)
                .containsExactly(RunStatus.FAILED, RunStatus.FAILED, RunStatus.COMPLETED);
        assertThat(outcomes.get(0).error()).isEqualTo("IllegalStateException: architecture 'nonet' ("
                + NoNet.class.getName() + ") returned null from build()");
        assertThat(outcomes.get(1).error()).isEqualTo("IllegalStateException: optimizer 'boom' ("
                + Boom.class.getName() + ") failed to build: IllegalStateException: no state");
    }

    @Test
    void l2PenaltyIsLoggedAndAStrongerOneShrinksTheWeights() {
        List<TrialOutcome> outcomes = run(BASE + """
                sweep:
                  parameters:
                    training.regularization.l2: [1.0e-4, 1.0e-1]
                """);
        assertThat(outcomes).extracting(TrialOutcome::status).containsOnly(RunStatus.COMPLETED);

        double[] sumOfSquares = new double[2];
        for (int i = 0; i < 2; i++) {
            String runId = outcomes.get(i).runId();
            List<Double> penalty = values(runId, "penalty");
            List<Double> trainLoss = values(runId, "train_loss");
            List<Double> objective = values(runId, "train_objective");
            assertThat(penalty).hasSize(3).allMatch(p -> p > 0);
            for (int e = 0; e < 3; e++) {
                assertThat(objective.get(e)).isCloseTo(trainLoss.get(e) + penalty.get(e),
                        org.assertj.core.api.Assertions.within(1e-9));
            }
            double lambda = i == 0 ? 1.0e-4 : 1.0e-1;
            sumOfSquares[i] = 2 * penalty.get(2) / lambda;
        }
        // Σw² after training: the strong penalty keeps the weights much smaller.
        assertThat(sumOfSquares[1]).isLessThan(sumOfSquares[0] / 2);
        assertThat(store.metricKeys(outcomes.get(0).runId())).contains("penalty");
    }

    @Test
    void everyOptimizerAndScheduleLowersTheLoss() {
        List<TrialOutcome> outcomes = run(BASE + """
                sweep:
                  variants:
                    sgd: {training.optimizer: {name: sgd, learning_rate: 0.1}}
                    momentum: {training.optimizer: {name: momentum, learning_rate: 0.05,
                               schedule: {name: step, step_epochs: 1, gamma: 0.5}}}
                    nesterov: {training.optimizer: {name: nesterov, learning_rate: 0.05}}
                    rmsprop: {training.optimizer: {name: rmsprop, learning_rate: 1.0e-3}}
                    adam: {training.optimizer: {name: adam, learning_rate: 3.0e-3, schedule: cosine}}
                    adamw: {training.optimizer: {name: adamw, learning_rate: 3.0e-3, weight_decay: 0.01}}
                    adagrad: {training.optimizer: {name: adagrad, learning_rate: 0.05}}
                    adadelta: {training.optimizer: {name: adadelta}}
                """);
        assertThat(outcomes).hasSize(8).extracting(TrialOutcome::status)
                .containsOnly(RunStatus.COMPLETED);
        for (TrialOutcome o : outcomes) {
            double first = values(o.runId(), "batch_loss").get(0);
            double last = values(o.runId(), "train_loss").get(2);
            assertThat(last).as(o.trial().variant()).isLessThan(first);
        }
        // The step schedule halves the learning rate after each epoch (7 steps per epoch).
        List<MetricPoint> lr = store.metric(outcomes.get(1).runId(), "learning_rate");
        assertThat(lr.get(0).value()).isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-7));
        assertThat(lr.stream().filter(p -> p.step() == 8).findFirst().orElseThrow().value())
                .isCloseTo(0.025, org.assertj.core.api.Assertions.within(1e-7));
    }

    @Test
    void adadeltaHasNoLearningRateToRecordLogOrSweep() {
        // it logged a learning_rate following a schedule it ignored, recorded both as params, and a grid over
        // learning rates ran one identical trial per rate
        List<TrialOutcome> outcomes = run(BASE.replace("epochs: 3", "epochs: 1") + """
                sweep:
                  parameters:
                    training.optimizer.learning_rate: [1.0, 1.0e-3]
                    training.optimizer.schedule: [constant, cosine]
                """.replace("sweep:", "sweep:\n  variants: {adadelta: {training.optimizer.name: adadelta}}"));
        assertThat(outcomes).hasSize(1);
        TrialOutcome o = outcomes.get(0);
        assertThat(o.status()).isEqualTo(RunStatus.COMPLETED);
        RunRecord run = store.run(o.runId()).orElseThrow();
        assertThat(run.params()).containsEntry("training.optimizer.name", "adadelta")
                .doesNotContainKeys("training.optimizer.learning_rate", "training.optimizer.schedule.name");
        assertThat(store.metricKeys(o.runId())).contains("batch_loss", "train_loss").doesNotContain("learning_rate");
    }

    @Test
    void noPenaltyMeansNoPenaltyMetrics() {
        String runId = run(BASE).get(0).runId();
        assertThat(store.metricKeys(runId)).doesNotContain("penalty", "train_objective")
                .contains("train_loss", "val_loss", "val_accuracy", "train_accuracy",
                        "batch_loss", "learning_rate", "epoch_time_s", "samples_per_s",
                        "test_loss", "test_accuracy");
    }

    private List<Double> values(String runId, String key) {
        return store.metric(runId, key).stream().map(MetricPoint::value).toList();
    }

    /** A dataset whose provider returns null. */
    public static final class NothingPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerDataset("nothing", NothingData.class);
        }
    }

    /** A test provider without parameters, described by its class name. */
    public abstract static class NoParameters implements dev.assay.plugin.PluginProvider {
        @Override
        public String description() {
            return getClass().getSimpleName();
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of();
        }
    }

    /** An architecture whose build() returns null and an optimizer whose build() fails with a bare message. */
    public static final class BrokenBuildsPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerArchitecture("nonet", NoNet.class);
            registerOptimizer("boom", Boom.class);
        }
    }

    /** Builds nothing. */
    public static final class NoNet extends NoParameters implements dev.assay.plugin.ArchitectureProvider {

        @Override
        public ai.djl.nn.Block build(Params params, ai.djl.ndarray.types.Shape sampleShape, int outputs) {
            return null;
        }
    }

    /** Fails to build, with a message that names nothing. */
    public static final class Boom extends NoParameters implements dev.assay.plugin.OptimizerProvider {

        @Override
        public ai.djl.training.optimizer.Optimizer build(Params params, dev.assay.plugin.OptimizerSettings settings) {
            throw new IllegalStateException("no state");
        }
    }

    /** Returns no data at all. */
    public static final class NothingData extends NoParameters implements dev.assay.plugin.DatasetProvider {

        @Override
        public dev.assay.data.LoadedDataset load(Params params, dev.assay.data.DatasetContext context) {
            return null;
        }
    }

    /** A task that fails after logging one point, to check failures are recorded. */
    public static final class ExplodingPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerTask("exploding", ExplodingTask.class);
        }
    }

    /** Logs one point, then throws. */
    public static final class ExplodingTask implements TaskProvider {
        @Override
        public String description() {
            return "fails on purpose";
        }

        @Override
        public List<ParamDescriptor> parameters() {
            return List.of();
        }

        @Override
        public Map<String, Double> run(Params params, TrialContext context) {
            context.tracker().logMetric("batch_loss", 0, 0, 1.0);
            throw new IllegalStateException("exploded on purpose at epoch 0");
        }
    }
}
