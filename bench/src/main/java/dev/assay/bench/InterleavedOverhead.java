package dev.assay.bench;

import ai.djl.ndarray.NDManager;
import dev.assay.plugin.PluginRegistry;
import dev.assay.run.EngineSelection;
import dev.assay.spec.ExperimentSpec;
import dev.assay.sweep.TrialSpec;
import dev.assay.track.AsyncTracker;
import dev.assay.track.NewRun;
import dev.assay.track.RunTracker;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The comparisons of {@link TrackingOverheadBench} that take turns within one trial rather than
 * between trials: Assay's per-batch path against the plain loop step by step and epoch by epoch,
 * DJL's default MXNet KVStore updater against the local parameter server Assay selects, and an A/A
 * comparison of two identical plain loops that shows the epoch-by-epoch method's own bias. A
 * machine whose load drifts over seconds disturbs these far less than whole-trial rounds.
 */
final class InterleavedOverhead {

    private final BenchSize size;
    private final PluginRegistry registry;
    private final Path workDir;

    /**
     * Creates the comparisons.
     *
     * @param size steps and epochs per comparison, data limits
     * @param registry the plugins (the built-in ones)
     * @param workDir a scratch directory for the store
     */
    InterleavedOverhead(BenchSize size, PluginRegistry registry, Path workDir) {
        this.size = size;
        this.registry = registry;
        this.workDir = workDir;
    }

    /**
     * Runs them on the MLP trial.
     *
     * @param label the model's label, e.g. "MLP 784-256-128-10"
     * @return one row each: per-batch path step by step and epoch by epoch (target ≤ 1.03), KVStore
     *     vs local parameter server, A/A
     * @throws Exception if training fails
     */
    List<BenchRow> run(String label) throws Exception {
        List<BenchRow> rows = new ArrayList<>();
        rows.addAll(interleavedSteps(label));
        rows.addAll(interleavedEpochs(label));
        rows.addAll(kvStoreEpochs(label));
        rows.addAll(identicalEpochs(label));
        return rows;
    }

    /**
     * Assay's per-batch path against the plain loop, trained step by step in alternation: two
     * copies of the MLP trial in one JVM, one with no listener, one as Assay's {@code
     * classification} task sets it up (device-side loss and accuracy, the tracking listener logging
     * to a real run through {@link AsyncTracker}); each update step is timed to its end (the
     * parameters read back), and the two loops take turns every step (in alternating order), so
     * that load from elsewhere, which drifts over seconds, falls on both alike. Per-trial costs
     * are not in it; it is the steady per-step overhead that a long trial's ratio tends to.
     *
     * <p>The per-batch path reads the objective back once every {@code log_every_n_steps} steps
     * (20), so that one step in 20 carries that cost and the others do not: the ratio is taken per
     * cycle of 20 consecutive steps (each holding one such read), the sum of the cycle's Assay
     * step times over the sum of its plain ones, and the row reports the median of the cycles'
     * ratios. A median of single steps' ratios would leave the read out altogether.
     */
    private List<BenchRow> interleavedSteps(String label) throws Exception {
        int cycle = BenchTrials.trial(BenchTrials.experiment("mlp", 1, size), registry).config().training()
                .logEveryNSteps();
        return interleaved(label + ": Assay's per-batch path vs plain loop, interleaved step by step",
                size.interleavedSteps(), cycle, "update steps", BareTraining::trainOneStep, cycle);
    }

    /**
     * The same two loops taking turns every epoch: each epoch (training, validation, the epoch's
     * reads and metrics) timed to its end, the engine left to run ahead of the Java thread within
     * it as in a real trial, which the step-by-step measurement (a wait after every step) does not.
     */
    private List<BenchRow> interleavedEpochs(String label) throws Exception {
        return interleaved(label + ": Assay's per-batch path vs plain loop, interleaved epoch by epoch",
                size.interleavedEpochs(), 2, "epochs", BareTraining::trainOneEpoch, 1);
    }

