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
    /** The sweep's trial count when this process runs a part of it (a worker); else 0. */
    private int sweepTotal;

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

    /**
     * A listener for a worker JVM running one trial of a larger sweep, whose header names the
     * trial's place in that sweep ("Trial 3/8") instead of "1/1".
     *
     * @param err where lines go (no progress bars: a worker's output is relayed, not a terminal)
     * @param position {@code K/N}: the K-th trial started of N
     * @return the listener
     * @throws IllegalArgumentException if {@code position} is not two positive integers K ≤ N
     */
    static ConsoleSweepListener at(PrintWriter err, String position) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})/(\\d{1,9})")
                .matcher(position == null ? "" : position);
        int k = m.matches() ? Integer.parseInt(m.group(1)) : 0;
        int n = m.matches() ? Integer.parseInt(m.group(2)) : 0;
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("--position must be K/N with 1 <= K <= N, got '" + position + "'");
        }
        ConsoleSweepListener listener = new ConsoleSweepListener(err, false);
        listener.started = k - 1;
        listener.sweepTotal = n;
        return listener;
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
        err.printf("%nTrial %d/%d  %s  (trial #%d) skipped: %s%n", started, total(total), trial.runName(),
                trial.index(), reason);
        err.flush();
    }

    private int total(int trialsHere) {
        return sweepTotal > 0 ? sweepTotal : trialsHere;
    }

    @Override
    public TrainingProgress trialStarted(TrialSpec trial, int total, String runId) {
        started++;
        err.printf("%nTrial %d/%d  %s  (trial #%d, run %s, seed %d)%n", started, total(total),
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

    /**
     * True: {@link #trialFinished} prints each outcome with its error.
     *
     * @return true
     */
    @Override
    public boolean showsOutcomes() {
        return true;
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
