package dev.assay.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.assay.plugin.PluginRegistry;
import dev.assay.run.EngineSelection;
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
 * (a) Tracking overhead: the same trial (an MLP for a short and a longer run, then a CNN) trained
 * through Assay's runner and through a bare DJL loop, alternated in one JVM, reported as the
 * median of the per-round time ratios (Assay / bare). Target: ≤ 1.03.
 *
 * <p>The Assay side is what {@code assay run} does for one trial: a {@link SweepRunner} over a real
 * H2 file store and {@link AsyncTracker} (500 ms flush interval), which creates the run, loads the
 * data, trains with the {@code classification} task (loss and accuracy accumulated on the device
 * by a {@code DeviceEvaluationTrainingListener}, {@code batch_loss} read back every 20 steps, epoch
 * metrics, validation, a checkpoint per epoch), tests, flushes and finishes the run. The bare side
 * ({@link BareTraining}) loads the same data, builds the same block and optimizer through the same
 * providers, and runs {@code EasyTrain.fit} with no listeners, then the test pass. Both sides seed
 * the engine with the trial seed, and both are timed from the start of the trial (data loading
 * included) to its end. The store is opened once per comparison, as {@code assay run} opens it
 * once per sweep.
 *
 * <p>Four arms take turns in the orders of a Williams square ({@link #ORDERS}: over four rounds
 * each arm runs first once and follows each other arm once, so that neither drift in machine load
 * nor what one arm leaves behind for the next, such as the runner's queued JIT compilation,
 * garbage and store writes, falls on one arm more than another); warm-up rounds are discarded:
 * Assay's runner; the bare loop; the bare loop with
 * Assay's per-batch path (device-side loss and accuracy and the tracking listener, as the
 * classification task attaches them); and the bare loop with DJL's own {@code
 * EvaluatorTrainingListener} (loss and {@code Accuracy}, reading every batch back to the host, as
 * Assay's tasks did before), for comparison. The MLP runs at two lengths, since Assay's cost per
 * trial weighs less in a longer one. The fastest round of each arm is reported too: on a shared
 * machine interference only adds time, so the fastest rounds show the intrinsic cost. Last, the
 * overhead of the per-batch path alone is measured with the two loops taking turns every step (see
 * {@link InterleavedOverhead}) and every epoch, which a machine whose
 * load drifts over seconds disturbs far less. Every median ratio comes with its distribution-free
 * 95% interval ({@link MedianInterval}).
 *
 * <p>The benchmark first claims MXNet as {@code assay run} does ({@link EngineSelection#claim}), so
 * both sides train with the same engine settings, Assay's choice of DJL's local parameter server
 * among them; an epoch-by-epoch comparison sets that choice against DJL's default MXNet
 * KVStore updater, both with the plain loop. A last one (A/A) times two identical plain loops, to
 * show the epoch-by-epoch method's own bias on the machine.
 */
public final class TrackingOverheadBench {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingOverheadBench.class);

    /** The arms, in their index order; index 0 is Assay's runner. */
    private static final BareTraining.Evaluation[] ARMS = {null, BareTraining.Evaluation.NONE,
        BareTraining.Evaluation.DJL, BareTraining.Evaluation.ASSAY_PATH};
    private static final int ASSAY = 0;

    /**
     * The arms' order in each round, the first measured round taking row 0 (the warm-up rounds
     * the rows before it, cyclically), the next row 1, and so on: a Williams Latin
     * square (E. J. Williams, "Experimental designs balanced for the estimation of residual effects
     * of treatments", Australian Journal of Scientific Research A 2 (1949) 149-168), in which every
     * arm directly follows every other arm exactly once within the four rows.
     */
    static final int[][] ORDERS = {{0, 1, 3, 2}, {1, 2, 0, 3}, {2, 3, 1, 0}, {3, 0, 2, 1}};

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
     * Runs the comparisons: the MLP at two trial lengths, then the CNN.
     *
     * @return per comparison: median Assay trial wall time in seconds against the median bare time,
     *     ratio = median of per-round ratios, target ≤ 1.03; the same in process CPU time; the
     *     fastest round of each; bare + Assay's per-batch path against bare; Assay against
     *     that (what remains is per trial and per epoch); bare + DJL's evaluators against bare.
     *     Then the ratio of Assay's per-batch path to the plain loop measured step by step and epoch
     *     by epoch (target ≤ 1.03).
     * @throws Exception if a trial fails (the message names it)
     */
    public List<BenchRow> run() throws Exception {
        EngineSelection.claim("MXNet"); // as assay run does: both sides get the same engine settings
        String mlp = "MLP 784-256-128-10";
        List<BenchRow> rows = new ArrayList<>();
        rows.addAll(rows(mlp + ", " + epochs(size.mlpEpochs()), "mlp", size.mlpEpochs(),
                measure("mlp", size.mlpEpochs(), size.mlpPairs())));
        rows.addAll(new SeparateJvmOverhead(size, workDir).run(mlp + ", " + epochs(size.mlpEpochs()), "mlp",
                size.mlpEpochs()));
        rows.addAll(rows(mlp + ", " + epochs(size.mlpLongEpochs()), "mlp", size.mlpLongEpochs(),
                measure("mlp", size.mlpLongEpochs(), size.mlpLongPairs())));
        rows.addAll(new InterleavedOverhead(size, registry, workDir).run(mlp));
        rows.addAll(rows("CNN conv32-conv64-fc128", "cnn", size.cnnEpochs(),
                measure("cnn", size.cnnEpochs(), size.cnnPairs())));
        return rows;
    }


    private List<List<double[]>> measure(String model, int epochs, int pairs) throws Exception {
        ExperimentSpec spec = BenchTrials.experiment(model, epochs, size);
        TrialSpec trial = BenchTrials.trial(spec, registry);
        Path dir = workDir.resolve("overhead-" + model + "-" + epochs);
        List<List<double[]>> arms = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(500))) {
            SweepRunner runner = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of());
            int total = size.overheadWarmupPairs() + pairs;
            for (int pair = 0; pair < total; pair++) {
                double[][] times = new double[ARMS.length][];
                for (int k = 0; k < ARMS.length; k++) {
                    int arm = ORDERS[Math.floorMod(pair - size.overheadWarmupPairs(), ORDERS.length)][k];
                    times[arm] = arm == ASSAY ? timeAssay(runner, spec, trial)
                            : timeBare(trial, registry, dir, ARMS[arm]);
                }
                LOG.info("(a) {} x{} round {}: Assay {} s ({} CPU-s), bare {} s ({} CPU-s), bare + DJL evaluators"
                        + " {} s, bare + Assay's per-batch path {} s", model, epochs, pair + 1, times[0][0],
                        times[0][1], times[1][0], times[1][1], times[2][0], times[3][0]);
                if (pair >= size.overheadWarmupPairs()) {
                    for (int arm = 0; arm < ARMS.length; arm++) {
                        arms.get(arm).add(times[arm]);
                    }
                }
            }
        }
        return arms;
    }

    private List<BenchRow> rows(String label, String model, int epochs, List<List<double[]>> arms) {
        List<double[]> assay = arms.get(ASSAY);
        List<double[]> bare = arms.get(1);
        List<double[]> djl = arms.get(2);
        List<double[]> device = arms.get(3);
        String base = String.format(Locale.ROOT, "%s, %d epoch(s) of %d training images per trial, %d round(s)"
                + " after %d warm-up", model, epochs, trainImages(), assay.size(), size.overheadWarmupPairs());
        return List.of(
                compared(label + ": Assay runner vs bare DJL loop (trial time)", "s", assay, bare, 0, base,
                        "bare DJL loop").target(Target.ratioAtMost(1.03)),
                compared(label + ": same, process CPU time", "CPU-s", assay, bare, 1, base
                        + "; CPU time of all this process's threads, less sensitive to other load", "bare DJL loop"),
                fastest(label + ": same, fastest round of each (intrinsic cost)", assay, bare, base),
                compared(label + ": bare loop + Assay's per-batch path vs bare", "s", device, bare,
                        0, base + "; device-side loss and accuracy and the tracking listener, as the classification task"
                        + " attaches them (logging to no store)",
                        "bare DJL loop"),
                compared(label + ": Assay runner vs bare + Assay's per-batch path", "s", assay, device, 0,
                        base + "; what remains is per trial and per epoch: the run record, checkpoints, tracking,"
                        + " the test pass's loss", "bare + per-batch path"),
                compared(label + ": bare loop + DJL's evaluators vs bare (for comparison)", "s", djl, bare, 0,
                        base + "; DJL's EvaluatorTrainingListener with loss and Accuracy, reading every batch back"
                        + " to the host, as Assay's tasks did before", "bare DJL loop"));
    }

    /** The fastest run of each side and their ratio: what is left when no other load interferes. */
    static BenchRow fastest(String name, List<double[]> assay, List<double[]> bare, String base) {
        double a = assay.stream().mapToDouble(x -> x[0]).min().orElse(Double.NaN);
        double b = bare.stream().mapToDouble(x -> x[0]).min().orElse(Double.NaN);
        return BenchRow.of("a", name, a, "s", base + "; interference only ever adds time, so the fastest"
                + " round bounds the intrinsic cost (as Python's timeit advises)").withRatio("bare DJL loop", b, a / b);
    }

    /** Median of column {@code col} of each side, and the median of the per-pair ratios. */
    static BenchRow compared(String name, String unit, List<double[]> assay, List<double[]> bare,
            int col, String base, String referenceName) {
        double[] ratios = new double[assay.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = assay.get(i)[col] / bare.get(i)[col];
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        String note = String.format(Locale.ROOT, "%s; per-pair ratios %.3f..%.3f; %s", base, sorted[0],
                sorted[sorted.length - 1], interval(ratios));
        return BenchRow.of("a", name, median(assay.stream().mapToDouble(x -> x[col]).toArray()), unit, note)
                .withRatio(referenceName, median(bare.stream().mapToDouble(x -> x[col]).toArray()), median(ratios));
    }

    private int trainImages() {
        return size.limitTrain() - (int) Math.round(size.limitTrain() * 0.1);
    }

    /** {wall seconds, process CPU seconds} of one trial through the runner. */
    static double[] timeAssay(SweepRunner runner, ExperimentSpec spec, TrialSpec trial) {
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

    /** {wall seconds, process CPU seconds} of one bare trial with the given per-batch evaluation. */
    static double[] timeBare(TrialSpec trial, PluginRegistry registry, Path dir, BareTraining.Evaluation evaluation)
            throws Exception {
        long cpu = CpuClock.processCpuNanos();
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager();
                BareTraining training = BareTraining.create(trial, registry, manager, dir.resolve("bare"), evaluation,
                        null)) {
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

    private static String epochs(int n) {
        return n == 1 ? "1 epoch" : n + " epochs";
    }

    /** The median's distribution-free 95% interval, as a note: "median ratio 95% interval a..b". */
    static String interval(double[] ratios) {
        if (ratios.length < 2) {
            return "one round: no interval";
        }
        MedianInterval i = MedianInterval.of(ratios, 0.95);
        return String.format(Locale.ROOT, "median ratio's %.1f%% interval %.3f..%.3f (sign test)",
                100 * i.confidence(), i.low(), i.high());
    }

    static double median(double[] values) {
        return new Median().evaluate(values);
    }
}
