package dev.assay.run;

import dev.assay.spec.EarlyStoppingSpec;
import dev.assay.spec.PrunerSpec;
import dev.assay.track.RunTracker;
import dev.assay.train.EarlyStopException;
import dev.assay.train.TrainingProgress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges each finished epoch of a trial: the trial's early-stopping rule (throws
 * {@link EarlyStopException}, or {@link ai.djl.TrainingDivergedException} for a monitored value
 * beyond its divergence threshold) and the sweep's pruner (throws
 * {@link dev.assay.train.TrialPrunedException}); see {@link EarlyStoppingSpec} and
 * {@link PrunerSpec} for the rules. Wraps the console's progress callbacks, which still see every
 * epoch. The decision is recorded as a run tag ({@code early_stopped_epoch} or
 * {@code pruned_epoch}) before the exception is thrown.
 *
 * <p>A monitored name that is not among an epoch's metrics fails the trial at the end of its first
 * epoch, naming the closest epoch metric and all of them, instead of training on with no early
 * stopping or pruning. A name the task does not log per epoch at all (misspelled, or a metric
 * logged only after training such as {@code test_accuracy}) is refused earlier, when the
 * experiment is read, for tasks that declare their metrics ({@code TaskProvider.metrics()}); what
 * is left for this check is a declared metric this trial does not log ({@code val_loss} with no
 * validation split) and the metrics of tasks that declare none.
 */
final class EpochJudge implements TrainingProgress {

    private final TrainingProgress delegate;
    private int epochsJudged;
    private final EarlyStoppingSpec earlyStopping;
    private final PrunerSpec pruner;
    private final PrunerHistory history;
    private final RunTracker tracker;
    private double best = Double.NaN;
    private int bestEpoch;
    private java.util.function.IntConsumer improved = epoch -> { };
    private java.util.function.BooleanSupplier stopRequested = () -> false;
    /**
     * The trial's last epoch ({@code training.epochs}): neither rule ends training there, since it
     * ends anyway. A pruner did, and a trial that had trained every epoch lost its test metrics and
     * counted as pruned (ASHA's top rung is the last epoch); early stopping did, and left no final
     * checkpoint.
     */
    private final int finalEpoch;

    EpochJudge(TrainingProgress delegate, EarlyStoppingSpec earlyStopping, PrunerSpec pruner,
            PrunerHistory history, RunTracker tracker, int finalEpoch) {
        this.finalEpoch = finalEpoch;
        this.delegate = delegate;
        this.earlyStopping = earlyStopping;
        this.pruner = pruner;
        this.history = history;
        this.tracker = tracker;
    }

    /**
     * Calls {@code listener} with each epoch that improves the early-stopping metric (the best so
     * far), replayed ones included; the runner keeps that epoch's parameters with it when the rule
     * restores the best weights.
     *
     * @param listener takes the 1-based epoch
     * @return this
     */
    EpochJudge onImprovement(java.util.function.IntConsumer listener) {
        this.improved = listener;
        return this;
    }

    /**
     * Feeds a continued run's stored history of the early-stopping metric, so that its best value
     * and patience count go on from the checkpoint instead of starting over.
     *
     * @param points the monitored metric's stored points, in step order (one per epoch)
     */
    void replay(List<dev.assay.track.MetricPoint> points) {
        if (earlyStopping == null) {
            return;
        }
        for (dev.assay.track.MetricPoint p : points) {
            if (improves(p.value())) {
                best = p.value();
                bestEpoch = p.epoch();
                improved.accept(bestEpoch);
            }
        }
    }

    /**
     * Returns the metric the early-stopping rule watches.
     *
     * @return its name, or null without a rule
     */
    String earlyStoppingMonitor() {
        return earlyStopping == null ? null : earlyStopping.monitor();
    }

    /**
     * Ends the trial at its next step or epoch boundary once {@code requested} says so: a stop
     * signal, or a worker's sweep process gone. The process records the run {@code interrupted} on
     * another thread meanwhile, which may take seconds while another process takes the store over;
     * workers of a sweep killed with {@code kill -9} trained on for 5-10 s, some to their last epoch
     * and test, before they exited.
     *
     * @param requested whether a stop was requested, asked at every step and epoch boundary
     * @return this judge
     */
    EpochJudge stoppingWhen(java.util.function.BooleanSupplier requested) {
        this.stopRequested = requested;
        return this;
    }

