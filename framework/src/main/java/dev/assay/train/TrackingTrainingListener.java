package dev.assay.train;

import ai.djl.TrainingDivergedException;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.tracker.Tracker;
import dev.assay.track.RunTracker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams a DJL training run to a {@link RunTracker}. Add it to the training config <em>after</em>
 * an {@link EvaluatorTrainingListener} (it reads that listener's per-batch accumulators and its
 * per-epoch results).
 *
 * <p>Every {@code logEveryNSteps} update steps it logs {@code batch_loss} (the step evaluator's
 * value on the last batch) and {@code learning_rate}. After each epoch it logs the evaluator
 * results under the names given in {@code epochMetricNames} (validation results only when there
 * is validation data), {@code penalty} (the weight penalty at the end of the epoch) and
 * {@code train_objective} (epoch {@code train_loss} plus that penalty) when a penalty source is
 * set, {@code epoch_time_s} (seconds, training plus validation) and
 * {@code samples_per_s} (training samples over the seconds spent in training batches). Every point
 * carries the global update step and the 1-based epoch.
 *
 * <p>After each batch it checks the trainer's objective; a NaN or infinite value is logged and
 * ends training with {@link TrainingDivergedException}.
 */
public final class TrackingTrainingListener extends TrainingListenerAdapter {

    private final RunTracker tracker;
    private final TrainingProgress progress;
    private final EvaluatorTrainingListener evaluators;
    private final Tracker learningRate;
    private final Settings settings;

    private long step;
    private int epoch = 1;
    private long stepInEpoch;
    private long samplesInEpoch;
    private long epochStartNanos;
    private long lastBatchEndNanos;
    private double lastTrainLoss = Double.NaN;

    /**
     * What to log and how to name it.
     *
     * @param epochs total epochs, for progress
     * @param stepsPerEpoch update steps per epoch, for progress
     * @param logEveryNSteps log the step loss every this many steps (≥ 1)
     * @param stepEvaluator the evaluator whose per-batch value is logged as {@code batch_loss}
     * @param epochMetricNames DJL result names ({@code train_<evaluator>},
     *     {@code validate_<evaluator>}) mapped to the metric names to log, in logging order
     * @param hasValidation whether a validation split exists; if not, {@code validate_*} results
     *     (NaN in DJL) are not logged
     * @param penalty gives the weight penalty's current value, or null for none
     */
    public record Settings(
            int epochs,
            long stepsPerEpoch,
            int logEveryNSteps,
            String stepEvaluator,
            Map<String, String> epochMetricNames,
            boolean hasValidation,
            java.util.function.DoubleSupplier penalty) {}

    /**
     * Creates the listener.
     *
     * @param tracker where metrics go
     * @param progress console/UI progress callbacks
     * @param evaluators the evaluator listener added before this one
     * @param learningRate the learning-rate schedule, to log its value; null to skip
     * @param settings what to log
     */
    public TrackingTrainingListener(
            RunTracker tracker,
            TrainingProgress progress,
            EvaluatorTrainingListener evaluators,
            Tracker learningRate,
            Settings settings) {
        this.tracker = tracker;
        this.progress = progress;
        this.evaluators = evaluators;
        this.learningRate = learningRate;
        this.settings = settings;
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
            epochStartNanos = System.nanoTime();
            progress.epochStarted(epoch, settings.epochs(), settings.stepsPerEpoch());
        }
        step++;
        stepInEpoch++;
        samplesInEpoch += batchData.getBatch().getSize();
        lastBatchEndNanos = System.nanoTime();
        float objective = trainer.getLoss().getAccumulator(EvaluatorTrainingListener.TRAIN_ALL);
        boolean diverged = !Float.isFinite(objective);
        if (diverged || step % settings.logEveryNSteps() == 0 || step == 1) {
            logStep(trainer, objective);
        }
        if (diverged) {
            throw new TrainingDivergedException(
                    "the training loss became " + objective + " at step " + step + " (epoch "
                            + epoch + ")");
        }
        progress.stepDone(stepInEpoch, lastTrainLoss);
    }

    private void logStep(Trainer trainer, float objective) {
        Evaluator e = find(trainer, settings.stepEvaluator());
        float value = e == null ? objective : e.getAccumulator(EvaluatorTrainingListener.TRAIN_ALL);
        lastTrainLoss = Float.isFinite(objective) ? value : objective;
        tracker.logMetric("batch_loss", step, epoch, lastTrainLoss);
        if (learningRate != null) {
            tracker.logMetric("learning_rate", step, epoch, learningRate.getNewValue((int) step));
        }
    }

    private static Evaluator find(Trainer trainer, String name) {
        for (Evaluator e : trainer.getEvaluators()) {
            if (e.getName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Logs the epoch metrics and resets the epoch counters.
     *
     * @param trainer the trainer
     */
    @Override
    public void onEpoch(Trainer trainer) {
        long now = System.nanoTime();
        Map<String, Double> logged = new LinkedHashMap<>();
        Map<String, Float> results = evaluators.getLatestEvaluations();
        settings.epochMetricNames().forEach((djlName, name) -> {
            Float v = results.get(djlName);
            boolean validation = djlName.startsWith("validate_");
            if (v != null && (!validation || settings.hasValidation())) {
                logged.put(name, v.doubleValue());
            }
        });
        if (settings.penalty() != null && logged.containsKey("train_loss")) {
            double value = settings.penalty().getAsDouble();
            logged.put("penalty", value);
            logged.put("train_objective", logged.get("train_loss") + value);
        }
        double trainSeconds = (lastBatchEndNanos - epochStartNanos) / 1e9;
        logged.put("epoch_time_s", (now - epochStartNanos) / 1e9);
        logged.put("samples_per_s", trainSeconds > 0 ? samplesInEpoch / trainSeconds : Double.NaN);
        logged.forEach((k, v) -> tracker.logMetric(k, step, epoch, v));
        int finished = epoch;
        epoch++;
        stepInEpoch = 0;
        samplesInEpoch = 0;
        progress.epochEnded(finished, logged);
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
