package dev.assay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.plugin.PluginRegistry;
import dev.assay.run.SweepRunner;
import dev.assay.spec.ExperimentSpec;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.AsyncTracker;
import dev.assay.track.TrackingStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (a) with each arm in a JVM of its own: Assay's runner in one child JVM, the bare DJL loop in
 * another, both started once and kept, taking turns trial by trial (the order alternating every
 * round), so that drifting load falls on both alike, as in {@link TrackingOverheadBench}.
 *
 * <p>Why a second method: in one JVM the arms share DJL's and MXNet's Java code, and the JIT
 * compiler's profiles of it mix the arms' behaviour; a researcher's {@code assay run} JVM runs the
 * runner only, and here each JVM's compiled code settles on its own arm as it does there. Each trial
 * is timed inside its JVM, from its start (data loading included) to its end (run finished and
 * flushed), so JVM start and engine loading are not in it; the discarded warm-up rounds let each
 * JVM compile its arm's code first. Each child also charges its threads' CPU time to what they do
 * ({@link ThreadCpuTimes}): the JIT compiler, GC, Assay's tracking threads, H2's, and the training
 * thread with the engine's; one row sets the runner JVM's JIT compiler time per trial against the
 * bare JVM's, the note lists every category of both, which shows where the runner's extra time
 * goes.
 *
 * <p>Between two trials the benchmark waits {@value #PAUSE_MS} ms, longer than the 200 ms that the
 * OpenMP threads of the JVM that just trained keep spinning after their last parallel region
 * (Intel OpenMP's default {@code KMP_BLOCKTIME}), so that one JVM's idle spinning does not fall on
 * the other's trial.
 */
final class SeparateJvmOverhead {

    /** Child mode: serve one arm's trials ({@code overhead-arm ARM MODEL EPOCHS SIZE DIR}). */
    static final String MODE = "overhead-arm";
    /** Arm: a trial through Assay's runner. */
    static final String RUNNER = "runner";
    /** Arm: a trial through the bare DJL loop. */
    static final String BARE = "bare";

    private static final Logger LOG = LoggerFactory.getLogger(SeparateJvmOverhead.class);
    private static final long PAUSE_MS = 300;
    private static final String HEAP = "-Xmx2g";

    private final BenchSize size;
    private final Path workDir;

    /**
     * Creates the comparison.
     *
     * @param size rounds, warm-up rounds and data limits ({@link BenchSize#separateJvmWarmup()},
     *     {@link BenchSize#separateJvmRounds()})
     * @param workDir a scratch directory for the children's stores, artifacts and logs
     */
    SeparateJvmOverhead(BenchSize size, Path workDir) {
        this.size = size;
        this.workDir = workDir;
    }

    /**
     * Measures the MLP trial of {@code epochs} epochs with each arm in its own JVM.
     *
     * @param label the model's label, e.g. "MLP 784-256-128-10, 3 epochs"
     * @param model {@code mlp}, {@code cnn} or {@code lstm}
     * @param epochs epochs per trial
     * @return the ratio of trial wall times (median of per-round ratios, target ≤ 1.03), the same
     *     in CPU time of each child process, the fastest round of each, and the CPU time of each
     *     JVM's JIT compiler threads per trial (mean, ms; every thread category in the note)
     * @throws IllegalStateException if a child fails (the message quotes its log)
     */
    List<BenchRow> run(String label, String model, int epochs) {
        Path dir = workDir.resolve("separate-" + model + "-" + epochs);
        List<double[]> runner = new ArrayList<>();
        List<double[]> bare = new ArrayList<>();
        try (ChildJvm a = start(dir, RUNNER, model, epochs); ChildJvm b = start(dir, BARE, model, epochs)) {
            a.nextResult(); // ready: engine claimed, store open
            b.nextResult();
            int total = size.separateJvmWarmup() + size.separateJvmRounds();
            for (int round = 0; round < total; round++) {
                boolean runnerFirst = round % 2 == 0;
                double[] first = trial(runnerFirst ? a : b);
                double[] second = trial(runnerFirst ? b : a);
                double[] r = runnerFirst ? first : second;
                double[] s = runnerFirst ? second : first;
                LOG.info("(a) {} x{}, separate JVMs, round {}: Assay {} s ({} CPU-s), bare {} s ({} CPU-s)", model,
                        epochs, round + 1, r[0], r[1], s[0], s[1]);
                if (round >= size.separateJvmWarmup()) {
                    runner.add(r);
                    bare.add(s);
                }
            }
            a.send("quit");
            b.send("quit");
        }
        String base = String.format(Locale.ROOT, "%s, %d epoch(s) per trial, runner and bare loop each in a JVM of"
                + " its own (started once, kept), taking turns, %d round(s) after %d warm-up", model, epochs,
                runner.size(), size.separateJvmWarmup());
        return List.of(
                TrackingOverheadBench.compared(label + ": Assay runner vs bare DJL loop, each in its own JVM"
                        + " (trial time)", "s", runner, bare, 0, base, "bare DJL loop")
                        .target(Target.ratioAtMost(1.03)),
                TrackingOverheadBench.compared(label + ": same, CPU time of each JVM", "CPU-s", runner, bare, 1,
                        base + "; CPU time of all the child's threads (JIT compiler and GC included)", "bare DJL loop"),
                TrackingOverheadBench.fastest(label + ": same, fastest round of each", runner, bare, base),
                threads(label, runner, bare, base));
    }

    private ChildJvm start(Path dir, String arm, String model, int epochs) {
        return ChildJvm.start(List.of(HEAP, "-Dai.djl.default_engine=MXNet"), dir.resolve(arm + ".log"),
                List.of(MODE, arm, model, String.valueOf(epochs), size.name(), dir.resolve(arm).toString()));
    }

    /**
     * One trial of a child: {wall s, CPU s, then the CPU seconds of each of {@link
     * ThreadCpuTimes#CATEGORIES}}.
     */
    private static double[] trial(ChildJvm child) {
        pause();
        child.send("trial");
        JsonNode t = child.nextResult();
        double[] r = new double[2 + ThreadCpuTimes.CATEGORIES.size()];
        r[0] = t.get("seconds").asDouble();
        r[1] = t.get("cpuSeconds").asDouble();
        for (int i = 0; i < ThreadCpuTimes.CATEGORIES.size(); i++) {
            r[2 + i] = t.get("threadCpuSeconds").path(ThreadCpuTimes.CATEGORIES.get(i)).asDouble();
        }
        return r;
    }

    /**
     * Where each JVM's CPU time went, per trial: the runner's JIT compiler threads against the bare
     * loop's (the row's value and reference), every category of both in the note.
     */
    private static BenchRow threads(String label, List<double[]> runner, List<double[]> bare, String base) {
        double[] r = meanMillis(runner);
        double[] b = meanMillis(bare);
        StringBuilder note = new StringBuilder(base).append("; mean CPU ms per trial by thread (/proc/self/task), ")
                .append("runner | bare:");
        for (int i = 0; i < r.length; i++) {
            note.append(String.format(Locale.ROOT, " %s %.0f | %.0f;", ThreadCpuTimes.CATEGORIES.get(i), r[i], b[i]));
        }
        note.setLength(note.length() - 1);
        return BenchRow.of("a", label + ": JIT compiler CPU per trial, runner's JVM vs bare loop's", r[0], "CPU-ms",
                note.toString()).against("bare DJL loop's JVM", b[0]);
    }

    private static double[] meanMillis(List<double[]> rounds) {
        double[] mean = new double[ThreadCpuTimes.CATEGORIES.size()];
        for (double[] round : rounds) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += 1000 * round[2 + i] / rounds.size();
            }
        }
        return mean;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted between two trials of (a).", e);
        }
    }

    /**
     * The child's side: prepares one arm, answers {@code {ready}}, then runs one trial for every
     * {@code trial} line on standard input and answers {@code {seconds, cpuSeconds,
     * threadCpuSeconds}} (wall and process CPU seconds, and the CPU seconds of its threads by
     * {@link ThreadCpuTimes#CATEGORIES category}), until {@code quit} or the end of its input.
     *
     * @param out where answers go
     * @param arm {@value #RUNNER} or {@value #BARE}
     * @param model {@code mlp}, {@code cnn} or {@code lstm}
     * @param epochs epochs per trial
     * @param size the data limits
     * @param dir the arm's scratch directory (store, artifacts, bare checkpoints)
     * @throws Exception if a trial fails
     */
    static void serve(PrintStream out, String arm, String model, int epochs, BenchSize size, Path dir)
            throws Exception {
        PluginRegistry registry = PluginRegistry.load(List.of());
        ExperimentSpec spec = BenchTrials.experiment(model, epochs, size);
        TrialSpec trial = BenchTrials.trial(spec, registry);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        switch (arm) {
            case RUNNER -> {
                try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir));
                        AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(500))) {
                    SweepRunner runner = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of());
                    serveTrials(out, in, () -> TrackingOverheadBench.timeAssay(runner, spec, trial));
                }
            }
            case BARE -> serveTrials(out, in, () -> TrackingOverheadBench.timeBare(trial, registry, dir,
                    BareTraining.Evaluation.NONE));
            default -> throw new IllegalArgumentException("Unknown arm '" + arm + "'; use " + RUNNER + " or " + BARE);
        }
    }

    /** One timed trial: {wall seconds, process CPU seconds}. */
    @FunctionalInterface
    private interface TimedTrial {
        double[] run() throws Exception;
    }

    private static void serveTrials(PrintStream out, BufferedReader in, TimedTrial trial) throws Exception {
        BenchChild.answer(out, Map.of("ready", true));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            ThreadCpuTimes before = ThreadCpuTimes.now();
            double[] t = trial.run();
            BenchChild.answer(out, Map.of("seconds", t[0], "cpuSeconds", t[1],
                    "threadCpuSeconds", ThreadCpuTimes.now().secondsSince(before)));
        }
    }
}
