package dev.assay.cli;

import dev.assay.run.SweepListener;
import dev.assay.run.TrialOutcome;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.RunStatus;
import dev.assay.train.TrainingProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Prints trial headers, a progress bar per epoch and each epoch's metrics to standard error. */
final class ConsoleSweepListener implements SweepListener, AutoCloseable {

    private final PrintWriter err;
    private final boolean interactive;
    private ProgressBar bar;
    private int started;
    private int skipped;

    /**
     * Creates the listener.
     *
     * @param err where lines go
     * @param interactive whether to draw progress bars (only on a terminal: redirected output
     *     gets the per-epoch lines alone)
     */
    ConsoleSweepListener(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    @Override
    public void trialContinued(TrialSpec trial, String runId, int epoch) {
        err.printf("  continuing run %s from its checkpoint of epoch %d%n", runId.substring(0, 8),
                epoch);
        err.flush();
    }

    @Override
    public void trialSkipped(TrialSpec trial, int total, String reason) {
        started++;
        skipped++;
        err.printf("%nTrial %d/%d  %s  (trial #%d) skipped: %s%n", started, total, trial.runName(),
                trial.index(), reason);
        err.flush();
    }

    @Override
    public TrainingProgress trialStarted(TrialSpec trial, int total, String runId) {
        started++;
        err.printf("%nTrial %d/%d  %s  (trial #%d, run %s, seed %d)%n", started, total,
                trial.runName(), trial.index(), runId.substring(0, 8), trial.seed());
        err.flush();
        return new TrainingProgress() {
            @Override
            public void epochStarted(int epoch, int epochs, long steps) {
                closeBar();
                if (!interactive) {
                    return;
                }
                bar = new ProgressBarBuilder()
                        .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                        .setInitialMax(steps)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .showSpeed()
                        .setUnit(" steps", 1)
                        .build();
            }

            @Override
            public void stepDone(long stepInEpoch, double trainLoss) {
                if (bar != null) {
                    bar.stepTo(stepInEpoch);
                    bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", trainLoss));
                }
            }

            @Override
            public void epochEnded(int epoch, Map<String, Double> metrics) {
                closeBar();
                StringBuilder line = new StringBuilder("  epoch " + epoch + ":");
                metrics.forEach((k, v) -> line.append(' ').append(k).append(' ')
                        .append(Tables.number(v)));
                err.println(line);
                err.flush();
            }
        };
    }

    @Override
    public void trialFinished(TrialOutcome o) {
        closeBar();
        StringBuilder line = new StringBuilder("  -> " + o.status().label());
        o.metrics().forEach((k, v) -> line.append("  ").append(k).append(' ').append(Tables.number(v)));
        line.append(String.format(Locale.ROOT, "  (%.1f s)", o.durationMillis() / 1000.0));
        if (o.status() != RunStatus.COMPLETED) {
            line.append("\n     ").append(o.error());
        }
        err.println(line);
        err.flush();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void close() {
        closeBar();
    }

    /**
     * Returns how many trials were skipped because another process had taken them.
     *
     * @return the count so far
     */
    int skipped() {
        return skipped;
    }
}