    /**
     * DJL's default MXNet updater (the KVStore, {@code MxParameterServer}) against the local
     * parameter server Assay selects ({@link EngineSelection}), both with the plain loop, taking
     * turns every epoch. Ratio = KVStore / local: above 1, Assay's choice trains faster.
     */
    private List<BenchRow> kvStoreEpochs(String label) throws Exception {
        return interleaved(label + ": bare loop, DJL's default MXNet KVStore updater vs the local parameter server"
                + " Assay selects, interleaved epoch by epoch", size.interleavedEpochs(), 2, "epochs",
                BareTraining::trainOneEpoch, 1, "local parameter server, ms", false,
                (trial, data, dir, tracker) -> withKvStore(() -> BareTraining.create(trial, registry, data, dir,
                        BareTraining.Evaluation.NONE, null)),
                (trial, data, dir, tracker) -> BareTraining.create(trial, registry, data, dir,
                        BareTraining.Evaluation.NONE, null));
    }

    /**
     * An A/A comparison: two identical plain loops taking turns every epoch. Their ratio would be
     * 1 if the epoch-by-epoch method had no bias of its own; how far it is from 1 (and its
     * interval) says how small a difference that method can resolve on this machine.
     */
    private List<BenchRow> identicalEpochs(String label) throws Exception {
        return interleaved(label + ": plain loop vs an identical plain loop (A/A: the method's own bias),"
                + " interleaved epoch by epoch", size.interleavedEpochs(), 2, "epochs", BareTraining::trainOneEpoch,
                1, "the other plain loop, ms", false,
                (trial, data, dir, tracker) -> BareTraining.create(trial, registry, data, dir,
                        BareTraining.Evaluation.NONE, null),
                (trial, data, dir, tracker) -> BareTraining.create(trial, registry, data, dir,
                        BareTraining.Evaluation.NONE, null));
    }

