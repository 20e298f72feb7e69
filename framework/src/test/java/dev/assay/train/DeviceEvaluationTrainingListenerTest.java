package dev.assay.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.assay.track.RunTracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceEvaluationTrainingListenerTest {

    /** 100 samples in batches of 32: the last batch has 4, so batch and sample weights differ. */
    private static final int SAMPLES = 100;
    private static final int BATCH = 32;

    private NDManager manager;
    private ArrayDataset train;
    private ArrayDataset validation;

    @BeforeEach
    void data() {
        manager = NDManager.newBaseManager();
        train = dataset(SAMPLES, 1);
        validation = dataset(40, 2);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private ArrayDataset dataset(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) random.nextGaussian();
            }
            y[i] = random.nextInt(3);
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new Shape(n, 4)))
                .optLabels(manager.create(y, new Shape(n)))
                .setSampling(BATCH, false)
                .build();
    }

    private static Model model() {
        Engine.getInstance().setRandomSeed(7);
        Model model = Model.newInstance("device-evaluation");
        model.setBlock(Linear.builder().setUnits(3).build());
        return model;
    }

    private static DefaultTrainingConfig config(Loss loss) {
        return new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build());
    }

    @Test
    void epochResultsAndPerBatchObjectiveEqualDjlsHostSideEvaluators() throws Exception {
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(
                BatchMetric.meanOfBatches(loss), BatchMetric.accuracy("accuracy")));
        EvaluatorTrainingListener djl = new EvaluatorTrainingListener();
        List<Map<String, Float>> deviceEpochs = new ArrayList<>();
        List<Map<String, Float>> djlEpochs = new ArrayList<>();
        List<Float> djlPerBatch = new ArrayList<>();
        List<Float> drained = new ArrayList<>();
        TrainingListenerAdapter capture = new TrainingListenerAdapter() {
            @Override
            public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                djlPerBatch.add(trainer.getLoss().getAccumulator(EvaluatorTrainingListener.TRAIN_ALL));
            }

            @Override
            public void onEpoch(Trainer trainer) {
                deviceEpochs.add(device.latestEvaluations());
                djlEpochs.add(new LinkedHashMap<>(djl.getLatestEvaluations()));
                for (float v : device.drainObjective()) {
                    drained.add(v);
                }
            }
        };
        try (Model model = model();
                Trainer trainer = model.newTrainer(config(loss).addEvaluator(new Accuracy("accuracy"))
                        .addTrainingListeners(djl, device, capture))) {
            trainer.initialize(new Shape(BATCH, 4));
            EasyTrain.fit(trainer, 2, train, validation);
        }
        assertThat(deviceEpochs).hasSize(2);
        for (int e = 0; e < 2; e++) {
            for (String key : List.of("train_cross_entropy", "train_accuracy", "validate_cross_entropy",
                    "validate_accuracy")) {
                assertThat(deviceEpochs.get(e).get(key)).as("epoch %d %s", e + 1, key)
                        .isCloseTo(djlEpochs.get(e).get(key), within(1e-6f));
            }
        }
        // 4 batches per epoch, the objective of each read back at the end of its epoch
        assertThat(drained).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(drained.get(i)).as("batch %d", i + 1).isCloseTo(djlPerBatch.get(i), within(1e-6f));
        }
        // a real learning signal, not constants: the first epoch's accuracy is a fraction of 100
        float acc = deviceEpochs.get(0).get("train_accuracy");
        assertThat(acc * SAMPLES).isCloseTo(Math.round(acc * SAMPLES), within(1e-3f));
        assertThat(deviceEpochs.get(1).get("train_cross_entropy"))
                .isLessThan(deviceEpochs.get(0).get("train_cross_entropy"));
    }

    @Test
    void validationResultsAreNanWithoutValidationBatchesAndAccumulatorsResetEachEpoch() throws Exception {
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(
                BatchMetric.meanOfBatches(loss)));
        List<Float> epochLoss = new ArrayList<>();
        List<Float> meanOfDrained = new ArrayList<>();
        TrainingListenerAdapter capture = new TrainingListenerAdapter() {
            @Override
            public void onEpoch(Trainer trainer) {
                assertThat(device.latestEvaluations().get("validate_cross_entropy")).isNaN();
                epochLoss.add(device.latestEvaluations().get("train_cross_entropy"));
                float[] values = device.drainObjective();
                double sum = 0;
                for (float v : values) {
                    sum += v;
                }
                meanOfDrained.add((float) (sum / values.length));
            }
        };
        try (Model model = model();
                Trainer trainer = model.newTrainer(config(loss).addTrainingListeners(device, capture))) {
            trainer.initialize(new Shape(BATCH, 4));
            EasyTrain.fit(trainer, 3, train, null);
        }
        // each epoch's loss is the mean of that epoch's batches only (reset between epochs)
        for (int e = 0; e < 3; e++) {
            assertThat(epochLoss.get(e)).isCloseTo(meanOfDrained.get(e), within(1e-5f));
        }
        assertThat(epochLoss.get(2)).isLessThan(epochLoss.get(0));
    }

    @Test
    void meanOfExamplesWeighsEachBatchByItsSize() throws Exception {
        // a loss whose evaluate is the batch's sum: the epoch value is total over examples
        Loss summed = new Loss("summed") {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                return predictions.head().sum();
            }
        };
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(
                BatchMetric.meanOfBatches(loss), BatchMetric.meanOfExamples(summed)));
        List<Double> hostSums = new ArrayList<>();
        float[] result = new float[1];
        TrainingListenerAdapter capture = new TrainingListenerAdapter() {
            @Override
            public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                NDList predictions = batchData.getPredictions().values().iterator().next();
                hostSums.add((double) predictions.head().sum().getFloat());
            }

            @Override
            public void onEpoch(Trainer trainer) {
                result[0] = device.latestEvaluations().get("train_summed");
            }
        };
        try (Model model = model();
                Trainer trainer = model.newTrainer(config(loss).addTrainingListeners(device, capture))) {
            trainer.initialize(new Shape(BATCH, 4));
            EasyTrain.fit(trainer, 1, train, null);
        }
        double total = hostSums.stream().mapToDouble(Double::doubleValue).sum();
        assertThat(result[0]).isCloseTo((float) (total / SAMPLES), within(1e-4f));
    }

    @Test
    void meanPerExampleWeighsEachBatchMeanByItsExamplesSoAShortLastBatchCountsLess() throws Exception {
        // train_loss and val_loss were the mean of batch means: the last batch of 4 (100 = 3 × 32 + 4) weighed as
        // much as a batch of 32 (found by a fresh-clone check: val_loss 0.959 against 0.974 per example)
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(
                BatchMetric.meanPerExample(loss), BatchMetric.meanOfBatches(new Loss("per_batch") {
                    @Override
                    public NDArray evaluate(NDList labels, NDList predictions) {
                        return loss.evaluate(labels, predictions);
                    }
                })));
        List<double[]> batchMeans = new ArrayList<>(); // {mean, examples}
        float[] result = new float[2];
        TrainingListenerAdapter capture = new TrainingListenerAdapter() {
            @Override
            public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                NDList labels = batchData.getLabels().values().iterator().next();
                NDList predictions = batchData.getPredictions().values().iterator().next();
                batchMeans.add(new double[] {loss.evaluate(labels, predictions).getFloat(),
                    labels.head().getShape().get(0)});
            }

            @Override
            public void onEpoch(Trainer trainer) {
                result[0] = device.latestEvaluations().get("train_cross_entropy");
                result[1] = device.latestEvaluations().get("train_per_batch");
            }
        };
        try (Model model = model();
                Trainer trainer = model.newTrainer(config(loss).addTrainingListeners(device, capture))) {
            trainer.initialize(new Shape(BATCH, 4));
            EasyTrain.fit(trainer, 1, train, null);
        }
        assertThat(batchMeans).extracting(b -> (int) b[1]).containsExactly(32, 32, 32, 4);
        double perExample = batchMeans.stream().mapToDouble(b -> b[0] * b[1]).sum() / SAMPLES;
        double ofBatches = batchMeans.stream().mapToDouble(b -> b[0]).average().orElseThrow();
        assertThat(result[0]).isCloseTo((float) perExample, within(1e-5f));
        assertThat(result[1]).isCloseTo((float) ofBatches, within(1e-5f));
        assertThat(Math.abs(perExample - ofBatches)).isGreaterThan(1e-4); // the two rules differ on these batches
    }

    @Test
    void trackingListenerLogsTheFirstNonFiniteStepAndStopsAtTheNextRead() throws Exception {
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        int[] batches = {0};
        BatchMetric poisoned = BatchMetric.of("cross_entropy", (labels, predictions) -> {
            NDArray value = loss.evaluate(labels, predictions);
            return ++batches[0] == 7 ? value.mul(Float.NaN) : value;
        }, (labels, predictions) -> 1);
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(poisoned));
        RecordingTracker tracker = new RecordingTracker();
        TrackingTrainingListener tracking = new TrackingTrainingListener(tracker, TrainingProgress.NONE, device,
                ai.djl.training.tracker.Tracker.fixed(0.5f), new TrackingTrainingListener.Settings(5, 4, 5,
                        Map.of("train_cross_entropy", "train_loss"), false, null));
        try (Model model = model();
                Trainer trainer = model.newTrainer(config(loss).addTrainingListeners(device, tracking))) {
            trainer.initialize(new Shape(BATCH, 4));
            assertThatThrownBy(() -> {
                for (int epoch = 1; epoch <= 5; epoch++) {
                    for (Batch batch : trainer.iterateDataset(train)) {
                        try (batch) {
                            EasyTrain.trainBatch(trainer, batch);
                            trainer.step();
                        }
                    }
                    trainer.notifyListeners(listener -> listener.onEpoch(trainer));
                }
            }).isInstanceOf(TrainingDivergedException.class)
                    .hasMessage("the training loss became NaN at step 7 (epoch 2)");
        }
        // read back at step 1, at the end of epoch 1 (steps 2-4, not logged), at step 5, and at the
        // end of epoch 2 (steps 6-8), where the NaN of step 7 is found and logged at its own step
        assertThat(tracker.steps("batch_loss")).containsExactly(1L, 5L, 7L);
        assertThat(tracker.values("batch_loss").get(2)).isNaN();
        // the learning rate goes with every logged loss, the diverging one too (it stopped at step 5)
        assertThat(tracker.steps("learning_rate")).containsExactly(1L, 5L, 7L);
        assertThat(tracker.values("learning_rate")).containsOnly(0.5);
        assertThat(tracker.values("batch_loss").subList(0, 2)).allSatisfy(v -> assertThat(v).isFinite());
        assertThat(tracker.steps("train_loss")).containsExactly(4L);
        assertThat(batches[0]).isEqualTo(8);
    }

    /**
     * Trains 3 epochs whose first validation batch (the metric's fifth call: four training batches,
     * then two validation batches) is multiplied by {@code poison}, with the cross-entropy logged
     * under the given names, and checks that training ends as diverged with {@code message}.
     *
     * @return the tracker, and the metric's number of calls in {@code calls[0]}
     */
    private RecordingTracker divergesAtValidation(float poison, String trainName, String valName, String message,
            int[] calls) throws Exception {
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        BatchMetric poisoned = BatchMetric.of("cross_entropy", (labels, predictions) -> {
            NDArray value = loss.evaluate(labels, predictions);
            return ++calls[0] == 5 ? value.mul(poison) : value;
        }, (labels, predictions) -> 1);
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(poisoned));
        RecordingTracker tracker = new RecordingTracker();
        TrackingTrainingListener tracking = new TrackingTrainingListener(tracker, TrainingProgress.NONE, device,
                null, new TrackingTrainingListener.Settings(3, 4, 1, Map.of("train_cross_entropy", trainName,
                        "validate_cross_entropy", valName), true, null));
        try (Model model = model();
                Trainer trainer = model.newTrainer(config(loss).addTrainingListeners(device, tracking))) {
            trainer.initialize(new Shape(BATCH, 4));
            assertThatThrownBy(() -> EasyTrain.fit(trainer, 3, train, validation))
                    .isInstanceOf(TrainingDivergedException.class).hasMessage(message);
        }
        return tracker;
    }

    @Test
    void aNonFiniteLossLikeEpochMetricOfAnotherNameEndsTrainingAsDivergedToo() throws Exception {
        // found by a new-user check: a plugin regression task's val_mse of NaN ended "completed", as only
        // val_loss and train_loss were checked
        RecordingTracker tracker = divergesAtValidation(Float.NaN, "train_mse", "val_mse",
                "the epoch metric (val_mse) became NaN at the end of epoch 1 (step 4)", new int[1]);
        assertThat(tracker.values("val_mse").get(0)).isNaN();
    }

    @Test
    void aNonFiniteValidationLossEndsTrainingAsDivergedAfterTheEpochsMetricsAreLogged() throws Exception {
        int[] calls = {0};
        RecordingTracker tracker = divergesAtValidation(Float.POSITIVE_INFINITY, "train_loss", "val_loss",
                "the validation loss (val_loss) became Infinity at the end of epoch 1 (step 4)", calls);
        assertThat(tracker.steps("val_loss")).containsExactly(4L);
        assertThat(tracker.values("val_loss").get(0)).isInfinite();
        assertThat(tracker.values("train_loss")).singleElement().satisfies(v -> assertThat(v).isFinite());
        assertThat(tracker.steps("batch_loss")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(calls[0]).isEqualTo(6);
    }

    @Test
    void epochMetricsGivenWithoutAnOrderAreLoggedInNameOrderAndAnOrderedMapKeepsItsOrder() {
        // found by a new-user check: the reconstruction task's Map.of printed val_loss before
        // train_loss in some processes and after it in others
        Map<String, String> unordered = new java.util.HashMap<>();
        for (String name : List.of("validate_mse", "train_mse", "validate_mae", "train_mae")) {
            unordered.put(name, name.replace("validate_", "val_"));
        }
        assertThat(new TrackingTrainingListener.Settings(1, 4, 1, unordered, true, null).epochMetricNames())
                .containsExactly(Map.entry("train_mae", "train_mae"), Map.entry("train_mse", "train_mse"),
                        Map.entry("validate_mae", "val_mae"), Map.entry("validate_mse", "val_mse"));
        Map<String, String> ordered = new java.util.LinkedHashMap<>();
        ordered.put("validate_mse", "val_loss");
        ordered.put("train_mse", "train_loss");
        assertThat(new TrackingTrainingListener.Settings(1, 4, 1, ordered, true, null).epochMetricNames().keySet())
                .containsExactly("validate_mse", "train_mse");
    }

    @Test
    void floatValuesAreLoggedAsTheDecimalTheyDenote() throws Exception {
        // 0.001f widened to double is 0.0010000000474974513: the logged learning rate did not equal
        // the param 0.001 it came from
        Loss loss = new RecordingLoss(Loss.softmaxCrossEntropyLoss("cross_entropy"));
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(
                BatchMetric.meanOfBatches(loss)));
        RecordingTracker tracker = new RecordingTracker();
        TrackingTrainingListener tracking = new TrackingTrainingListener(tracker, TrainingProgress.NONE, device,
                Tracker.fixed(0.001f), new TrackingTrainingListener.Settings(1, 4, 1,
                        Map.of("train_cross_entropy", "train_loss"), false, null));
        try (Model model = model();
                Trainer trainer = model.newTrainer(config(loss).addTrainingListeners(device, tracking))) {
            trainer.initialize(new Shape(BATCH, 4));
            EasyTrain.fit(trainer, 1, train, null);
        }
        assertThat(tracker.values("learning_rate")).hasSize(4).containsOnly(0.001);
        for (String metric : List.of("batch_loss", "train_loss")) {
            assertThat(tracker.values(metric)).isNotEmpty().allSatisfy(v ->
                    assertThat(v).isEqualTo(Double.parseDouble(Float.toString((float) (double) v))));
        }
        assertThat(TrackingTrainingListener.decimal(Float.NaN)).isNaN();
        assertThat(TrackingTrainingListener.decimal(Float.NEGATIVE_INFINITY)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void trackingListenerLogsEachLoggedStepOneReadLateWithItsOwnStepAndTheRestAtTheEpochsEnd()
            throws Exception {
        Loss loss = new RecordingLoss(Loss.softmaxCrossEntropyLoss("cross_entropy"));
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(
                BatchMetric.meanOfBatches(loss), BatchMetric.accuracy("accuracy")));
        RecordingTracker tracker = new RecordingTracker();
        // log every step: each step's loss is read at the next step, the last one at the epoch's end
        TrackingTrainingListener tracking = new TrackingTrainingListener(tracker, TrainingProgress.NONE, device,
                Tracker.fixed(0.5f), new TrackingTrainingListener.Settings(2, 4, 1,
                        Map.of("train_cross_entropy", "train_loss"), false, null));
        EvaluatorTrainingListener djl = new EvaluatorTrainingListener();
        List<Float> djlPerBatch = new ArrayList<>();
        List<List<Long>> loggedAfterStep = new ArrayList<>();
        List<List<Long>> loggedAfterEpoch = new ArrayList<>();
        TrainingListenerAdapter capture = new TrainingListenerAdapter() {
            @Override
            public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                djlPerBatch.add(trainer.getLoss().getAccumulator(EvaluatorTrainingListener.TRAIN_ALL));
                loggedAfterStep.add(tracker.steps("batch_loss"));
            }

            @Override
            public void onEpoch(Trainer trainer) {
                loggedAfterEpoch.add(tracker.steps("batch_loss"));
            }
        };
        try (Model model = model();
                Trainer trainer = model.newTrainer(config(loss).addTrainingListeners(djl, device, tracking,
                        capture))) {
            trainer.initialize(new Shape(BATCH, 4));
            EasyTrain.fit(trainer, 2, train, null);
        }
        assertThat(loggedAfterStep).containsExactly(List.of(), List.of(1L), List.of(1L, 2L),
                List.of(1L, 2L, 3L), List.of(1L, 2L, 3L, 4L), List.of(1L, 2L, 3L, 4L, 5L),
                List.of(1L, 2L, 3L, 4L, 5L, 6L), List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L));
        assertThat(loggedAfterEpoch).containsExactly(List.of(1L, 2L, 3L, 4L),
                List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L));
        // each point is its own step's loss, not the loss of the step at which it was read
        List<Double> values = tracker.values("batch_loss");
        for (int i = 0; i < 8; i++) {
            assertThat(values.get(i)).as("step %d", i + 1).isCloseTo(djlPerBatch.get(i), within(1e-6));
        }
        assertThat(djlPerBatch.get(0)).isNotCloseTo(djlPerBatch.get(1), within(1e-4f));
        assertThat(tracker.steps("learning_rate")).isEqualTo(tracker.steps("batch_loss"));
    }

    @Test
    void deferredReadsReturnEachBatchOnceOneReadLateAndTheTotalsOfWhatWasRead() {
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        List<BatchMetric> metrics = List.of(BatchMetric.meanOfBatches(loss), BatchMetric.accuracy("accuracy"));
        DeviceMetricSums deferred = new DeviceMetricSums(metrics, true);
        DeviceMetricSums direct = new DeviceMetricSums(metrics, true);
        Random random = new Random(3);
        List<Float> directValues = new ArrayList<>();
        List<List<Float>> deferredReads = new ArrayList<>();
        try (NDManager owner = manager.newSubManager()) {
            for (int b = 0; b < 5; b++) {
                NDList yHat = randomLogits(owner, random, 8, 3); // drawn first, as before
                NDList y = randomLabels(owner, random, 8, 3);
                deferred.addBatch(y, yHat, owner);
                direct.addBatch(y, yHat, owner);
                directValues.addAll(direct.read());
                if (b == 2 || b == 3) { // reads after batches 3 and 4: nothing, then batches 1-3
                    deferredReads.add(deferred.readDeferred());
                }
            }
            assertThat(deferredReads.get(0)).isEmpty();
            assertThat(deferredReads.get(1)).containsExactlyElementsOf(directValues.subList(0, 3));
            double lossAfterThree = directValues.subList(0, 3).stream().mapToDouble(Float::doubleValue).sum();
            assertThat(deferred.mean(0) * 3).isCloseTo(lossAfterThree, within(1e-5));
            assertThat(deferred.read()).containsExactlyElementsOf(directValues.subList(3, 5));
            assertThat(deferred.mean(0)).isCloseTo(direct.mean(0), within(1e-9));
            assertThat(deferred.mean(1)).isCloseTo(direct.mean(1), within(1e-9));
            assertThat(direct.mean(1) * 40).isCloseTo(Math.round(direct.mean(1) * 40), within(1e-9));
            deferred.addBatch(new NDList(owner.create(new float[] {0})),
                    new NDList(owner.create(new float[] {0, 1, 0}, new Shape(1, 3))), owner);
            assertThat(deferred.readDeferred()).isEmpty();
            deferred.discard(); // frees the queued transfer without reading it
            assertThat(deferred.read()).isEmpty();
            assertThat(deferred.mean(1)).isCloseTo(direct.mean(1), within(1e-9));
        }
    }

    /** Gaussian logits {@code (n, classes)}. */
    private static NDList randomLogits(NDManager owner, Random random, int n, int classes) {
        float[] logits = new float[n * classes];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        return new NDList(owner.create(logits, new Shape(n, classes)));
    }

    /** Uniform class indices {@code (n)}, as floats. */
    private static NDList randomLabels(NDManager owner, Random random, int n, int classes) {
        float[] labels = new float[n];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new NDList(owner.create(labels));
    }

    @Test
    void deferredReadsLeaveTheKeptBatchesAccuracyToTheFullReadUnlessTheyReachABound() {
        // evaluating the kept batches at every deferred read (every log_every_n_steps steps) cost the
        // MLP benchmark's step about 2 ms a read; the training accuracy is needed once an epoch
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        List<BatchMetric> metrics = List.of(BatchMetric.meanOfBatches(loss), BatchMetric.accuracy("accuracy"));
        DeviceMetricSums deferred = new DeviceMetricSums(metrics, true);
        DeviceMetricSums direct = new DeviceMetricSums(metrics, true);
        Random random = new Random(5);
        try (NDManager owner = manager.newSubManager()) {
            int batches = DeviceMetricSums.MAX_PENDING + 3;
            for (int b = 0; b < batches; b++) {
                NDList yHat = randomLogits(owner, random, 4, 3); // drawn first, as before
                NDList y = randomLabels(owner, random, 4, 3);
                deferred.addBatch(y, yHat, owner);
                direct.addBatch(y, yHat, owner);
                direct.read();
                if (b == 1 || b == 3) {
                    deferred.readDeferred();
                    // the loss of the batches read so far is in, the accuracy of none of them
                    assertThat(deferred.mean(1)).as("after batch %d", b).isNaN();
                }
                if (b == 9) {
                    assertThat(deferred.readDeferred()).hasSize(2); // batches 2-3, queued at batch 3: the objective goes on
                    assertThat(deferred.mean(0)).isNotNaN();
                    assertThat(deferred.mean(1)).isNaN();
                    assertThat(deferred.full()).isFalse();
                }
            }
            // MAX_PENDING kept batches: full() asks for a read, and the deferred read then takes the
            // accuracy too (it arrives one read late, as the objective does)
            assertThat(deferred.full()).isTrue();
            deferred.readDeferred();
            assertThat(deferred.full()).isFalse();
            deferred.readDeferred();
            assertThat(deferred.mean(1)).isNotNaN();
            deferred.read();
            assertThat(deferred.mean(0)).isCloseTo(direct.mean(0), within(1e-9));
            assertThat(deferred.mean(1)).isCloseTo(direct.mean(1), within(1e-12));
            assertThat(direct.mean(1) * batches * 4).isCloseTo(Math.round(direct.mean(1) * batches * 4), within(1e-9));
        }
    }

    @Test
    void aRecordingLossIsEvaluatedOnceATrainingBatchAndGivesTheSameResults() throws Exception {
        int[] calls = {0};
        Loss counted = new Loss("cross_entropy") {
            private final Loss inner = Loss.softmaxCrossEntropyLoss("cross_entropy");

            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                calls[0]++;
                return inner.evaluate(labels, predictions);
            }
        };
        Map<String, Float> recorded = runTwoEpochs(new RecordingLoss(counted));
        // 2 epochs × (4 training batches, computed once for backward and reused; 2 validation
        // batches, computed by the metric)
        assertThat(calls[0]).isEqualTo(2 * (4 + 2));
        calls[0] = 0;
        Map<String, Float> plain = runTwoEpochs(counted);
        assertThat(calls[0]).isEqualTo(2 * (4 + 4 + 2));
        assertThat(recorded).containsOnlyKeys(plain.keySet());
        plain.forEach((k, v) -> assertThat(recorded.get(k)).as(k).isCloseTo(v, within(1e-6f)));
    }

    /** The second epoch's results of a fresh model trained 2 epochs with {@code loss}. */
    private Map<String, Float> runTwoEpochs(Loss loss) throws Exception {
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(
                BatchMetric.meanOfBatches(loss), BatchMetric.accuracy("accuracy")));
        try (Model model = model();
                Trainer trainer = model.newTrainer(config(loss).addTrainingListeners(device))) {
            trainer.initialize(new Shape(BATCH, 4));
            EasyTrain.fit(trainer, 2, train, validation);
        }
        return device.latestEvaluations();
    }

    @Test
    void accuracyCountsArgmaxHitsAgainstSparseAndOneHotLabels() {
        NDList predictions = new NDList(manager.create(new float[] {0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f},
                new Shape(3, 2)));
        NDList sparse = new NDList(manager.create(new float[] {1, 1, 1}));
        NDList oneHot = new NDList(manager.create(new float[] {0, 1, 0, 1, 1, 0}, new Shape(3, 2)));
        BatchMetric accuracy = BatchMetric.accuracy("accuracy");
        assertThat(accuracy.batchSum(sparse, predictions).toType(ai.djl.ndarray.types.DataType.INT64, false)
                .getLong()).isEqualTo(2);
        assertThat(accuracy.batchCount(sparse, predictions)).isEqualTo(3);
        // one-hot rows: class 1, class 1, class 0; predicted 1, 0, 1: one hit
        assertThat(accuracy.batchSum(oneHot, predictions).toType(ai.djl.ndarray.types.DataType.INT64, false)
                .getLong()).isEqualTo(1);
        assertThat(accuracy.batchCount(oneHot, predictions)).isEqualTo(3);
    }

    @Test
    void aMetricSummedOverExamplesIsEvaluatedOncePerGroupOfBatchesWithTheSameResults() throws Exception {
        int[] calls = {0};
        BatchMetric counted = countedAccuracy(calls, true);
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        int[] reads = {0};
        Map<String, Float> grouped = runTwoEpochs(loss, counted, reads);
        // per epoch: the 4 training batches read after batch 2 and at the epoch end (2 groups of
        // 2), the 2 validation batches at the epoch end (1 group)
        assertThat(reads[0]).isEqualTo(4);
        assertThat(calls[0]).isEqualTo(2 * (2 + 1));
        calls[0] = 0;
        BatchMetric perBatch = countedAccuracy(calls, false);
        Map<String, Float> single = runTwoEpochs(loss, perBatch, new int[1]);
        assertThat(calls[0]).isEqualTo(2 * (4 + 2));
        assertThat(grouped).containsOnlyKeys(single.keySet());
        single.forEach((k, v) -> assertThat(grouped.get(k)).as(k).isCloseTo(v, within(1e-6f)));
        // 100 training and 40 validation examples: the accuracies are those fractions
        assertThat(grouped.get("train_accuracy") * SAMPLES).isCloseTo(
                Math.round(grouped.get("train_accuracy") * SAMPLES), within(1e-3f));
        assertThat(grouped.get("validate_accuracy") * 40).isCloseTo(
                Math.round(grouped.get("validate_accuracy") * 40), within(1e-3f));
    }

    /** Accuracy that counts its evaluations in {@code calls[0]}. */
    private static BatchMetric countedAccuracy(int[] calls, boolean sumsOverExamples) {
        BatchMetric accuracy = BatchMetric.accuracy("accuracy");
        return BatchMetric.of("accuracy", (labels, predictions) -> {
            calls[0]++;
            return accuracy.batchSum(labels, predictions);
        }, accuracy::batchCount, sumsOverExamples);
    }

    /**
     * Two epochs of a fresh model with the loss and {@code metric}; the objective is drained after
     * every second training batch ({@code reads} counts the drains that found batches).
     */
    private Map<String, Float> runTwoEpochs(Loss loss, BatchMetric metric, int[] reads) throws Exception {
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(
                BatchMetric.meanOfBatches(loss), metric));
        int[] batches = {0};
        TrainingListenerAdapter drain = new TrainingListenerAdapter() {
            @Override
            public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                if (++batches[0] % 2 == 0 && device.drainObjective().length > 0) {
                    reads[0]++;
                }
            }
        };
        try (Model model = model();
                Trainer trainer = model.newTrainer(config(loss).addTrainingListeners(device, drain))) {
            trainer.initialize(new Shape(BATCH, 4));
            EasyTrain.fit(trainer, 2, train, validation);
        }
        return device.latestEvaluations();
    }

    @Test
    void keptBatchesOfAnotherShapeOrAboveTheByteLimitAreEvaluatedRightAndOwnersKeepTheirArrays()
            throws Exception {
        int[] calls = {0};
        BatchMetric counted = countedAccuracy(calls, true);
        BatchMetric objective = BatchMetric.of("objective", (labels, predictions) -> predictions.head().sum(),
                (labels, predictions) -> 1);
        DeviceEvaluationTrainingListener device = new DeviceEvaluationTrainingListener(List.of(objective, counted));
        // rows above the byte limit alone: (rows, 4096) float32
        int big = (int) (DeviceMetricSums.MAX_KEPT_BYTES / (4096 * 4)) + 1;
        Random random = new Random(3);
        long correct = 0;
        long examples = 0;
        NDArray ownedElsewhere;
        NDArray keptPrediction = null;
        try (Model model = model(); Trainer trainer = model.newTrainer(config(Loss.l2Loss()))) {
            trainer.initialize(new Shape(BATCH, 4));
            // 3 classes, 3 classes, then 5 classes (another shape), then a batch above the limit
            int[][] batches = {{6, 3}, {2, 3}, {4, 5}, {big, 4096}, {3, 5}};
            ownedElsewhere = null;
            for (int[] b : batches) {
                int rows = b[0];
                int classes = b[1];
                float[] logits = new float[rows * classes];
                float[] labels = new float[rows];
                for (int r = 0; r < rows; r++) {
                    int best = 0;
                    for (int c = 0; c < classes; c++) {
                        logits[r * classes + c] = random.nextFloat();
                        if (logits[r * classes + c] > logits[r * classes + best]) {
                            best = c;
                        }
                    }
                    labels[r] = random.nextInt(classes);
                    correct += labels[r] == best ? 1 : 0;
                }
                examples += rows;
                try (NDManager batchManager = manager.newSubManager()) {
                    // the first batch's labels belong to a manager that outlives the read
                    NDArray label = (b == batches[0] ? manager : batchManager).create(labels);
                    if (b == batches[0]) {
                        ownedElsewhere = label;
                    }
                    NDArray prediction = batchManager.create(logits, new Shape(rows, classes));
                    if (b == batches[1]) {
                        keptPrediction = prediction;
                    }
                    device.onTrainingBatch(trainer, new ai.djl.training.listener.TrainingListener.BatchData(null,
                            Map.of(ai.djl.Device.cpu(), new NDList(label)),
                            Map.of(ai.djl.Device.cpu(), new NDList(prediction))));
                }
            }
            // kept past its batch's end (its manager is closed) until the read, then freed
            assertThat(keptPrediction.isReleased()).isFalse();
            device.onEpoch(trainer);
            assertThat(keptPrediction.isReleased()).isTrue();
        }
        assertThat(device.latestEvaluations().get("train_accuracy"))
                .isCloseTo((float) correct / examples, within(1e-6f));
        // evaluations: batches 1-2 (3 classes) when batch 3 brings another shape, batch 4 alone
        // (above the byte limit, never kept), batches 3 and 5 (5 classes) at the read
        assertThat(calls[0]).isEqualTo(3);
        // an array owned by a manager still open went back to it, usable after the read
        assertThat(ownedElsewhere.getManager()).isSameAs(manager);
        assertThat(ownedElsewhere.isReleased()).isFalse();
        assertThat(ownedElsewhere.toFloatArray()).hasSize(6);
    }

    @Test
    void rejectsNoMetricsAndDuplicateNames() {
        Loss loss = Loss.softmaxCrossEntropyLoss("cross_entropy");
        assertThatThrownBy(() -> new DeviceEvaluationTrainingListener(List.of()))
                .hasMessage("Give at least one metric (the objective).");
        assertThatThrownBy(() -> new DeviceEvaluationTrainingListener(List.of(BatchMetric.meanOfBatches(loss),
                BatchMetric.meanOfBatches(loss))))
                .hasMessage("Two metrics share a name: [cross_entropy, cross_entropy].");
    }

    /** Keeps every logged point in order. */
    private static final class RecordingTracker implements RunTracker {
        private final List<Object[]> points = new ArrayList<>();

        @Override
        public String runId() {
            return "test";
        }

        @Override
        public void logMetric(String key, long step, int epoch, double value) {
            points.add(new Object[] {key, step, value});
        }

        @Override
        public void setTag(String key, String value) {}

        @Override
        public Path artifactDir() {
            return Path.of(".");
        }

        List<Long> steps(String key) {
            return points.stream().filter(p -> p[0].equals(key)).map(p -> (Long) p[1]).toList();
        }

        List<Double> values(String key) {
            return points.stream().filter(p -> p[0].equals(key)).map(p -> (Double) p[2]).toList();
        }
    }
}
