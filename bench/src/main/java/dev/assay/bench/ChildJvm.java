package dev.assay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link BenchChild} with this JVM's classpath (as {@code assay run --parallel}
 * starts its workers): {@code java} from {@code java.home}, {@code -cp} from {@code
 * java.class.path}, offline and engine system properties passed through. The child answers on its
 * standard output with lines {@value #RESULT_PREFIX}{@code <json>}; its standard error (logs) goes
 * to a file whose tail is quoted when the child fails.
 */
final class ChildJvm implements AutoCloseable {

    /** Prefix of a child's result lines on its standard output. */
    static final String RESULT_PREFIX = "BENCH-RESULT ";

    /** How long {@link #close} waits for a profiled child to write its profile and exit, in seconds. */
    private static final long PROFILE_WAIT_SECONDS = 60;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PASSED_PROPERTIES =
            List.of("ai.djl.offline", "assay.offline", "ai.djl.default_engine", "DJL_CACHE_DIR");

    private final Process process;
    private final BufferedReader out;
    private final Path log;
    private final String what;

    private ChildJvm(Process process, Path log, String what) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.log = log;
        this.what = what;
    }

    /**
     * Starts a child.
     *
     * @param jvmOptions extra JVM options, e.g. {@code -Xmx2g} or {@code -Dai.djl.default_engine=PyTorch}
     *     (these win over the passed-through properties)
     * @param log where the child's standard error goes; when the run profiles ({@code --profile}),
     *     the child's profile is named after it ({@link BenchProfiler#childOptions})
     * @param args the arguments of {@link BenchChild#main}
     * @return the running child
     * @throws UncheckedIOException if the JVM cannot be started
     */
    static ChildJvm start(List<String> jvmOptions, Path log, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dassay.offline=true", "-DOPT_OUT_TRACKING=true"));
        for (String p : PASSED_PROPERTIES) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(BenchProfiler.childOptions(log, cmd));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchChild.class.getName()));
        cmd.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            return new ChildJvm(p, log, String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a benchmark JVM (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
    }

    /**
     * Reads the child's next result line.
     *
     * @return the parsed JSON after {@value #RESULT_PREFIX}
     * @throws IllegalStateException if the child ends without one (the message quotes its log)
     */
    JsonNode nextResult() {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(RESULT_PREFIX)) {
                    return JSON.readTree(line.substring(RESULT_PREFIX.length()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Reading the output of benchmark child '" + what + "' failed: "
                    + e.getMessage() + logTail(), e);
        }
        throw new IllegalStateException("Benchmark child '" + what + "' ended without a result"
                + exitText() + "." + logTail());
    }

    /**
     * Sends one line to the child's standard input.
     *
     * @param line the text
     * @throws UncheckedIOException if the child's input is closed
     */
    void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Benchmark child '" + what + "' no longer reads its input.", e);
        }
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeoutSeconds how long to wait
     * @throws IllegalStateException if it exits with a non-zero code or does not exit in time
     * @throws InterruptedException if interrupted while waiting
     */
    void awaitSuccess(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Benchmark child '" + what + "' did not exit within "
                    + timeoutSeconds + " s." + logTail());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Benchmark child '" + what + "' exited with code "
                    + process.exitValue() + "." + logTail());
        }
    }

    private String exitText() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? " (exit code " + process.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return " Last lines of its log " + log + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return " (its log " + log + " cannot be read)";
        }
    }

    /** Stops the child if it still runs; when the run profiles, waits up to {@value #PROFILE_WAIT_SECONDS} s for it to exit. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
        }
        if (BenchProfiler.profilesChildren()) {
            try {
                process.waitFor(PROFILE_WAIT_SECONDS, TimeUnit.SECONDS); // it writes its profile as it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