    /** Creates a training with MXNet's KVStore updater (the property is read when the trainer is created). */
    private static BareTraining withKvStore(Callable<BareTraining> create) throws Exception {
        String before = System.getProperty(EngineSelection.LOCAL_PARAMETER_SERVER);
        System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, "false");
        try {
            return create.call();
        } finally {
            System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, before == null ? "true" : before);
        }
    }

    /** A unit of training timed in {@link #interleaved}. */
    @FunctionalInterface
    private interface TrainingUnit {
        void train(BareTraining training) throws Exception;
    }

    /** Creates one side of an {@link #interleaved} comparison. */
    @FunctionalInterface
    private interface Side {
        BareTraining create(TrialSpec trial, NDManager data, Path dir, RunTracker tracker) throws Exception;
    }

    /**
     * Times {@code rounds} units of each loop (plain, and Assay's per-batch path logging to a real
     * run), taking turns every unit in alternating order, after {@code warmup} units of each; the
     * ratio is taken per group of {@code group} consecutive units.
     */
    private List<BenchRow> interleaved(String name, int rounds, int warmup, String units, TrainingUnit unit,
            int group) throws Exception {
        return interleaved(name, rounds, warmup, units, unit, group, "plain loop, ms", true,
                (trial, data, dir, tracker) -> BareTraining.create(trial, registry, data, dir,
                        BareTraining.Evaluation.ASSAY_PATH, tracker),
                (trial, data, dir, tracker) -> BareTraining.create(trial, registry, data, dir,
                        BareTraining.Evaluation.NONE, null));
    }

    /**
     * Times {@code rounds} units of side {@code measured} and side {@code reference}, taking turns
     * every unit in alternating order, after {@code warmup} units of each; the measured side gets
     * a tracker logging to a real run. The ratio is the median, over the groups of {@code group}
     * consecutive units (a last, shorter group is dropped), of the group's total measured time over
     * its total reference time. With {@code target}, the row carries the ≤ 1.03 target.
     */
    private List<BenchRow> interleaved(String name, int rounds, int warmup, String units, TrainingUnit unit,
            int group, String referenceName, boolean target, Side measured, Side reference) throws Exception {
        ExperimentSpec spec = BenchTrials.experiment("mlp", 1, size);
        TrialSpec trial = BenchTrials.trial(spec, registry);
        Path dir = workDir.resolve("overhead-interleaved-" + units.replace(' ', '-'));
        long[] plain = new long[rounds];
        long[] assay = new long[rounds];
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir));
                AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(500));
                NDManager plainData = NDManager.newBaseManager();
                NDManager assayData = NDManager.newBaseManager()) {
            String runId = store.createRun(new NewRun(spec.name(), spec.description(), units, 0, trial.trialKey(),
                    trial.seed(), "", "{}", Map.of(), Map.of()));
            try (BareTraining bare = reference.create(trial, plainData, dir, null);
                    BareTraining tracked = measured.create(trial, assayData, dir,
                            tracker.tracker(runId, dir.resolve(runId)))) {
                for (int i = 0; i < warmup; i++) {
                    unit.train(bare);
                    unit.train(tracked);
                }
                for (int i = 0; i < rounds; i++) {
                    if (i % 2 == 0) {
                        plain[i] = timed(unit, bare);
                        assay[i] = timed(unit, tracked);
                    } else {
                        assay[i] = timed(unit, tracked);
                        plain[i] = timed(unit, bare);
                    }
                }
            }
            tracker.flush();
        }
        double[] ratios = groupRatios(assay, plain, group);
        double plainMedian = TrackingOverheadBench.median(Arrays.stream(plain).asDoubleStream().toArray()) / 1e6;
        double assayMedian = TrackingOverheadBench.median(Arrays.stream(assay).asDoubleStream().toArray()) / 1e6;
        double totalRatio = Arrays.stream(assay).sum() / (double) Arrays.stream(plain).sum();
        String unitName = units.endsWith("epochs") ? "epoch" : "step";
        String per = group == 1 ? "per-" + unitName + " ratios" : "ratios of " + ratios.length
                + (ratios.length == 1 ? " cycle" : " cycles") + " of " + group + " consecutive " + unitName
                + "s (each cycle's total time, Assay over plain)";
        String note = String.format(Locale.ROOT, "%d %s of each loop after %d warm-up, taking turns every"
                + " one; measured and reference: median %s time; ratio = median of the %s; %s; ratio of total"
                + " times %.3f", rounds, units, warmup, unitName, per, TrackingOverheadBench.interval(ratios),
                totalRatio);
        BenchRow row = BenchRow.of("a", name, assayMedian, "ms", note).withRatio(referenceName, plainMedian,
                TrackingOverheadBench.median(ratios));
        return List.of(target ? row.target(Target.ratioAtMost(1.03)) : row);
    }

    /**
     * The ratio of each group of {@code group} consecutive units: the group's total {@code
     * measured} time over its total {@code reference} time; a last group shorter than {@code
     * group} is dropped (when there are fewer units than one group, the one group is all of them).
     *
     * @param measured the measured side's times, one per unit
     * @param reference the reference side's times, in the same order
     * @param group units per group, ≥ 1
     * @return one ratio per group
     */
    static double[] groupRatios(long[] measured, long[] reference, int group) {
        int groups = Math.max(1, measured.length / group);
        int size = measured.length < group ? measured.length : group;
        double[] ratios = new double[groups];
        for (int g = 0; g < groups; g++) {
            long m = 0;
            long r = 0;
            for (int i = g * size; i < (g + 1) * size; i++) {
                m += measured[i];
                r += reference[i];
            }
            ratios[g] = m / (double) r;
        }
        return ratios;
    }

    private static long timed(TrainingUnit unit, BareTraining training) throws Exception {
        long start = System.nanoTime();
        unit.train(training);
        return System.nanoTime() - start;
    }
}