    private void stopIfRequested() {
        if (stopRequested.getAsBoolean()) {
            throw new StopRequestedException();
        }
    }

    @Override
    public void epochStarted(int epoch, int epochs, long steps) {
        stopIfRequested();
        delegate.epochStarted(epoch, epochs, steps);
    }

    @Override
    public void stepDone(long stepInEpoch, double trainLoss) {
        stopIfRequested();
        delegate.stepDone(stepInEpoch, trainLoss);
    }

    /**
     * Says what had no effect in a trial whose task never reported an epoch end: its
     * early-stopping rule and the sweep's pruner watch {@link #epochEnded}, which a plugin task
     * must call after each epoch ({@code ctx.progress().epochEnded}); without it both were
     * silently idle.
     *
     * @param task the task's name
     * @return the warning, or null when the trial has neither, or reported an epoch
     */
    String idleRules(String task) {
        if (epochsJudged > 0 || earlyStopping == null && pruner.name().equals("none")) {
            return null;
        }
        String rules = earlyStopping != null && !pruner.name().equals("none") ? "training.early_stopping and the"
                + " sweep's pruner" : earlyStopping != null ? "training.early_stopping" : "the sweep's pruner";
        return rules + " had no effect: task '" + task + "' reported no epoch end (a task calls"
                + " ctx.progress().epochEnded(epoch, metrics) after each epoch)";
    }

    @Override
    public void epochEnded(int epoch, Map<String, Double> metrics) {
        stopIfRequested();
        epochsJudged++;
        delegate.epochEnded(epoch, metrics);
        // a store that can no longer be written (a full disk) fails the trial now: it trained on for
        // every remaining epoch while each write was dropped
        tracker.requireWritten();
        if (!pruner.name().equals("none")) {
            requireEpochMetric("sweep.pruner.monitor", pruner.monitor(), metrics);
        }
        if (earlyStopping != null) {
            requireEpochMetric("training.early_stopping.monitor", earlyStopping.monitor(), metrics);
            requireNotDiverged(epoch, metrics.get(earlyStopping.monitor()));
        }
        if (!pruner.name().equals("none") && metrics.containsKey(pruner.monitor())) {
            history.record(tracker.runId(), epoch, metrics.get(pruner.monitor()));
            if (epoch < finalEpoch) {
                prune(epoch, metrics.get(pruner.monitor()));
            }
        }
        if (earlyStopping != null && metrics.containsKey(earlyStopping.monitor())) {
            stopEarly(epoch, metrics.get(earlyStopping.monitor()));
        }
    }

    /**
     * Fails the trial if the monitored metric is not an epoch metric.
     *
     * @throws IllegalArgumentException naming the setting, the metric, the closest epoch metric and
     *     all of them
     */
    private static void requireEpochMetric(String setting, String monitor, Map<String, Double> metrics) {
        if (metrics.containsKey(monitor)) {
            return;
        }
        java.util.Set<String> names = new java.util.TreeSet<>(metrics.keySet());
        String validation = dev.assay.plugin.Names.validationTwin(monitor, names);
        boolean test = validation != null;
        String close = test ? validation : dev.assay.plugin.Names.closest(monitor, names);
        throw new MonitorNotLoggedException(setting, setting + " '" + monitor + "' is not an epoch metric of this trial"
                + (test ? " (test metrics are logged once, after training)" : "")
                + dev.assay.plugin.Names.suggestion(close, ".") + " Its epoch metrics are "
                + String.join(", ", names) + ".");
    }

    /**
     * A monitored metric (early stopping, pruner) that the trial does not log per epoch: a
     * configuration error that every trial monitoring the same name would repeat.
     */
    static final class MonitorNotLoggedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final String setting;

        MonitorNotLoggedException(String setting, String message) {
            super(message);
            this.setting = setting;
        }

