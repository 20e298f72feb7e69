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
 * exits with {@code 128 + signal number}.
 *
 * <p>A signal handler rather than a shutdown hook, because shutdown hooks run concurrently and
 * H2's own hook may close the database first. SIGKILL cannot be handled: a run left {@code
 * running} by a killed process is told by its missing heartbeat ({@code running, no heartbeat} in
 * the listings) and marked {@code interrupted} by the next run or resume of its experiment.
 */
final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {}

    /**
     * Installs the handlers until {@link #close()}.
     *
     * @param onStop what to do before exiting; its exceptions are logged, not thrown
     * @return the installed handlers
     */
    static StopSignals install(Runnable onStop) {
        StopSignals s = new StopSignals();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                s.previous.add(Signal.handle(signal, sig -> stop(onStop, sig)));
                s.signals.add(signal);
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
        return s;
    }

    private static void stop(Runnable onStop, Signal sig) {
        System.err.println("\nassay: SIG" + sig.getName() + " received; recording the running trial(s)"
                + " as interrupted");
        try {
            onStop.run();
        } catch (RuntimeException e) {
            LOG.error("could not record the interruption: {}", e.getMessage());
        }
        System.exit(128 + sig.getNumber());
    }

    /** Restores the previous handlers. */
    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
