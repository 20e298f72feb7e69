package dev.assay.cli;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Handles SIGINT (Ctrl-C) and SIGTERM during a sweep: runs an action (mark the running trial
 * {@code interrupted}, after flushing its metrics, and stop the sweep from starting another), then
 * either exits with {@code 128 + signal number} ({@link #install}: the trial's training is still
 * running in this process) or leaves the command to end itself ({@link #installWithoutExit}: the
 * trials run in worker processes, which the action stopped, so the command can list the runs and
 * say how to continue; exiting from the handler instead closed the store under the command, which
 * was still reading it, and the user saw H2's internal error instead of the table).
 *
 * <p>A signal handler rather than a shutdown hook, because shutdown hooks run concurrently and
 * H2's own hook may close the database first. SIGKILL cannot be handled: a run left {@code
 * running} by a killed process is told by its missing heartbeat ({@code running, no heartbeat} in
 * the listings) and marked {@code interrupted} by the next run or resume of its experiment.
 */
final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    /** What to tell the user after a stop: how to continue the sweep. */
    static final String HOW_TO_CONTINUE = "run the same command again to continue: completed trials are skipped"
            + " and interrupted ones continue from their last checkpoint";

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final boolean exit;
    private final boolean hint;
    private final boolean exitOnSecond;
    /** Before any trial: the action says what happened, not "recording the running trial(s)". */
    private boolean beforeTrials;
    private volatile Signal received;
    private int count; // signals handled; touched by the signal dispatcher thread only

    private StopSignals(boolean exit, boolean hint) {
        this(exit, hint, false);
    }

    private StopSignals(boolean exit, boolean hint, boolean exitOnSecond) {
        this.exit = exit;
        this.hint = hint;
        this.exitOnSecond = exitOnSecond;
    }

    /**
     * Installs handlers that run {@code onStop} and then exit the JVM with {@code 128 + signal
     * number}, until {@link #close()}.
     *
     * @param onStop what to do before exiting; its exceptions are logged, not thrown
     * @return the installed handlers
     */
    static StopSignals install(Runnable onStop) {
        return new StopSignals(true, true).handle(onStop);
    }

    /**
     * As {@link #install}, for a sweep's worker process: without the line on how to continue,
     * which the command that started the workers prints once for all of them.
     *
     * @param onStop what to do before exiting; its exceptions are logged, not thrown
     * @return the installed handlers
     */
    static StopSignals installInWorker(Runnable onStop) {
        return new StopSignals(true, false).handle(onStop);
    }

    /**
     * Installs handlers that run {@code onStop} and return, until {@link #close()}: the command
     * sees the stop in {@link #exitCode()} once its work has returned, and ends itself. For work
     * that {@code onStop} ends promptly (worker processes it stops).
     *
     * @param onStop what to do on a signal (a second signal runs it again); its exceptions are
     *     logged, not thrown
     * @return the installed handlers
     */
    static StopSignals installWithoutExit(Runnable onStop) {
        return new StopSignals(false, false).handle(onStop);
    }

    /**
     * Installs handlers for a sweep that trains in this process: the first signal runs {@code
     * onStop} (which records the running trial interrupted and makes its training end at the next
     * step) and returns, so the command lists the runs, says how many trials did not start and how
     * to continue, and exits with {@link #exitCode()}; a second signal exits at once with {@code 128
     * + signal number}, for a trial that does not reach its next step. (Exiting at the first one left
     * the user without the table or the count of trials not started.)
     *
     * @param onStop what to do on the first signal; its exceptions are logged, not thrown
     * @return the installed handlers
     */
    static StopSignals installStopping(Runnable onStop) {
        return new StopSignals(false, false, true).handle(onStop);
    }

    /**
     * Installs handlers for the time before a sweep's first trial starts (loading the engine takes
     * seconds): a signal says that no run was created and exits with {@code 128 + signal number}.
     * Without them the JVM's default handling ended the command with exit 143 and not a word.
     *
     * @param doing what the command is doing, for the message ({@code "loading the MXNet engine"})
     * @return the installed handlers
     */
    static StopSignals installBeforeTrials(String doing) {
        StopSignals signals = new StopSignals(true, false);
        signals.beforeTrials = true;
        return signals.handle(() -> System.err.println("assay: stopped while " + doing
                + ", before any trial started: no run was created; run the same command again to start the sweep"));
    }

    private StopSignals handle(Runnable onStop) {
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                previous.add(Signal.handle(signal, sig -> stop(onStop, sig)));
                signals.add(signal);
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
        return this;
    }

    private void stop(Runnable onStop, Signal sig) {
        if (exitOnSecond && ++count > 1) {
            System.err.println("\nassay: SIG" + sig.getName() + " received again; exiting now");
            System.exit(128 + sig.getNumber());
        }
        received = sig;
        System.err.println("\nassay: SIG" + sig.getName() + " received" + (beforeTrials ? ""
                : "; recording the running trial(s) as interrupted"));
        try {
            onStop.run();
        } catch (RuntimeException e) {
            LOG.error("could not record the interruption: {}", e.getMessage());
        }
        if (hint) {
            System.err.println("assay: " + HOW_TO_CONTINUE + ".");
        }
        if (exit) {
            System.exit(128 + sig.getNumber());
        }
    }

    /**
     * The exit code a stop calls for: {@code 128 + signal number} (130 for SIGINT, 143 for
     * SIGTERM), the shell's convention; 0 when no signal came.
     *
     * @return the code, or 0
     */
    int exitCode() {
        Signal s = received;
        return s == null ? 0 : 128 + s.getNumber();
    }

    /**
     * The signal received, as its name without "SIG" ("INT", "TERM"), or null when none came.
     *
     * @return the name, or null
     */
    String receivedName() {
        Signal s = received;
        return s == null ? null : s.getName();
    }

    /** Restores the previous handlers. */
    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