        /** The setting that names the metric, e.g. {@code training.early_stopping.monitor}. */
        String setting() {
            return setting;
        }
    }

    /** Whether a value beats the best so far by more than {@code min_delta} (NaN never does). */
    private boolean improves(double value) {
        double delta = earlyStopping.minDelta();
        return !Double.isNaN(value) && (Double.isNaN(best)
                || (earlyStopping.minimize() ? value < best - delta : value > best + delta));
    }

    /**
     * Ends a trial whose monitored value is beyond the rule's divergence threshold; checked before
     * the pruner (the run is {@code diverged}, not {@code pruned}) and at the final epoch too.
     */
    private void requireNotDiverged(int epoch, double value) {
        if (earlyStopping.diverged(value)) {
            tracker.setTag("diverged_epoch", String.valueOf(epoch));
            throw new ai.djl.TrainingDivergedException(String.format(Locale.ROOT,
                    "%s %.6g at epoch %d is %s training.early_stopping.divergence_threshold %.6g",
                    earlyStopping.monitor(), value, epoch, earlyStopping.minimize() ? "above" : "below",
                    earlyStopping.divergenceThreshold()));
        }
    }

    private void stopEarly(int epoch, double value) {
        if (improves(value)) {
            best = value;
            bestEpoch = epoch;
            improved.accept(epoch);
        } else if (epoch - bestEpoch >= earlyStopping.patience() && epoch < finalEpoch) {
            tracker.setTag("early_stopped_epoch", String.valueOf(epoch));
            throw new EarlyStopException(epoch, String.format(Locale.ROOT,
                    "%s has not improved for %d epochs (best %.6g at epoch %d)",
                    earlyStopping.monitor(), epoch - bestEpoch, best, bestEpoch));
        }
    }

    private void prune(int epoch, double value) {
        if (epoch < pruner.minEpochs()) {
            return;
        }
        String reason = pruner.name().equals("median") ? median(epoch) : asha(epoch, value);
        if (reason != null) {
            tracker.setTag("pruned_epoch", String.valueOf(epoch));
            throw new dev.assay.train.TrialPrunedException(epoch, "pruned at epoch " + epoch + ": "
                    + reason);
        }
    }

    /** The median stopping rule; returns the reason to prune, or null. */
    private String median(int epoch) {
        boolean min = pruner.minimize();
        List<Double> others = history.othersBestUpTo(tracker.runId(), epoch, min);
        if (others.size() < pruner.minTrials()) {
            return null;
        }
        Collections.sort(others);
        int n = others.size();
        double median = n % 2 == 1 ? others.get(n / 2) : (others.get(n / 2 - 1) + others.get(n / 2)) / 2;
        double mine = history.bestUpTo(tracker.runId(), epoch, min);
        boolean worse = min ? mine > median : mine < median;
        return worse ? String.format(Locale.ROOT, "best %s %.6g is worse than the median %.6g of %d"
                + " other trials at this epoch", pruner.monitor(), mine, median, n) : null;
    }

    /** Successive halving at rungs min_epochs · η^k; returns the reason to prune, or null. */
    private String asha(int epoch, double value) {
        if (!isRung(epoch)) {
            return null;
        }
        boolean min = pruner.minimize();
        List<Double> all = new ArrayList<>(history.othersAt(tracker.runId(), epoch));
        double mine = Double.isNaN(value) ? (min ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY) : value;
        long better = all.stream().filter(v -> !Double.isNaN(v) && (min ? v < mine : v > mine)).count();
        int n = all.size() + 1;
        int keep = Math.max(1, n / pruner.reductionFactor());
        return better >= keep ? String.format(Locale.ROOT, "%s %.6g ranks %d of %d at rung epoch %d;"
                + " only the top %d go on", pruner.monitor(), value, better + 1, n, epoch, keep) : null;
    }

    private boolean isRung(int epoch) {
        long rung = pruner.minEpochs();
        while (rung < epoch) {
            rung *= pruner.reductionFactor();
        }
        return rung == epoch;
    }

    /** Ends a trial whose process was asked to stop ({@link #stoppingWhen}); its run is {@code interrupted}. */
    static final class StopRequestedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopRequestedException() {
            super("the process was asked to stop", null, false, false);
        }
    }
}
