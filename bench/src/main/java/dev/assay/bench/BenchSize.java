package dev.assay.bench;

import java.util.Locale;

/**
 * How big each benchmark is. {@link #TINY} proves the harness works in seconds (CI); {@link #FULL}
 * gives the published figures. Training uses the first {@code limitTrain} training and {@code
 * limitTest} test images of Fashion-MNIST with 10% of the training images held out for validation
 * (at full size the first 6,000/1,000 images: the same images as the subset bundled in the jar).
 *
 * @param name {@code tiny} or {@code full}
 * @param limitTrain training images read (before the validation split)
 * @param limitTest test images read
 * @param overheadWarmupPairs (a) rounds (one trial of each arm) run first and discarded
 * @param mlpPairs (a) rounds measured for the MLP
 * @param cnnPairs (a) rounds measured for the CNN
 * @param mlpEpochs (a) epochs of each MLP trial
 * @param cnnEpochs (a) epochs of each CNN trial
 * @param mlpLongEpochs (a) epochs of the longer MLP trial, which with the short one splits Assay's
 *     overhead into a cost per trial and a cost per training step
 * @param mlpLongPairs (a) rounds measured for the longer MLP trial
 * @param interleavedSteps (a) MLP update steps timed for each of the two loops trained step by step
 *     in alternation (Assay's per-batch path against the plain loop)
 * @param interleavedEpochs (a) MLP epochs timed for each of the two loops trained epoch by epoch in
 *     alternation (with validation and the epoch's reads, the engine left to run asynchronously
 *     within an epoch)
 * @param ingestMetrics (b) metric series per writer
 * @param ingestPointsPerMetric (b) points per series of the single writer
 * @param ingestWriters (b) writer processes sharing one store
 * @param ingestProcessPointsPerMetric (b) points per series of each of the writer processes
 * @param rowReferencePoints (b) rows written by the row-per-point reference
 * @param ingestRepeats (b) rounds of the chunk bound and the one-writer runs (per-round ratios, their
 *     median reported)
 * @param gemmSize (c) n of the n×n float32 matrix product timed
 * @param gemmRepeats (c) timed matrix products
 * @param warmupSteps (c) training steps run before timing each model
 * @param minSteps (c) fewest timed training steps per model
 * @param maxSteps (c) most timed training steps per model
 * @param timedSeconds (c) steps are timed, in groups of 5, until at least this many seconds have
 *     passed (and {@code minSteps} are done), or {@code maxSteps} are done
 * @param memoryEpochs (d) epochs of the CNN trial whose memory is watched
 * @param separateJvmWarmup (a) rounds run first and discarded when the runner and the bare loop each
 *     run in a JVM of their own ({@link SeparateJvmOverhead}); each JVM starts cold, so more than
 *     {@code overheadWarmupPairs}
 * @param separateJvmRounds (a) rounds measured that way (3-epoch MLP trials)
 */
public record BenchSize(String name, int limitTrain, int limitTest, int overheadWarmupPairs,
        int mlpPairs, int cnnPairs, int mlpEpochs, int cnnEpochs, int mlpLongEpochs, int mlpLongPairs,
        int interleavedSteps, int interleavedEpochs, int ingestMetrics, int ingestPointsPerMetric,
        int ingestWriters, int ingestProcessPointsPerMetric, int rowReferencePoints, int ingestRepeats, int gemmSize,
        int gemmRepeats, int warmupSteps, int minSteps, int maxSteps, double timedSeconds, int memoryEpochs,
        int separateJvmWarmup, int separateJvmRounds) {

    /** Seconds: 512/128 images, one A/B pair, 10,000 points, 256² GEMM, 3-epoch memory trial. */
    public static final BenchSize TINY = new BenchSize("tiny", 512, 128, 0, 1, 1, 1, 1, 2, 1, 10, 2,
            2, 5_000, 4, 1_000, 10_000, 1, 256, 2, 1, 2, 2, 0, 3, 0, 1);

    /**
     * Minutes: 6,000/1,000 images; 3 warm-up + 16 MLP rounds (3 epochs), 3 + 8 MLP rounds (15
     * epochs), 3,000 interleaved MLP steps and 60 interleaved MLP epochs per loop and 3 + 8 CNN
     * rounds (1 epoch; a CNN round took 1.4 to 8.9 s on the 2-vCPU machine as load from other
     * tenants came and went, so five rounds did not settle the median); measured rounds in
     * multiples of four, the period of the arms' orders ({@link TrackingOverheadBench#ORDERS}); 10 warm-up + 30 rounds of
     * the 3-epoch MLP with runner and bare loop each in a JVM of its own (a cold JVM's first
     * trials are 2-4 times slower; the runner's JVM keeps compiling far longer: its JIT compiler
     * threads still used 97 ms of CPU per trial after 10 warm-up rounds against the bare JVM's
     * 30, and about 50 against 12 over rounds 26-120, measured out of tree by the same count); 8 series ×
     * 1,000,000 points for each one-writer run and for the chunk bound, 5 rounds after one untimed
     * (the bound's timed window at 500,000 points was 0.13-0.28 s); 4
     * processes × 8 × 125,000; 400,000 rows for the row-per-point reference; 1024²
     * GEMM × 10; 10 to 400 timed steps, 10 s, per model and engine; 10 epochs for the memory trial.
     */
    public static final BenchSize FULL = new BenchSize("full", 6_000, 1_000, 3, 16, 8, 3, 1, 15, 8, 3_000, 60,
            8, 1_000_000, 4, 125_000, 400_000, 5, 1024, 10, 5, 10, 400, 10, 10, 10, 30);

    /**
     * Returns the size named {@code tiny} or {@code full}.
     *
     * @param name the name, any case
     * @return the size
     * @throws IllegalArgumentException for another name
     */
    public static BenchSize parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> TINY;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("Unknown benchmark size '" + name + "'; use tiny or full.");
        };
    }

    /**
     * Returns this size's name, so a size can travel as a command-line argument.
     *
     * @return {@link #name()}
     */
    @Override
    public String toString() {
        return name;
    }
}
