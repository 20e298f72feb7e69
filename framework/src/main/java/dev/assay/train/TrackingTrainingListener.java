package dev.assay.train;

import ai.djl.TrainingDivergedException;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.tracker.Tracker;
import dev.assay.track.RunTracker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams a DJL training run to a {@link RunTracker}. Add it to the training config <em>after</em>
 * a {@link DeviceEvaluationTrainingListener}, whose per-batch objective values and per-epoch
 * results it logs.
 *
 * <p>{@code batch_loss} (the batch's objective) and {@code learning_rate} are logged at step 1 and
 * every {@code logEveryNSteps} update steps, one read late: at each of those steps the listener
 * queues the transfer of the objective of the batches trained since the last one and reads the
 * transfer queued at the last one ({@link DeviceEvaluationTrainingListener#drainObjectiveDeferred}),
 * so the points of step 20 are logged at step 40 (with step 20) and an asynchronous engine, still
 * busy with steps 21-40, never waits for the host in the middle of an epoch. The end of an epoch
 * reads everything, so every point of an epoch is logged within it. After each epoch it logs the
 * evaluation results under
 * the names given in {@code epochMetricNames} (validation results only when there is validation
 * data), {@code penalty} (the weight penalty at the end of the epoch) and {@code train_objective}
 * (epoch {@code train_loss} plus that penalty) when a penalty source is set, {@code epoch_time_s}
 * (seconds from the end of the epoch before, or from the start of training for the first: training
 * plus validation, the first epoch also the model's initialization) and {@code samples_per_s}
 * (training samples over the seconds from that start to the end of the epoch's last training batch;
 * NaN for an epoch without a batch). Every point carries the global update step and the 1-based epoch.
 *
 * <p>Divergence: every objective value read back is checked; the first NaN or infinite one is
 * logged as {@code batch_loss} at its own step and ends training with {@link
 * TrainingDivergedException} naming that step. It is noticed when it is read, at most {@code
 * 2 * logEveryNSteps - 1} steps (or the rest of the epoch) later.
 */
public final class TrackingTrainingListener extends TrainingListenerAdapter {

    private final RunTracker tracker;
    private final TrainingProgress progress;
    private final DeviceEvaluationTrainingListener evaluation;
    private final Tracker learningRate;
    private final Settings settings;

    private long step;
    private long readUpTo;
    private int epoch = 1;
    private long stepInEpoch;
    private long samplesInEpoch;
    /** When the epoch in progress began: the end of the one before, or the start of training. */
    private long epochStartNanos;
    private long lastBatchEndNanos;
    private double lastTrainLoss = Double.NaN;
    private final Map<String, Double> taskEpochMetrics = new LinkedHashMap<>();

    /**
     * What to log and how to name it.
     *
     * @param epochs total epochs, for progress
     * @param stepsPerEpoch update steps per epoch, for progress
     * @param logEveryNSteps log the step loss every this many steps (≥ 1)
     * @param epochMetricNames DJL result names ({@code train_<evaluator>},
     *     {@code validate_<evaluator>}) mapped to the metric names to log, in logging order (the
     *     console's epoch line follows it); a map without a defined order ({@code Map.of}, a
     *     {@code HashMap}) is taken in name order, so that every process logs alike (a task's
     *     {@code Map.of} printed {@code val_loss} before {@code train_loss} in some processes and
     *     after it in others)
     * @param hasValidation whether a validation split exists; if not, {@code validate_*} results
     *     (NaN in DJL) are not logged
     * @param penalty gives the weight penalty's current value, or null for none
     */
    public record Settings(
            int epochs,
            long stepsPerEpoch,
            int logEveryNSteps,
            Map<String, String> epochMetricNames,
            boolean hasValidation,
            java.util.function.DoubleSupplier penalty) {

        /** Fixes the order of {@code epochMetricNames} (see the record's comment). */
        public Settings {
            epochMetricNames = java.util.Collections.unmodifiableMap(
                    epochMetricNames instanceof LinkedHashMap || epochMetricNames instanceof java.util.SortedMap
                            ? new LinkedHashMap<>(epochMetricNames) : new java.util.TreeMap<>(epochMetricNames));
        }
    }

    /**
     * Creates the listener.
     *
     * @param tracker where metrics go
     * @param progress console/UI progress callbacks
     * @param evaluation the evaluation listener, added to the trainer before this one
     * @param learningRate the learning-rate schedule, to log its value; null to skip
     * @param settings what to log
     */
    public TrackingTrainingListener(
            RunTracker tracker,
            TrainingProgress progress,
            DeviceEvaluationTrainingListener evaluation,
            Tracker learningRate,
            Settings settings) {
        this.tracker = tracker;
        this.progress = progress;
        this.evaluation = evaluation;
        this.learningRate = learningRate;
        this.settings = settings;
    }

    /**
     * Starts the first epoch's clock (DJL calls this when the trainer is created).
     *
     * @param trainer the trainer
     */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        epochStartNanos = System.nanoTime();
    }

    /**
     * Logs the step metrics, checks for divergence and reports progress.
     *
     * @param trainer the trainer
     * @param batchData the batch just trained
     * @throws TrainingDivergedException if the objective is NaN or infinite
     */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (stepInEpoch == 0) {
            if (epochStartNanos == 0) { // a trainer that did not announce its start: from this batch on
                epochStartNanos = System.nanoTime();
            }
            progress.epochStarted(epoch, settings.epochs(), settings.stepsPerEpoch());
        }
        step++;
        stepInEpoch++;
        samplesInEpoch += batchData.getBatch().getSize();
        lastBatchEndNanos = System.nanoTime();
        if (isLoggedStep(step)) {
            checkObjective(evaluation.drainObjectiveDeferred());
        }
        progress.stepDone(stepInEpoch, lastTrainLoss);
    }

    private boolean isLoggedStep(long s) {
        return s % settings.logEveryNSteps() == 0 || s == 1;
    }

    /**
     * Checks the objective values read since the last check (those of the steps after {@code
     * readUpTo}, in order): logs the first non-finite one and ends training, or else logs those of
     * logged steps ({@link #isLoggedStep}) with their own step.
     */
    private void checkObjective(float[] values) {
        for (int i = 0; i < values.length; i++) {
            long at = readUpTo + 1 + i;
            if (!Float.isFinite(values[i])) {
                lastTrainLoss = values[i];
                readUpTo = at;
                logStep(at, values[i]); // with the learning rate of that step: what a divergence is read against
                throw new TrainingDivergedException(
                        "the training loss became " + values[i] + " at step " + at + " (epoch " + epoch + ")");
            }
            if (isLoggedStep(at)) {
                logStep(at, values[i]);
            }
        }
        if (values.length > 0) {
            lastTrainLoss = values[values.length - 1];
            readUpTo += values.length;
        }
    }

    /** Logs {@code batch_loss} and, with a schedule, {@code learning_rate} at step {@code at}. */
    private void logStep(long at, float objective) {
        tracker.logMetric("batch_loss", at, epoch, decimal(objective));
        if (learningRate != null) {
            tracker.logMetric("learning_rate", at, epoch, decimal(learningRate.getNewValue((int) at)));
        }
    }

    /**
     * Logs the epoch metrics and resets the epoch counters.
     *
     * @param trainer the trainer
     */
    @Override
    public void onEpoch(Trainer trainer) {
        float[] rest = evaluation.drainObjective();
        readUpTo = step - rest.length; // everything is read now: the last value is this step's
        checkObjective(rest);
        long now = System.nanoTime();
        Map<String, Double> logged = new LinkedHashMap<>();
        Map<String, Float> results = evaluation.latestEvaluations();
        settings.epochMetricNames().forEach((djlName, name) -> {
            Float v = results.get(djlName);
            boolean validation = djlName.startsWith("validate_");
            if (v != null && (!validation || settings.hasValidation())) {
                logged.put(name, decimal(v));
            }
        });
        if (settings.penalty() != null && logged.containsKey("train_loss")) {
            double value = settings.penalty().getAsDouble();
            logged.put("penalty", value);
            logged.put("train_objective", logged.get("train_loss") + value);
        }
        // with no batch (an empty split) or no start seen, epochStartNanos was 0: the uptime was logged
        long start = epochStartNanos != 0 ? epochStartNanos : now;
        double trainSeconds = (lastBatchEndNanos - start) / 1e9;
        logged.put("epoch_time_s", (now - start) / 1e9);
        logged.put("samples_per_s", stepInEpoch > 0 && trainSeconds > 0 ? samplesInEpoch / trainSeconds : Double.NaN);
        tracker.logMetrics(logged, step, epoch);
        logged.putAll(taskEpochMetrics); // logged already, by logEpochMetric
        taskEpochMetrics.clear();
        int finished = epoch;
        epoch++;
        stepInEpoch = 0;
        samplesInEpoch = 0;
        progress.epochEnded(finished, logged);
        epochStartNanos = System.nanoTime(); // the next epoch starts now
        requireFiniteEpochLoss(logged, "val_loss", "validation loss", finished);
        requireFiniteEpochLoss(logged, "train_loss", "training loss", finished);
        // a plugin task's losses and errors too (val_mse, val_mae): only these two names were checked, so a
        // regression task's val_mse of NaN ended "completed" (found by a new-user check)
        for (Map.Entry<String, Double> e : logged.entrySet()) {
            if (dev.assay.spec.MetricDirection.of(e.getKey()) == dev.assay.spec.MetricDirection.LOWER_IS_BETTER
                    && !e.getKey().endsWith("time_s")) {
                requireFiniteEpochLoss(logged, e.getKey(), "epoch metric", finished);
            }
        }
    }

    /**
     * A float value as the double its decimal text denotes: {@code 0.001f} is logged as 0.001, not
     * as 0.0010000000474974513 (its binary value widened), which a filter {@code
     * metrics.learning_rate = 0.001} or a param of 0.001 would not match (found by an export
     * check). NaN and ±Infinity stay as they are.
     */
    static double decimal(float value) {
        return Float.isFinite(value) ? Double.parseDouble(Float.toString(value)) : value;
    }

    /**
     * Ends training as diverged when an epoch's loss, logged already, is NaN or infinite: a model
     * whose validation loss overflows while its batch losses stay finite (logits grown huge on
     * unseen inputs) has diverged too, and early stopping or a pruner cannot rank a NaN. Checked for
     * {@code val_loss}, {@code train_loss} and every other epoch metric whose name reads as
     * smaller-is-better ({@link dev.assay.spec.MetricDirection}: a plugin's {@code val_mse}, a
     * perplexity), durations aside.
     */
    private void requireFiniteEpochLoss(Map<String, Double> logged, String name, String what, int epoch) {
        Double value = logged.get(name);
        if (value != null && !Double.isFinite(value)) {
            throw new TrainingDivergedException("the " + what + " (" + name + ") became " + value
                    + " at the end of epoch " + epoch + " (step " + step + ")");
        }
    }

    /**
     * Logs a metric of the epoch in progress that the task computes itself (e.g. the language
     * model's {@code val_perplexity}, the translation's {@code val_bleu}): at the current step and
     * epoch now, and with the epoch's own metrics when the epoch ends, so that the console's epoch
     * line, early stopping and pruners see it as they see {@code val_loss}. Call it before the
     * epoch's {@code onEpoch}.
     *
     * @param name the metric's name
     * @param value its value
     */
    public void logEpochMetric(String name, double value) {
        tracker.logMetric(name, step, epoch, value);
        taskEpochMetrics.put(name, value);
    }

    /**
     * Continues counting from a checkpoint: the next batch is update step {@code step + 1} of
     * epoch {@code epoch}.
     *
     * @param step the global update step the checkpoint reached
     * @param epoch the 1-based epoch that starts next
     */
    public void continueFrom(long step, int epoch) {
        this.step = step;
        this.readUpTo = step;
        this.epoch = epoch;
        this.stepInEpoch = 0;
        this.samplesInEpoch = 0;
    }

    /**
     * Returns the global update step reached.
     *
     * @return steps trained so far
     */
    public long step() {
        return step;
    }

    /**
     * Returns the epoch in progress (1-based); after training, the number of epochs + 1.
     *
     * @return the epoch
     */
    public int epoch() {
        return epoch;
    }
}
