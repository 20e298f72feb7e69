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
     */
    private List<BenchRow> interleavedSteps(String label) throws Exception {
        return interleaved(label + ": Assay's per-batch path vs plain loop, interleaved step by step",
                size.interleavedSteps(), 20, "update steps", BareTraining::trainOneStep);
    }

    /**
     * The same two loops taking turns every epoch: each epoch (training, validation, the epoch's
     * reads and metrics) timed to its end, the engine left to run ahead of the Java thread within
     * it as in a real trial, which the step-by-step measurement (a wait after every step) does not.
     */
    private List<BenchRow> interleavedEpochs(String label) throws Exception {
        return interleaved(label + ": Assay's per-batch path vs plain loop, interleaved epoch by epoch",
                size.interleavedEpochs(), 2, "epochs", BareTraining::trainOneEpoch);
    }

    /**
     * DJL's default MXNet updater (the KVStore, {@code MxParameterServer}) against the local
     * parameter server Assay selects ({@link EngineSelection}), both with the plain loop, taking
     * turns every epoch. Ratio = KVStore / local: above 1, Assay's choice trains faster.
     */
    private List<BenchRow> kvStoreEpochs(String label) throws Exception {
        return interleaved(label + ": bare loop, DJL's default MXNet KVStore updater vs the local parameter server"
                + " Assay selects, interleaved epoch by epoch", size.interleavedEpochs(), 2, "epochs",
                BareTraining::trainOneEpoch, "local parameter server, ms", false,
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
                "the other plain loop, ms", false,
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
     * run), taking turns every unit in alternating order, after {@code warmup} units of each.
     */
    private List<BenchRow> interleaved(String name, int rounds, int warmup, String units, TrainingUnit unit)
            throws Exception {
        return interleaved(name, rounds, warmup, units, unit, "plain loop, ms", true,
                (trial, data, dir, tracker) -> BareTraining.create(trial, registry, data, dir,
                        BareTraining.Evaluation.ASSAY_PATH, tracker),
                (trial, data, dir, tracker) -> BareTraining.create(trial, registry, data, dir,
                        BareTraining.Evaluation.NONE, null));
    }

    /**
     * Times {@code rounds} units of side {@code measured} and side {@code reference}, taking turns
     * every unit in alternating order, after {@code warmup} units of each; the measured side gets
     * a tracker logging to a real run. With {@code target}, the row carries the ≤ 1.03 target.
     */
    private List<BenchRow> interleaved(String name, int rounds, int warmup, String units, TrainingUnit unit,
            String referenceName, boolean target, Side measured, Side reference) throws Exception {
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
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            ratios[i] = assay[i] / (double) plain[i];
        }
        double plainMedian = TrackingOverheadBench.median(Arrays.stream(plain).asDoubleStream().toArray()) / 1e6;
        double assayMedian = TrackingOverheadBench.median(Arrays.stream(assay).asDoubleStream().toArray()) / 1e6;
        double totalRatio = Arrays.stream(assay).sum() / (double) Arrays.stream(plain).sum();
        String note = String.format(Locale.ROOT, "%d %s of each loop after %d warm-up, taking turns every"
                + " one; ratio = median of the per-%s ratios; %s; ratio of total times %.3f", rounds, units, warmup,
                units.endsWith("epochs") ? "epoch" : "step", TrackingOverheadBench.interval(ratios), totalRatio);
        BenchRow row = BenchRow.of("a", name, assayMedian, "ms", note).withRatio(referenceName, plainMedian,
                TrackingOverheadBench.median(ratios));
        return List.of(target ? row.target(Target.ratioAtMost(1.03)) : row);
    }

    private static long timed(TrainingUnit unit, BareTraining training) throws Exception {
        long start = System.nanoTime();
        unit.train(training);
        return System.nanoTime() - start;
    }
}
