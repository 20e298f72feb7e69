package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.MetricPoint;
import dev.assay.track.NewRun;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's workflow on tiny data, in-process: {@code run} a two-trial sweep, then
 * {@code runs}, {@code show} and {@code show --config}, whose YAML reproduces the trial key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {

    @TempDir
    static Path dir;

    private CliFixture first;
    private List<RunRecord> runs;

    @BeforeAll
    void runSweep() throws IOException {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, """
                name: cli-tiny
                description: two tiny MLP trials
                dataset: {name: fashion-mnist, params: {limit_train: 256, limit_test: 128}}
                model: {architecture: mlp, params: {hidden: [16]}}
                task: classification
                training:
                  epochs: 2
                  batch_size: 64
                  optimizer: {name: adam, learning_rate: 3e-3}
                sweep:
                  variants:
                    none: {}
                    l2: {training.regularization.l2: 1e-3}
                """);
        first = CliFixture.run("run", file.toString(), "--store", store());
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            runs = db.runs("cli-tiny");
        }
    }

    private String store() {
        return dir.resolve("store").toString();
    }

    @Test
    void runCompletesEveryTrialAndPrintsTheResultsTable() {
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(runs).extracting(RunRecord::status)
                .containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED);
        assertThat(first.out()).contains("| variant |").contains("| test_accuracy |")
                .contains(runs.get(0).runId().substring(0, 8))
                .contains("2 trial(s): 2 completed");
        assertThat(first.err()).contains("epoch 2: train_loss ");
    }

    @Test
    void theDryRunShowsWhatEachVariantSetsAsTheResultsTableDoes() {
        // it showed the variant's name only ("none", "l2"), not the l2 value that variant sets
        CliFixture plan = CliFixture.run("run", dir.resolve("tiny.yaml").toString(), "--dry-run", "--rerun", "--store",
                store());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out().lines().filter(l -> l.startsWith("|")).map(l -> l.replaceAll("\\s+", " ")))
                .containsExactly("| # | trial key | seed | variant | l2 |",
                        "| 0 | " + runs.get(0).trialKey() + " | 42 | none | 0.0 |",
                        "| 1 | " + runs.get(1).trialKey() + " | 42 | l2 | 0.001 |");
        assertThat(first.out().replaceAll(" +", " ")).contains("| variant | l2 |"); // the results table's columns
    }

    @Test
    void runsListsBothRunsSortedByTheChosenMetric() {
        CliFixture r = CliFixture.run("runs", "--store", store(), "--sort", "test_accuracy");
        assertThat(r.exitCode()).isZero();
        List<RunRecord> sorted = runs.stream().sorted((a, b) -> Double.compare(
                b.metrics().get("test_accuracy").last(), a.metrics().get("test_accuracy").last()))
                .toList();
        int firstAt = r.out().indexOf(sorted.get(0).runId().substring(0, 8));
        int secondAt = r.out().indexOf(sorted.get(1).runId().substring(0, 8));
        assertThat(firstAt).isPositive().isLessThan(secondAt);
        assertThat(r.out()).contains("Experiment 'cli-tiny': 2 run(s)");
    }

    @Test
    void throughputSortsFastestFirstAndDurationsShortestFirst() {
        // samples_per_s sorted ascending (slowest first) while the rule was "ends with _s"
        for (String metric : List.of("samples_per_s", "epoch_time_s")) {
            CliFixture r = CliFixture.run("runs", "--store", store(), "--sort", metric);
            assertThat(r.exitCode()).as(r.err()).isZero();
            boolean fastFirst = metric.equals("samples_per_s");
            List<RunRecord> sorted = runs.stream().sorted((a, b) -> (fastFirst ? -1 : 1) * Double.compare(
                    a.metrics().get(metric).last(), b.metrics().get(metric).last())).toList();
            assertThat(sorted.get(0).metrics().get(metric).last())
                    .isNotEqualTo(sorted.get(1).metrics().get(metric).last());
            assertThat(r.out().indexOf(sorted.get(0).runId().substring(0, 8))).as(metric).isPositive()
                    .isLessThan(r.out().indexOf(sorted.get(1).runId().substring(0, 8)));
            // the rows were ordered by a column the table did not show (not among the default metrics)
            String header = r.out().lines().filter(l -> l.startsWith("| run ")).findFirst().orElseThrow();
            assertThat(header).as(metric).contains(" " + metric + " ");
        }
    }

    @Test
    void showPrintsParamsProvenanceAndMetricSummaries() {
        RunRecord run = runs.get(1);
        CliFixture r = CliFixture.run("show", run.runId().substring(0, 6), "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(run.runId()).contains("completed")
                .contains("training.regularization.l2").contains("0.001")
                .contains("engine").contains("MXNet").contains("val_accuracy")
                // nested provenance (the engine's thread settings) printed as k=v, not left blank
                .containsPattern("engineSettings +.*ai\\.djl\\.use_local_parameter_server=true")
                // whether MXNet flushed denormals (false where an earlier test ran MXNet first)
                .containsPattern("(?s)engineSettings +.*assay\\.mxnet\\.flush_denormals=(true|false)")
                // whether epoch ends trimmed the C heap (glibc on Linux: on)
                .containsPattern("(?s)engineSettings +.*assay\\.malloc_trim=true")
                // MXNet's CPU workspaces: one unless the environment says otherwise
                .containsPattern("(?s)engineSettings +.*assay\\.mxnet\\.cpu_temp_copy="
                        + java.util.regex.Pattern.quote(System.getenv().getOrDefault("MXNET_CPU_TEMP_COPY", "1")))
                // G1 collects after 5 s without a collection (the test JVM runs G1 and sets no interval)
                .containsPattern("(?s)engineSettings +.*assay\\.g1_periodic_gc_interval_ms=5000");
    }

    @Test
    void showPrintsADashForTheMinAndMaxOfASeriesWithoutAFiniteValue() {
        Path other = dir.resolve("nan-store");
        String runId;
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(other))) {
            runId = db.createRun(new NewRun("nan", null, "t0", 0, "k0", 1, "name: nan\n", "{}",
                    Map.of("training.regularization.l1", "1.0E-5",
                            "training.optimizer.learning_rate", "2.99732788365548E-4"), Map.of()));
            db.appendMetrics(runId, Map.of(
                    "val_loss", List.of(new MetricPoint(4, 1, Double.NaN, 1),
                            new MetricPoint(8, 2, Double.NaN, 2)),
                    "train_loss", List.of(new MetricPoint(4, 1, 0.5, 1),
                            new MetricPoint(8, 2, Double.NaN, 2))));
            db.finishRun(runId, RunStatus.DIVERGED, "the validation loss became NaN");
        }
        CliFixture r = CliFixture.run("show", runId, "--store", other.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        // it printed "NaN @-1": a step that does not exist
        assertThat(r.out()).doesNotContain("@-1");
        assertThat(cells(r.out(), "val_loss")).containsExactly("val_loss", "2", "NaN", "-", "-", "2");
        assertThat(cells(r.out(), "train_loss")).containsExactly("train_loss", "2", "NaN", "0.5000", "@4", "0.5000", "@4", "1");
        // params read 1.0E-5 beside the tables' and run names' 1e-5; every digit is kept
        assertThat(cells(r.out(), "training.regularization.l1")).containsExactly("training.regularization.l1", "1e-5");
        assertThat(cells(r.out(), "training.optimizer.learning_rate"))
                .containsExactly("training.optimizer.learning_rate", "2.99732788365548e-4");
    }

    /** The cells of the table row whose first cell is {@code first}, split at spaces and bars. */
    private static List<String> cells(String out, String first) {
        return out.lines().map(l -> l.replaceAll("^[|\\s]+|[|\\s]+$", "").split("[|\\s]+"))
                .filter(c -> c[0].equals(first)).map(List::of).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    @Test
    void showMetricPrintsTheSeriesAsCsv() {
        CliFixture r = CliFixture.run("show", runs.get(0).runId(), "--metric", "val_loss",
                "--store", store());
        String[] lines = r.out().split("\\R");
        assertThat(lines[0]).isEqualTo("step,epoch,value,wall_time_ms");
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).startsWith("4,1,");
        assertThat(lines[2]).startsWith("8,2,");
    }

    @Test
    void showConfigPrintsYamlThatReproducesTheTrialKey() throws IOException {
        RunRecord run = runs.get(1);
        CliFixture r = CliFixture.run("show", run.runId(), "--config", "--store", store());
        // printed without a final println: it once never reached the terminal (the writer was not flushed)
        assertThat(r.out()).isEqualTo(run.configYaml());
        // what the YAML cannot hold goes to standard error: where the data came from
        assertThat(r.err()).startsWith("# data: ").contains(run.tags().get("data.location"))
                .contains("(fingerprint " + run.tags().get("data.fingerprint") + ")");
        // it dropped the experiment's description
        assertThat(r.out()).startsWith("name: cli-tiny\ndescription: two tiny MLP trials\n");
        Path again = dir.resolve("again.yaml");
        Files.writeString(again, r.out());
        CliFixture plan = CliFixture.run("run", again.toString(), "--dry-run", "--store", store());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains(run.trialKey()).contains("1 trial(s) planned");
        // the plan said nothing of the store, where that trial is done: a run would skip it
        assertThat(plan.out()).contains("1 trial(s) planned for experiment 'cli-tiny'; 1 of them already completed,"
                + " diverged or pruned in the store: a run would skip them (--rerun runs them all); nothing was run.");
        assertThat(CliFixture.run("run", again.toString(), "--dry-run", "--rerun", "--store", store()).out())
                .contains("1 trial(s) planned for experiment 'cli-tiny'; nothing was run.");
    }

    @Test
    void contradictoryOrOutOfRangeOptionsAreUsageErrors() {
        // --ascending --descending was accepted (ascending won); compare --metrics with a typo exited 0 with a
        // column of dashes; ui --port 99999 and an unknown host failed as a Javalin exception, exit 1
        CliFixture both = CliFixture.run("runs", "--sort", "test_accuracy", "--ascending", "--descending", "--store",
                store());
        assertThat(both.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(both.err()).startsWith("error: --ascending and --descending contradict each other");
        CliFixture compare = CliFixture.run("compare", runs.get(0).runId(), runs.get(1).runId(), "--metrics",
                "test_acuracy", "--store", store());
        assertThat(compare.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(compare.err()).startsWith("error: no metric 'test_acuracy' in the runs compared; did you mean"
                + " 'test_accuracy'?");
        CliFixture port = CliFixture.run("ui", "--port", "99999", "--store", store());
        assertThat(port.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(port.err()).startsWith("error: --port must be from 0 to 65535 (0 picks a free one), got 99999.");
        CliFixture host = CliFixture.run("ui", "--host", "nosuchhost.invalid", "--port", "0", "--store", store());
        assertThat(host.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(host.err()).startsWith("error: --host nosuchhost.invalid: no such host or address.");
    }

    @Test
    void aMisspelledMetricIsAClearErrorNamingTheClosestAndTheKnownOnes() {
        for (String[] args : List.of(new String[] {"runs", "--sort", "test_acuracy"},
                new String[] {"runs", "--metrics", "val_loss,test_acuracy"})) {
            String[] withStore = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--store", store())).toArray(String[]::new);
            CliFixture r = CliFixture.run(withStore);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err()).startsWith("error: no metric " + (args[1].equals("--sort") ? "or parameter " : "")
                    + "'test_acuracy' in the runs of experiment 'cli-tiny'; did you mean 'test_accuracy'? Metrics: ")
                    .contains("batch_loss, ").contains("val_loss");
            assertThat(r.out()).doesNotContain("Experiment 'cli-tiny'");
        }
        String runId = runs.get(0).runId();
        CliFixture show = CliFixture.run("show", runId, "--metric", "val_los", "--store", store());
        assertThat(show.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(show.err()).startsWith("error: no metric 'val_los' in run " + runId + "; did you mean 'val_loss'?");
        assertThat(show.out()).isEmpty();
        // a name known to the runs still works, an unknown one with nothing close lists them all
        assertThat(CliFixture.run("runs", "--metrics", "val_loss", "--store", store()).exitCode()).isZero();
        // --sort takes a parameter too, and says so (it said "no metric 'nope.param'")
        CliFixture far = CliFixture.run("runs", "--sort", "bleu", "--store", store());
        assertThat(far.err()).startsWith("error: no metric or parameter 'bleu' in the runs of experiment 'cli-tiny';"
                + " metrics: batch_loss, ");
        CliFixture param = CliFixture.run("runs", "--sort", "training.optimizer.learnin_rate", "--store", store());
        assertThat(param.err()).startsWith("error: no metric or parameter 'training.optimizer.learnin_rate' in the runs"
                + " of experiment 'cli-tiny'; did you mean 'training.optimizer.learning_rate'? Metrics: batch_loss, ");
    }

    @Test
    void unknownRunIdIsAClearError() {
        CliFixture r = CliFixture.run("show", "ffffffff", "--store", store());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("error: no run with id or prefix 'ffffffff'"
                + System.lineSeparator());
    }

    @Test
    void pluginsListsEveryKindWithParametersAndDefaults() {
        CliFixture r = CliFixture.run("plugins");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("DATASETS").contains("fashion-mnist").contains("mnist")
                .contains("ARCHITECTURES").contains("mlp").contains("[256, 128]")
                .contains("OPTIMIZERS");
        for (String optimizer : List.of("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw",
                "adagrad", "adadelta")) {
            assertThat(r.out()).contains("  " + optimizer + " - ");
        }
        assertThat(r.out()).contains("TASKS").contains("classification");
        assertThat(r.out()).contains("    also divergence_threshold (double, no default): a monitor value beyond it (above"
                + " when minimized, below when maximized) records the trial diverged\n");
        // what a monitor or an objective may name, per task
        assertThat(r.out()).contains("    metrics per epoch (monitors): train_loss, train_accuracy, train_perplexity,"
                + " val_loss, val_perplexity, penalty, train_objective, epoch_time_s, samples_per_s")
                .contains("    metrics after training: test_token_accuracy, test_exact_match, test_bleu");
        // the bounds the check enforces are shown (the MLP's dropout text once said [0, 1) while
        // the check allowed [0, 0.99])
        assertThat(r.out()).contains("double in [0, 0.99]");
        assertThat(r.out().lines().filter(l -> l.contains("| dropout ") && l.contains("double"))).isNotEmpty()
                .noneMatch(l -> l.contains("[0, 1)"));
        // open bounds are shown as such (beta1 = 1 passed "in [0, 1]" and broke the update)
        assertThat(r.out()).contains("double in [0, 1)").contains("double > 0");
    }

    @Test
    void readingCommandsOnADirectoryWithoutAStoreFailAndCreateNothing() {
        // a mistyped --store once created an empty database there and printed "No runs yet"
        Path missing = dir.resolve("no-such-store");
        for (String[] args : List.of(new String[] {"runs"}, new String[] {"show", "abcd"},
                new String[] {"compare", "abcd", "ef01"}, new String[] {"export", "cli-tiny"})) {
            List<String> all = new java.util.ArrayList<>(List.of(args));
            all.addAll(List.of("--store", missing.toString()));
            CliFixture r = CliFixture.run(all.toArray(new String[0]));
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains("error: no Assay store in '" + missing
                    + "' (no assay.mv.db there)");
        }
        assertThat(missing).doesNotExist();
    }

    @Test
    void compareWithOneRunSaysSoAndPrunedTrialsDoNotFailTheCommand() {
        CliFixture one = CliFixture.run("compare", runs.get(0).runId(), "--store", store());
        assertThat(one.exitCode()).isEqualTo(2);
        // the web UI's compare page says the same (BrowserTest.theComparePageRefusesOneRunAsTheCliDoes)
        assertThat(one.err()).contains("error: compare needs two or more runs (ids or unique prefixes), got one: '"
                + runs.get(0).runId() + "'; assay show " + runs.get(0).runId() + " shows it alone");
        String id = runs.get(0).runId();
        CliFixture twice = CliFixture.run("compare", id.substring(0, 8), id, "--store", store());
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("error: '" + id.substring(0, 8) + "' and '" + id + "' name the same run, "
                + id + "; compare needs different runs");
        // a pruner stopping a trial is the sweep working as configured
        assertThat(Main.exitCode(List.of(RunStatus.COMPLETED, RunStatus.PRUNED))).isZero();
        assertThat(Main.exitCode(List.of(RunStatus.COMPLETED, RunStatus.DIVERGED))).isEqualTo(Main.EXIT_TRIALS_FAILED);
        assertThat(Main.exitCode(List.of(RunStatus.INTERRUPTED))).isEqualTo(Main.EXIT_TRIALS_FAILED);
    }
}
