package dev.assay.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.assay.plugin.PluginRegistry;
import dev.assay.run.SweepListener;
import dev.assay.run.SweepRunner;
import dev.assay.run.TrialOutcome;
import dev.assay.spec.ExperimentSpec;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.AsyncTracker;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (a) Tracking overhead: the same trial (MLP, then CNN) trained through Assay's runner and through
 * a bare DJL loop, alternated in one JVM, reported as the median of the per-pair time ratios
 * (Assay / bare). Target: ≤ 1.03.
 *
 * <p>The Assay side is what {@code assay run} does for one trial: a {@link SweepRunner} over a real
 * H2 file store and {@link AsyncTracker} (500 ms flush interval), which creates the run, loads the
 * data, trains with the {@code classification} task (loss and accuracy accumulated on the device
 * by a {@code DeviceEvaluationTrainingListener}, {@code batch_loss} read back every 20 steps, epoch
 * metrics, validation, a checkpoint per epoch), tests, flushes and finishes the run. The bare side ({@link BareTraining}) loads the same data, builds the same block and
 * optimizer through the same providers, and runs {@code EasyTrain.fit} with no listeners, then the
 * test pass. Both sides seed the engine with the trial seed, and both are timed from the start of
 * the trial (data loading included) to its end. The store is opened once per model, as {@code
 * assay run} opens it once per sweep. Pairs alternate their order (AB, BA, ...) so that drift in
 * machine load does not favour one side; warm-up pairs are discarded. A third arm, the bare loop
 * with DJL's own per-batch evaluation attached (an {@code EvaluatorTrainingListener} with the loss
 * and {@code Accuracy}, which reads every batch's values back to the host, as Assay's tasks did
 * before they accumulated on the device), shows what that way of evaluating costs; the three arms
 * rotate their order (ABC, BCA, CAB, ...).
 */
