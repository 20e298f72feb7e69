package dev.assay.cli;

import dev.assay.run.EngineSelection;
import dev.assay.spec.ExperimentSpec;
import dev.assay.sweep.TrialSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs trials {@code N} at a time, each in its own JVM ({@code assay worker}) on the engine its
 * configuration names: the engine's seed and thread pools are per process, so a trial is as
 * repeatable in parallel as alone. Each worker
 * gets {@code max(1, cores / N)} threads for OpenMP/MKL ({@code OMP_NUM_THREADS},
 * {@code MKL_NUM_THREADS}, {@code -XX:ActiveProcessorCount}); all write to the one store, which
 * this process holds open (H2 {@code AUTO_SERVER}: the workers connect to it). Every planned key
 * is handed to exactly one worker. Worker output is relayed to standard error, prefixed with the
 * trial index ("[trial #7]", as the runs table's # column and the console's "(trial #7" show it).
 */
final class ParallelSweep {

    private final int parallel;
    private final Path file;
    private final ExperimentSpec.Arguments arguments;
    private final List<Path> dataDirs;
    private final List<String> storeAndPlugins;
    private final PrintWriter err;
    private final Map<Process, TrialSpec> running = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopping;

    ParallelSweep(int parallel, Path file, ExperimentSpec.Arguments arguments, List<Path> dataDirs,
            List<String> storeAndPlugins, PrintWriter err) {
        this.parallel = parallel;
        this.file = file;
        this.arguments = arguments;
        this.dataDirs = List.copyOf(dataDirs);
        this.storeAndPlugins = List.copyOf(storeAndPlugins);
        this.err = err;
    }

    /**
     * Runs the trials and waits for all of them.
     *
     * @param trials the trials to run
     * @return each trial's worker exit code, by trial key
     * @throws InterruptedException if interrupted while waiting; the workers are stopped
     */
    Map<String, Integer> run(List<TrialSpec> trials) throws InterruptedException {
        Deque<TrialSpec> queue = new ArrayDeque<>(trials);
        int started = 0;
        Map<String, Integer> exits = new LinkedHashMap<>();
        try {
            while ((!queue.isEmpty() && !stopping) || !running.isEmpty()) {
                while (running.size() < parallel && !queue.isEmpty() && !stopping) {
                    TrialSpec t = queue.poll();
                    Process p = start(t, ++started + "/" + trials.size());
                    running.put(p, t);
                    if (stopping) { // a signal came while it started
                        p.destroy();
                    }
                }
                for (Process p : new ArrayList<>(running.keySet())) {
                    if (p.waitFor(100, TimeUnit.MILLISECONDS)) {
                        exits.put(running.remove(p).trialKey(), p.exitValue());
                    }
                }
            }
        } finally {
            running.keySet().forEach(Process::destroy);
        }
        return exits;
    }

    /**
     * Stops the workers as a signal stops a sweep (call it from {@link StopSignals}): starts no
     * more, sends each running worker SIGTERM, which makes it record its trial as
     * {@code interrupted} and exit, and waits up to 30 s for each, killing one that is still
     * alive. This process keeps the store open meanwhile (the workers write through it).
     */
    void stopWorkers() {
        stopping = true;
        List<Process> workers = new ArrayList<>(running.keySet());
        workers.forEach(Process::destroy);
        for (Process p : workers) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    /**
     * The options of this JVM that a worker JVM gets too: {@code -X...} (heap size, {@code -XX:}
     * flags), {@code -D...} system properties and {@code --add-opens=} / {@code --add-exports=}, in
     * their order. Left out: {@code
     * -XX:ActiveProcessorCount} (each worker gets its own), flight recordings and logs written to a
     * file, debugging and agents ({@code -Xdebug}, {@code -Xrunjdwp}, {@code -agentlib}, {@code
     * -javaagent}: a second JVM on the same debug port or recording file would fail or overwrite
     * it).
     *
     * @param inputArguments this JVM's options ({@code RuntimeMXBean.getInputArguments()})
     * @return the options to pass on
     */
    static List<String> inheritedJvmOptions(List<String> inputArguments) {
        List<String> kept = new ArrayList<>();
        for (String option : inputArguments) {
            boolean passed = option.startsWith("-D") || option.startsWith("-X") || option.startsWith("--add-opens=")
                    || option.startsWith("--add-exports=");
            boolean own = option.startsWith("-XX:ActiveProcessorCount=") || option.startsWith("-XX:StartFlightRecording")
                    || option.startsWith("-XX:FlightRecorderOptions") || option.startsWith("-Xdebug")
                    || option.startsWith("-Xrunjdwp") || option.startsWith("-Xlog") && option.contains("file=");
            if (passed && !own) {
                kept.add(option);
            }
        }
        return kept;
    }

    /** Starts a worker for a trial, the {@code position} ("K/N") one started of the sweep's N. */
    private Process start(TrialSpec trial, String position) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the heap and other settings of this JVM (the launcher's ASSAY_JAVA_OPTS); those below win over them
        cmd.addAll(inheritedJvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        cmd.addAll(List.of(
                "-XX:ActiveProcessorCount=" + threads,
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dai.djl.default_engine=" + trial.config().djlEngine()));
        for (String p : List.of("assay.offline", EngineSelection.PYTORCH_THREADS)) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "worker", file.toString(), "--trial-key", trial.trialKey(), "--position", position));
        arguments.sweeps().forEach(s -> cmd.addAll(List.of("--sweep", s)));
        dataDirs.forEach(d -> cmd.addAll(List.of("--data-dir", d.toString())));
        cmd.addAll(storeAndPlugins);
        cmd.addAll(arguments.overrides());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        pb.environment().put("MKL_NUM_THREADS", String.valueOf(threads));
        try {
            Process p = pb.start();
            relay(p, "[trial #" + trial.index() + "] "); // the index the runs table shows in its # column
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker JVM: " + e.getMessage(), e);
        }
    }

    private void relay(Process p, String prefix) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        synchronized (err) {
                            err.println(prefix + line);
                            err.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // the worker closed its output; nothing more to relay
            }
        }, "assay-relay");
        t.setDaemon(true);
        t.start();
    }
}
