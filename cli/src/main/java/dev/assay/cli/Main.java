package dev.assay.cli;

import dev.assay.spec.SpecException;
import dev.assay.spec.TrialConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of the {@code assay} launcher. Exit codes (the README's "Exit codes" lists the
 * same): 0 success; 1 unexpected error; 2 bad command line or experiment file (one message with
 * file:line:column, nothing written); 3 some trials failed, diverged or were interrupted, or are
 * still running in another process (all the others were run and recorded); 128 + the signal's
 * number (130, 143) when a stop signal ended a sweep ({@link StopSignals}).
 */
public final class Main {

    /** Exit code when the experiment file or the command line is wrong. */
    public static final int EXIT_USAGE = 2;
    /**
     * Exit code when every trial ran but some failed, diverged or were interrupted, or when some
     * planned trials are still running in another process (not finished).
     */
    public static final int EXIT_TRIALS_FAILED = 3;

    /**
     * The exit code of a command that ran trials: 0 when every one completed or was pruned (a
     * pruner stopping a poor trial early is the sweep working as configured; an early-stopped trial
     * counts as completed), {@link #EXIT_TRIALS_FAILED} when any failed, diverged or was
     * interrupted.
     *
     * @param statuses the final statuses of the trials that ran
     * @return 0 or {@link #EXIT_TRIALS_FAILED}
     */
    static int exitCode(java.util.Collection<dev.assay.track.RunStatus> statuses) {
        return statuses.stream().allMatch(s -> s == dev.assay.track.RunStatus.COMPLETED
                || s == dev.assay.track.RunStatus.PRUNED) ? 0 : EXIT_TRIALS_FAILED;
    }

    private Main() {}

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        quietDjl();
        // the file descriptor itself, not System.out: a PrintStream swallows write errors, so a full disk or
        // /dev/full would go unseen (see run)
        System.exit(run(new java.io.FileOutputStream(java.io.FileDescriptor.out), System.err, args));
    }

    /**
     * Runs the command on byte streams, as {@link #main} does on the standard ones, and flushes
     * both writers before returning: a command that ends its output with {@code print} instead of
     * {@code println} (e.g. {@code assay show RUN --config}) would otherwise lose it, since the
     * writers flush only on {@code println} and {@code System.exit} flushes nothing.
     *
     * @param out where standard output goes
     * @param err where standard error goes
     * @param args command-line arguments
     * @return the exit code
     */
    static int run(OutputStream out, OutputStream err, String... args) {
        FailureRecording recorded = new FailureRecording(out);
        PrintWriter o = new PrintWriter(recorded, true);
        PrintWriter e = new PrintWriter(err, true);
        int code;
        try {
            code = execute(o, e, args);
        } finally {
            o.flush();
            e.flush();
        }
        IOException failure = recorded.failure;
        if (failure == null || String.valueOf(failure.getMessage()).contains("Broken pipe")) {
            return code; // a reader that stopped reading (assay runs | head) is no error, as for other tools
        }
        // PrintWriter swallows write errors: "assay export > out.json" on a full disk exited 0 with half a file
        e.println("error: could not write standard output (" + failure.getMessage() + "): what it holds is"
                + " incomplete");
        e.flush();
        return code == 0 ? 1 : code;
    }

    /** An output stream that remembers the first write error of the stream it wraps. */
    private static final class FailureRecording extends java.io.FilterOutputStream {
        private IOException failure;

        FailureRecording(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw recorded(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw recorded(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw recorded(e);
            }
        }

        private IOException recorded(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }

    /**
     * Runs the command without exiting (for tests).
     *
     * @param out standard output
     * @param err standard error
     * @param args command-line arguments
     * @return the exit code
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new AssayCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> handle(e, line.getErr()));
        return cli.execute(args);
    }

    /**
     * Keeps DJL from reaching the network: Assay downloads its own datasets, and DJL's usage
     * telemetry (an EC2 metadata probe and a call home on engine start) is turned off, and MXNet is
     * the default engine, unless the user set these properties explicitly.
     */
    static void quietDjl() {
        dev.assay.track.TrackingStore.listenOnLoopbackOnly(); // before anything loads H2
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        // Both MXNet and PyTorch are on the classpath; DJL would otherwise pick PyTorch by rank.
        if (System.getProperty("ai.djl.default_engine") == null
                && System.getenv("DJL_DEFAULT_ENGINE") == null) {
            System.setProperty("ai.djl.default_engine", TrialConfig.MXNET);
        }
    }

    private static int handle(Exception e, PrintWriter err) {
        if (e instanceof SpecException || e instanceof IllegalArgumentException) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        }
        // with the root cause: creating a store on a full disk said only 'IO Exception: ".../assay.mv.db" [90028-240]'
        err.println("error: " + dev.assay.run.SweepRunner.describe(e));
        org.slf4j.LoggerFactory.getLogger(Main.class).debug("command failed", e);
        return 1;
    }
}