public final class TrackingOverheadBench {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingOverheadBench.class);

    private final BenchSize size;
    private final PluginRegistry registry;
    private final Path workDir;

    /**
     * Creates the benchmark.
     *
     * @param size pairs, epochs and data limits
     * @param registry the plugins (the built-in ones)
     * @param workDir a scratch directory for the store and artifacts
     */
    public TrackingOverheadBench(BenchSize size, PluginRegistry registry, Path workDir) {
        this.size = size;
        this.registry = registry;
        this.workDir = workDir;
    }

    /**
     * Runs the MLP and the CNN comparisons.
     *
     * @return four rows per model: median Assay trial wall time in seconds against the median bare
     *     time, ratio = median of per-pair ratios, target ≤ 1.03; the same for the process's CPU
     *     time; and, to split the overhead, bare + DJL evaluators against bare and Assay against
     *     bare + DJL evaluators (the last three informational)
     * @throws Exception if a trial fails (the message names it)
     */
    public List<BenchRow> run() throws Exception {
        List<BenchRow> rows = new ArrayList<>(compare("mlp", "MLP 784-256-128-10", size.mlpEpochs(), size.mlpPairs()));
        rows.addAll(compare("cnn", "CNN conv32-conv64-fc128", size.cnnEpochs(), size.cnnPairs()));
        return rows;
    }

    private List<BenchRow> compare(String model, String label, int epochs, int pairs) throws Exception {
        ExperimentSpec spec = BenchTrials.experiment(model, epochs, size);
        TrialSpec trial = BenchTrials.trial(spec, registry);
        Path dir = workDir.resolve("overhead-" + model);
        List<double[]> assay = new ArrayList<>();
        List<double[]> bare = new ArrayList<>();
        List<double[]> evaluated = new ArrayList<>();
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(500))) {
            SweepRunner runner = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of());
            int total = size.overheadWarmupPairs() + pairs;
            for (int pair = 0; pair < total; pair++) {
                double[][] times = new double[3][];
                for (int k = 0; k < 3; k++) {
                    int arm = (pair + k) % 3; // rotate the order: ABC, BCA, CAB, ...
                    times[arm] = arm == 0 ? timeAssay(runner, spec, trial) : timeBare(trial, dir, arm == 2);
                }
                LOG.info("(a) {} pair {}: Assay {} s ({} CPU-s), bare {} s ({} CPU-s), bare + DJL evaluators"
                        + " {} s ({} CPU-s)", model, pair + 1, times[0][0], times[0][1], times[1][0], times[1][1],
                        times[2][0], times[2][1]);
                if (pair >= size.overheadWarmupPairs()) {
                    assay.add(times[0]);
                    bare.add(times[1]);
                    evaluated.add(times[2]);
                }
            }
        }
        return rows(label, model, epochs, assay, bare, evaluated);
    }

    private List<BenchRow> rows(String label, String model, int epochs, List<double[]> assay, List<double[]> bare,
            List<double[]> evaluated) {
        String base = String.format(Locale.ROOT, "%s, %d epoch(s) of %d training images per trial, %d pair(s)"
                + " after %d warm-up", model, epochs, trainImages(), assay.size(), size.overheadWarmupPairs());
        return List.of(
                compared(label + ": Assay runner vs bare DJL loop (trial time)", "s", assay, bare, 0, base)
                        .target(Target.ratioAtMost(1.03)),
                compared(label + ": same, process CPU time", "CPU-s", assay, bare, 1, base
                        + "; CPU time of all this process's threads, less sensitive to other load"),
                compared(label + ": bare loop + DJL evaluators vs bare", "s", evaluated, bare, 0, base
                        + "; DJL's EvaluatorTrainingListener with loss and Accuracy, reading every batch back to the"
                        + " host (Assay's tasks accumulate on the device instead)"),
                compared(label + ": Assay runner vs bare + DJL evaluators", "s", assay, evaluated, 0, base
                        + "; Assay's whole trial against DJL's usual evaluated loop"));
    }

    /** Median of column {@code col} of each side, and the median of the per-pair ratios. */
    private static BenchRow compared(String name, String unit, List<double[]> assay, List<double[]> bare,
            int col, String base) {
        String referenceName = name.endsWith("vs bare + DJL evaluators") ? "bare + DJL evaluators" : "bare DJL loop";
        double[] ratios = new double[assay.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = assay.get(i)[col] / bare.get(i)[col];
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        String note = String.format(Locale.ROOT, "%s; per-pair ratios %.3f..%.3f", base, sorted[0],
                sorted[sorted.length - 1]);
        return BenchRow.of("a", name, median(assay.stream().mapToDouble(x -> x[col]).toArray()), unit, note)
                .withRatio(referenceName, median(bare.stream().mapToDouble(x -> x[col]).toArray()), median(ratios));
    }

    private int trainImages() {
        return size.limitTrain() - (int) Math.round(size.limitTrain() * 0.1);
    }

    /** {wall seconds, process CPU seconds} of one trial through the runner. */
    private static double[] timeAssay(SweepRunner runner, ExperimentSpec spec, TrialSpec trial) {
        long cpu = CpuClock.processCpuNanos();
        long start = System.nanoTime();
        List<TrialOutcome> outcomes = runner.run(spec, List.of(trial), SweepListener.NONE);
        double[] seconds = {(System.nanoTime() - start) / 1e9, (CpuClock.processCpuNanos() - cpu) / 1e9};
        TrialOutcome outcome = outcomes.get(0);
        if (outcome.status() != RunStatus.COMPLETED) {
            throw new IllegalStateException("The Assay-side trial of " + spec.name() + " ended "
                    + outcome.status().label() + ": " + outcome.error());
        }
        return seconds;
    }

    /** {wall seconds, process CPU seconds} of one bare trial, with or without DJL's evaluators. */
    private double[] timeBare(TrialSpec trial, Path dir, boolean evaluators) throws Exception {
        long cpu = CpuClock.processCpuNanos();
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager();
                BareTraining training = BareTraining.create(trial, registry, manager, dir.resolve("bare"), evaluators)) {
            double accuracy = training.fitAndTest(trial.config().training().epochs());
            LOG.debug("bare {} test accuracy {}", trial.config().model().name(), accuracy);
        }
        return new double[] {(System.nanoTime() - start) / 1e9, (CpuClock.processCpuNanos() - cpu) / 1e9};
    }

    /**
     * The engine this benchmark ran on.
     *
     * @return its name and version
     */
    public static Map<String, String> engine() {
        Engine e = Engine.getInstance();
        return Map.of(e.getEngineName(), e.getVersion(), "DJL", Engine.getDjlVersion());
    }

    static double median(double[] values) {
        return new Median().evaluate(values);
    }
}
