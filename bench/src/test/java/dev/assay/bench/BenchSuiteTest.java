package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.bench.jmh.LogMetricBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every benchmark once at tiny size and checks that the results are well-formed: every
 * section ran, figures are finite and positive, every logged point was stored, ratios are finite,
 * and the JSON file reads back. Never a timing threshold: these are not performance tests.
 */
class BenchSuiteTest {

    @TempDir
    static Path out;

    private static BenchSuite.Run run;
    private static Set<Path> scratchBefore;
    private static Set<Path> scratchAfter;

    @BeforeAll
    static void runTinyBenchmarks() throws IOException {
        scratchBefore = benchScratch();
        run = BenchSuite.run(new BenchOptions(BenchOptions.ALL, BenchSize.TINY, out,
                ThroughputBench.ENGINES, "test"));
        scratchAfter = benchScratch();
    }

    /** The benchmarks' scratch directories in the temporary directory. */
    private static Set<Path> benchScratch() throws IOException {
        try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("assay-bench")).collect(Collectors.toSet());
        }
    }

    @Test
    void leavesNoScratchDirectoryBehind() {
        // the throughput children once made their own temporary directories and left them
        assertThat(scratchAfter).isEqualTo(scratchBefore);
    }

    @Test
    void everySectionRunsWithoutErrors() {
        assertThat(run.results().errors()).isEmpty();
        assertThat(run.results().rows()).extracting(BenchRow::section).contains("a", "b", "c", "d");
    }

    @Test
    void figuresAreFiniteAndRatiosPositive() {
        for (BenchRow row : run.results().rows()) {
            assertThat(row.value()).as(row.name()).isFinite();
            if (row.ratio() != null) {
                assertThat(row.ratio()).as(row.name()).isFinite().isPositive();
            }
            if (row.target() != null) {
                assertThat(row.pass()).as(row.name()).isNotNull();
            }
        }
    }

    @Test
    void overheadComparesTwoMlpLengthsAndTheCnnWithPositiveTimesAndSplitsTheCost() {
        List<BenchRow> a = section("a");
        // six rows per comparison (MLP short, MLP long, CNN), four for the short MLP with each side in its own
        // JVM, the step-by-step and epoch-by-epoch ratios, the parameter-server comparison and the A/A comparison
        assertThat(a).hasSize(3 * 6 + 4 + 4);
        assertThat(a.stream().filter(r -> r.unit().equals("s") || r.unit().equals("CPU-s"))).hasSize(21)
                .allSatisfy(r -> {
                    assertThat(r.value()).as(r.name()).isPositive();
                    assertThat(r.reference()).as(r.name()).isPositive();
                });
        assertThat(a.stream().filter(r -> r.unit().equals("ms")).map(BenchRow::name)).containsExactly(
                "MLP 784-256-128-10: Assay's per-batch path vs plain loop, interleaved step by step",
                "MLP 784-256-128-10: Assay's per-batch path vs plain loop, interleaved epoch by epoch",
                "MLP 784-256-128-10: bare loop, DJL's default MXNet KVStore updater vs the local parameter server"
                        + " Assay selects, interleaved epoch by epoch",
                "MLP 784-256-128-10: plain loop vs an identical plain loop (A/A: the method's own bias),"
                        + " interleaved epoch by epoch");
        BenchRow steps = a.get(a.size() - 10);
        assertThat(steps.name()).endsWith("interleaved step by step");
        // 10 steps, fewer than one cycle of log_every_n_steps (20): one cycle of all ten
        assertThat(steps.note()).startsWith("10 update steps of each loop after 20 warm-up")
                .contains("ratio = median of the ratios of 1 cycle of 20 consecutive steps", "one round: no interval");
        BenchRow epochs = a.get(a.size() - 9);
        assertThat(epochs.name()).endsWith("plain loop, interleaved epoch by epoch");
        assertThat(epochs.note()).startsWith("2 epochs of each loop after 2 warm-up");
        BenchRow kvStore = a.get(a.size() - 8);
        assertThat(kvStore.referenceName()).isEqualTo("local parameter server, ms");
        assertThat(kvStore.target()).isNull();
        BenchRow identical = a.get(a.size() - 7);
        assertThat(identical.referenceName()).isEqualTo("the other plain loop, ms");
        assertThat(identical.target()).isNull();
        for (BenchRow row : List.of(steps, epochs, kvStore, identical)) {
            assertThat(row.value()).as(row.name()).isPositive();
            assertThat(row.reference()).as(row.name()).isPositive();
            assertThat(row.ratio()).as(row.name()).isPositive().isFinite();
        }
        List<BenchRow> separate = a.subList(6, 10);
        assertThat(separate.get(0).name()).endsWith("Assay runner vs bare DJL loop, each in its own JVM (trial time)");
        assertThat(separate.get(0).note()).contains("each in a JVM of its own", "1 round(s) after 0 warm-up");
        BenchRow jit = separate.get(3);
        assertThat(jit.unit()).isEqualTo("CPU-ms");
        // a cold JVM's first trial compiles: both JVMs' compiler threads used CPU, and the note splits the rest
        assertThat(jit.value()).isPositive();
        assertThat(jit.reference()).isPositive();
        assertThat(jit.note()).contains("runner | bare: JIT compiler ", "; GC and VM ", "; tracking ",
                "; training and other ");
        assertThat(a.stream().filter(r -> r.target() != null))
                .hasSize(6).allSatisfy(r -> assertThat(r.target()).isEqualTo(Target.ratioAtMost(1.03)));
    }

    @Test
    void ingestionStoresEveryLoggedPoint() {
        Map<String, BenchRow> b = byName(section("b"));
        assertThat(b.get("lost points, one writer").value()).isZero();
        assertThat(b.get("lost points, 4 writer processes").value()).isZero();
        assertThat(b.get("lost points, one writer").note()).contains("logged 10,000; stored in chunks 10,000");
        assertThat(b.get("Tracker API, one writer").value()).isPositive();
        // the same points, a logMetrics call per step
        assertThat(b.get("lost points, one writer, a logMetrics call per step").value()).isZero();
        assertThat(b.get("lost points, one writer, a logMetrics call per step").note())
                .contains("logged 10,000; stored in chunks 10,000; summary counts 10,000");
        assertThat(b.get("Tracker API, one writer, a logMetrics call per step, vs chunk bound").target())
                .isEqualTo(Target.ratioAtLeast(0.5));
        assertThat(b.get("plain JDBC, chunks of 1,024 points (bound)").value()).isPositive();
    }

    @Test
    void throughputCoversThreeModelsOnBothEnginesWithGemmCeilings() {
        List<BenchRow> c = section("c");
        assertThat(c).hasSize(2 * (1 + 3 * 2));
        assertThat(c).allSatisfy(r -> assertThat(r.value()).isPositive());
        assertThat(c.stream().filter(r -> r.unit().equals("GFLOP/s") && r.ratio() != null)).hasSize(6);
        assertThat(run.results().machine().engines()).containsKeys("MXNet", "PyTorch");
    }

    @Test
    void memoryReportsPeakAndGrowthAfterEpochTwo() {
        Map<String, BenchRow> d = byName(section("d"));
        assertThat(d.get("peak RSS (VmHWM), 3-epoch CNN trial").value()).isGreaterThan(50);
        assertThat(d.get("peak RSS (VmHWM), 3-epoch CNN trial").note()).endsWith("child JVM -Xmx4g");
        assertThat(d.get("RSS growth after epoch 2").note()).contains("epochs 3..3");
        // the same trial again in a JVM whose committed heap is resident from the start
        assertThat(d.get("peak RSS (VmHWM), 3-epoch CNN trial, committed heap pre-touched").note())
                .endsWith("child JVM -Xmx4g -XX:+AlwaysPreTouch");
        assertThat(d.get("RSS growth after epoch 2, committed heap pre-touched").target()).isEqualTo(Target.valueAtMost(5));
        // the resident set split at the Java heap's range, from the child's HotSpot log and smaps
        for (String label : List.of("", ", committed heap pre-touched")) {
            BenchRow outside = d.get("RSS outside the Java heap, growth after epoch 2" + label);
            assertThat(outside.value()).isFinite();
            assertThat(outside.note()).containsPattern("Java heap resident MiB by epoch: 1:[1-9]\\d* 2:[1-9]\\d* 3:[1-9]");
            // each epoch's own peak: VmHWM reset at the epoch before's end, so none from epoch 1 (data loading)
            BenchRow peaks = d.get("each epoch's peak RSS, growth after epoch 2" + label);
            assertThat(peaks.value()).isFinite();
            assertThat(peaks.note()).containsPattern("VmHWM of each epoch MiB: 1:- 2:[1-9]\\d* 3:[1-9]\\d*$");
            List<Long> epochPeaks = mibByEpoch(peaks.note(), "VmHWM of each epoch MiB: 1:-");
            List<Long> atEnds = mibByEpoch(d.get("peak RSS (VmHWM), 3-epoch CNN trial" + label).note(), "VmRSS MiB by epoch:");
            assertThat(epochPeaks.get(0)).as("epoch 2's peak vs its end").isGreaterThanOrEqualTo(atEnds.get(1));
            assertThat(epochPeaks.get(1)).as("epoch 3's peak vs its end").isGreaterThanOrEqualTo(atEnds.get(2));
            assertThat(d.get("peak RSS (VmHWM), 3-epoch CNN trial" + label).value())
                    .isGreaterThanOrEqualTo(Math.max(epochPeaks.get(0), epochPeaks.get(1)) - 1);
        }
        // pre-touched, the committed heap is resident in full from the start: resident = committed at each
        // epoch (it asserted the resident heap stayed the same, and failed in CI when G1 grew the heap)
        List<Long> committed = mibByEpoch(d.get("peak RSS (VmHWM), 3-epoch CNN trial, committed heap pre-touched").note(),
                "committed Java heap MiB by epoch:");
        List<Long> resident = mibByEpoch(d.get("RSS outside the Java heap, growth after epoch 2, committed heap pre-touched")
                .note(), "Java heap resident MiB by epoch:");
        assertThat(resident).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(resident.get(i)).as("epoch %d", i + 1).isCloseTo(committed.get(i), org.assertj.core.data.Offset.offset(
                    2 + committed.get(i) / 20));
        }
    }

    /** The "1:83 2:83 3:229" figures that follow a label in a note, in epoch order. */
    private static List<Long> mibByEpoch(String note, String label) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(label)
                + "((?: \\d+:\\d+)+)").matcher(note);
        assertThat(m.find()).as("%s in %s", label, note).isTrue();
        return java.util.Arrays.stream(m.group(1).trim().split(" ")).map(p -> Long.parseLong(p.split(":")[1])).toList();
    }

    @Test
    void resultsFileReadsBackAndRendersAsATable() {
        BenchResults back = BenchResults.read(run.file());
        assertThat(back).isEqualTo(run.results());
        assertThat(run.file().getFileName().toString()).startsWith("bench-tiny-").endsWith(".json");
        assertThat(back.machine().cores()).isPositive();
        assertThat(BenchTable.render(back)).contains("figure", "Tracker API, one writer", "Machine:");
    }

    @Test
    void aTinyRunJudgesNoTargetAFullRunDoes() {
        // a tiny run is one cold round of each side: its ratios (4 to 5 for Assay vs bare) are no measurement
        BenchResults tiny = run.results();
        assertThat(tiny.rows()).anyMatch(r -> Boolean.FALSE.equals(r.pass()));
        String tinyTable = BenchTable.render(tiny);
        assertThat(tinyTable).contains("(tiny)", "targets are not judged").doesNotContain(" NO ", "missed");

        BenchResults full = new BenchResults(tiny.createdAt(), "full", tiny.sections(), tiny.command(),
                tiny.elapsedSeconds(), tiny.machine(), tiny.rows(), tiny.errors(), null);
        assertThat(BenchTable.render(full)).contains(" NO ", full.missedTargets() + " target(s) missed")
                .doesNotContain("(tiny)");

        // a profiled full run carries the profiler's cost: not judged either, and says where the profiles are
        BenchResults profiled = new BenchResults(tiny.createdAt(), "full", tiny.sections(), tiny.command(),
                tiny.elapsedSeconds(), tiny.machine(), tiny.rows(), tiny.errors(),
                new BenchResults.Profile("wall", "bench/results/profile-full-x"));
        assertThat(BenchTable.render(profiled)).contains("(profiled)", "event wall", "bench/results/profile-full-x",
                "full size, profiled").doesNotContain(" NO ", "missed", "(tiny)");
    }

    @Test
    void logMetricMicroBenchmarkRunsInProcess() throws Exception {
        var options = new OptionsBuilder().include(LogMetricBenchmark.class.getSimpleName())
                .forks(0).warmupIterations(0).measurementIterations(5).shouldFailOnError(true).build();
        RunResult result = new Runner(options).run().iterator().next();
        assertThat(result.getPrimaryResult().getScore()).isFinite().isPositive();
    }

    private static List<BenchRow> section(String s) {
        return run.results().rows().stream().filter(r -> r.section().equals(s)).toList();
    }

    private static Map<String, BenchRow> byName(List<BenchRow> rows) {
        return rows.stream().collect(Collectors.toMap(BenchRow::name, Function.identity()));
    }
}
