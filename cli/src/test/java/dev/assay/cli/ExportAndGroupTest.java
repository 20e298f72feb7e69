package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.spec.TrainingSpec;
import dev.assay.track.MetricPoint;
import dev.assay.track.NewRun;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code assay runs --group} (mean ± std over seeds) and {@code assay export}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportAndGroupTest {

    @TempDir
    static Path dir;

    private List<RunRecord> runs;
    private String nanRunId;

    private String store() {
        return dir.resolve("store").toString();
    }

    @BeforeAll
    void runSweep() throws Exception {
        Path file = dir.resolve("seeds.yaml");
        Files.writeString(file, """
                name: seeds
                dataset: {name: fashion-mnist, params: {limit_train: 128, limit_test: 64}}
                model: {architecture: mlp, params: {hidden: [8]}}
                task: classification
                training: {epochs: 1, batch_size: 32, optimizer: adam}
                sweep:
                  variants: {small: {}, big: {model.params.hidden: [32]}}
                  repeat: 2
                """);
        CliFixture r = CliFixture.run("run", file.toString(), "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            runs = db.runs("seeds");
            nanRunId = db.createRun(new NewRun("nan", "", "nan-run", 0, "k", 1, "", "{}",
                    Map.of("lr", "0.1"), Map.of()));
            db.appendMetrics(nanRunId, Map.of("loss", List.of(new MetricPoint(1, 1, 0.5, 10),
                    new MetricPoint(2, 1, Double.NaN, 11), new MetricPoint(3, 1,
                            Double.POSITIVE_INFINITY, 12))));
            db.finishRun(nanRunId, RunStatus.DIVERGED, "loss became NaN");
        }
    }

    @Test
    void exportTakesTheExperimentAsAnArgumentOrWithDashEAsRunsDoes() {
        // found by a new-user check: "assay runs -e NAME" worked and "assay export -e NAME" was "Unknown option: '-e'"
        CliFixture byArgument = CliFixture.run("export", "seeds", "--store", store());
        CliFixture byOption = CliFixture.run("export", "-e", "seeds", "--store", store());
        assertThat(byOption.exitCode()).as(byOption.err()).isZero();
        assertThat(byOption.out()).isEqualTo(byArgument.out()).contains("seeds");
        CliFixture both = CliFixture.run("export", "seeds", "-e", "nan", "--store", store());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("the experiment is named twice: 'seeds' and -e 'nan'; give one");
        CliFixture neither = CliFixture.run("export", "--store", store());
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("which experiment? assay export NAME (or -e NAME)");
    }

    @Test
    void aMisspelledExperimentGetsTheClosestNameAndTheList() {
        // export and resume answered "experiment 'sedes' has no runs in jdbc:h2:file:...;AUTO_SERVER=TRUE..."
        // where assay runs --experiment lists the experiments; runs said "no experiment named 'sedes';
        // experiments: [nan, seeds]", without the suggestion
        for (List<String> args : List.of(List.of("export", "sedes"), List.of("resume", "sedes"),
                List.of("runs", "--experiment", "sedes"))) {
            List<String> all = new java.util.ArrayList<>(args);
            all.addAll(List.of("--store", store()));
            CliFixture r = CliFixture.run(all.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).as(args.get(0)).contains("no experiment named 'sedes' in ")
                    .contains("; did you mean 'seeds'? Experiments: nan, seeds").doesNotContain("has no runs");
        }
    }

    @Test
    void groupShowsMeanAndSampleStdOverSeedsPerConfiguration() {
        CliFixture r = CliFixture.run("runs", "--experiment", "seeds", "--group", "--store", store(),
                "--metrics", "test_accuracy");
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String hidden : List.of("[8]", "[32]")) {
            double[] v = runs.stream().filter(x -> x.params().get("model.params.hidden").equals(hidden))
                    .mapToDouble(x -> x.metrics().get("test_accuracy").last()).toArray();
            assertThat(v).hasSize(2);
            double mean = (v[0] + v[1]) / 2;
            double std = Math.sqrt(((v[0] - mean) * (v[0] - mean) + (v[1] - mean) * (v[1] - mean)));
            assertThat(r.out()).contains(Tables.number(mean) + " ± " + Tables.number(std) + " (n=2)");
        }
        assertThat(r.out()).contains("| runs ").doesNotContain("| seed");
    }

    @Test
    void aTrialRunAgainCountsOnceInTheGroups() {
        // a --rerun's copy (same trial key and seed) counted as another seed: n=3 over two seeds
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            for (int i : new int[] {0, 1, 0}) {
                String id = db.createRun(new NewRun("reruns", "", "rerun-" + i, i, "key-" + i, 42 + i, "", "{}",
                        Map.of("lr", "0.1", TrainingSpec.SEED_PARAM, String.valueOf(42 + i)), Map.of()));
                db.appendMetrics(id, Map.of("acc", List.of(new MetricPoint(1, 1, 0.8 + 0.1 * i, 10))));
                db.finishRun(id, RunStatus.COMPLETED, null);
            }
        }
        CliFixture r = CliFixture.run("runs", "--experiment", "reruns", "--group", "--store", store(),
                "--metrics", "acc");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(Tables.number(0.85) + " ± " + Tables.number(Math.sqrt(0.005)) + " (n=2)")
                .contains("1 other run(s) of trials run again (same configuration and seed) left out");
    }

    @Test
    void theDryRunsPlanHasOneSeedColumn() {
        // with repeats the seed varies: it came as a second "seed" column beside the plan's own
        CliFixture r = CliFixture.run("run", dir.resolve("seeds.yaml").toString(), "--dry-run", "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> header = List.of(r.out().lines().filter(l -> l.startsWith("| #")).findFirst().orElseThrow()
                .split("\\|")).stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
        assertThat(header).containsExactly("#", "trial key", "seed", "variant", "hidden");
    }

    @Test
    void theDryRunChecksTheStoreOptionAsARunDoes() {
        // found by a new-user check: --dry-run --store= and --dry-run --store jdbc:bogus:x exited 0
        String file = dir.resolve("seeds.yaml").toString();
        CliFixture empty = CliFixture.run("run", file, "--dry-run", "--store=");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("error: --store is empty");
        CliFixture bogus = CliFixture.run("run", file, "--dry-run", "--store", "jdbc:bogus:x");
        assertThat(bogus.exitCode()).isEqualTo(2);
        assertThat(bogus.err()).contains("error: --store jdbc:bogus:x: no JDBC driver accepts this URL");
        assertThat(bogus.out()).doesNotContain("trial key");
        // a store that does not exist yet is fine for a plan, and is not created by it
        CliFixture fresh = CliFixture.run("run", file, "--dry-run", "--store", dir.resolve("not-yet").toString());
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(dir.resolve("not-yet")).doesNotExist();
    }

    @Test
    void theDryRunsPlanShowsEverySweptParamEvenOneWhoseValuesAreAllTheSame() throws java.io.IOException {
        // a swept param whose planned values happened to be equal (one value, one drawn trial) had no column
        Path file = Files.writeString(dir.resolve("one-value.yaml"), """
                name: one-value
                dataset: {name: fashion-mnist, params: {limit_train: 128, limit_test: 64}}
                model: {architecture: mlp, params: {hidden: [8]}}
                task: classification
                training: {epochs: 1, batch_size: 32, optimizer: adam}
                sweep:
                  parameters:
                    training.batch_size: [16]
                    training.optimizer.learning_rate: [0.01, 0.001]
                """);
        CliFixture r = CliFixture.run("run", file.toString(), "--dry-run", "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> header = List.of(r.out().lines().filter(l -> l.startsWith("| #")).findFirst().orElseThrow()
                .split("\\|")).stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
        assertThat(header).containsExactly("#", "trial key", "seed", "batch_size", "learning_rate");
        assertThat(r.out()).containsPattern("\\| +16 \\| +0\\.01 \\|").containsPattern("\\| +16 \\| +0\\.001 \\|");
    }

    @Test
    void compareGroupCountsTheSameConfigurationOnceInEachExperiment() {
        // one configuration and seed (one trial key) run in three experiments: compare --group kept one
        // run (n=1) and called the other two reruns, as the trial key does not name the experiment
        List<String> ids = new java.util.ArrayList<>();
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            double[] acc = {0.80, 0.82, 0.87};
            for (int i = 0; i < acc.length; i++) {
                String id = db.createRun(new NewRun("same-config-" + i, "", "run", 0, "d889c2426e6be3bd", 42, "", "{}",
                        Map.of("lr", "0.1", TrainingSpec.SEED_PARAM, "42"), Map.of()));
                db.appendMetrics(id, Map.of("acc", List.of(new MetricPoint(1, 1, acc[i], 10))));
                db.finishRun(id, RunStatus.COMPLETED, null);
                ids.add(id);
            }
        }
        CliFixture r = CliFixture.run("compare", ids.get(0), ids.get(1), ids.get(2), "--group", "--metrics", "acc",
                "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(Tables.number(0.83) + " ± " + Tables.number(Math.sqrt(0.0013)) + " (n=3)")
                .doesNotContain("run again")
                // found by a new-user check: one file run under two names gave n=2 and std 0.0000 without a word
                .contains("1 trial(s) (configuration and seed) were run in more than one experiment and count once per"
                        + " experiment: where data, machine and engine were the same, those runs repeat one result, and n"
                        + " and the std overstate the evidence.");
    }

    @Test
    void aVariantsNameDoesNotSplitItsConfigurationsGroup() {
        // two seeds ran as variant "a"; the third from a file without variants (`assay show --config` wrote none before):
        // the groups split n=2 and n=1 on the variant param, which the trial key ignores
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            double[] acc = {0.80, 0.82, 0.87, 0.60};
            for (int i = 0; i < acc.length; i++) {
                Map<String, String> params = new java.util.HashMap<>(Map.of("lr", i < 3 ? "0.1" : "0.5",
                        TrainingSpec.SEED_PARAM, String.valueOf(42 + i)));
                if (i < 2 || i == 3) {
                    params.put("variant", i < 2 ? "a" : "b");
                }
                String id = db.createRun(new NewRun("variants", "", "run-" + i, i, "key-" + i, 42 + i, "", "{}", params,
                        Map.of()));
                db.appendMetrics(id, Map.of("acc", List.of(new MetricPoint(1, 1, acc[i], 10))));
                db.finishRun(id, RunStatus.COMPLETED, null);
            }
        }
        CliFixture r = CliFixture.run("runs", "--experiment", "variants", "--group", "--metrics", "acc", "--store",
                store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> rows = r.out().lines().filter(l -> l.startsWith("| ") && !l.startsWith("| variant")).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).startsWith("| a ").contains(Tables.number(0.83) + " ± " + Tables.number(Math.sqrt(0.0013))
                + " (n=3)");
        assertThat(rows.get(1)).startsWith("| b ").contains("(n=1)");
    }

    @Test
    void runsThatDidNotCompleteAreCountedButLeftOutOfTheMeansAndEveryGroupSaysWhich() {
        // a pruned run's last val_loss is from the epoch it was stopped at: the mean mixed it with finished runs'
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            Object[][] runs = {{"0.1", 0.80, RunStatus.COMPLETED}, {"0.1", 0.84, RunStatus.COMPLETED},
                {"0.1", 0.50, RunStatus.PRUNED}, {"0.1", 0.45, RunStatus.INTERRUPTED}, {"9e9", Double.NaN, RunStatus.DIVERGED},
                {"9e9", Double.NaN, RunStatus.DIVERGED}};
            for (int i = 0; i < runs.length; i++) {
                String id = db.createRun(new NewRun("pruned", "", "run-" + i, i, "key-" + i, 42 + i, "", "{}",
                        Map.of("lr", (String) runs[i][0], TrainingSpec.SEED_PARAM, String.valueOf(42 + i)), Map.of()));
                db.appendMetrics(id, Map.of("acc", List.of(new MetricPoint(1, 1, (Double) runs[i][1], 10))));
                db.finishRun(id, (RunStatus) runs[i][2], null);
            }
        }
        CliFixture r = CliFixture.run("runs", "--experiment", "pruned", "--group", "--metrics", "acc", "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        String fine = r.out().lines().filter(l -> l.startsWith("| 0.1 ")).findFirst().orElseThrow();
        // the pruned and the interrupted run's values are from the epochs they stopped at: counted, not averaged
        assertThat(fine).contains("| 4 (1 interrupted, 1 pruned) ").contains(Tables.number(0.82) + " ± "
                + Tables.number(Math.sqrt(0.0008)) + " (n=2)");
        assertThat(r.out().lines().filter(l -> l.startsWith("| 9e9 ")).findFirst().orElseThrow())
                .contains("| 2 (2 diverged) ");
        assertThat(r.out()).contains("Runs that did not complete are counted under runs but left out of the means");
    }

    @Test
    void aRerunStoppedEarlyDoesNotReplaceItsTrialsCompletedRun() throws Exception {
        // a --rerun interrupted after one epoch became the run its trial counted by: the group mixed its
        // one-epoch value with the other seed's final one, the completed run was marked superseded, and
        // since the trial counts as done, no later run or resume replaced the interrupted run
        List<String> ids = new java.util.ArrayList<>();
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            Object[][] runs = {{0, 0.84, RunStatus.COMPLETED}, {1, 0.86, RunStatus.COMPLETED},
                {0, 0.50, RunStatus.INTERRUPTED}};
            for (Object[] run : runs) {
                int i = (Integer) run[0];
                String id = db.createRun(new NewRun("stopped-rerun", "", "rerun-" + i, i, "key-" + i, 42 + i, "", "{}",
                        Map.of("lr", "0.1", TrainingSpec.SEED_PARAM, String.valueOf(42 + i)), Map.of()));
                db.appendMetrics(id, Map.of("acc", List.of(new MetricPoint(1, 1, (Double) run[1], 10))));
                db.finishRun(id, (RunStatus) run[2], null);
                ids.add(id);
                Thread.sleep(5); // distinct start times: the interrupted run is the newest of its trial
            }
        }
        CliFixture group = CliFixture.run("runs", "--experiment", "stopped-rerun", "--group", "--store", store(),
                "--metrics", "acc");
        assertThat(group.exitCode()).as(group.err()).isZero();
        assertThat(group.out()).contains(Tables.number(0.85) + " ± " + Tables.number(Math.sqrt(0.0002)) + " (n=2)")
                .contains("1 other run(s) of trials run again");
        Path out = dir.resolve("stopped-rerun.csv");
        CliFixture export = CliFixture.run("export", "stopped-rerun", "-o", out.toString(), "--store", store());
        assertThat(export.exitCode()).as(export.err()).isZero();
        Map<String, Map<String, String>> byId = new java.util.HashMap<>();
        readCsv(out).forEach(row -> byId.put(row.get("run_id"), row));
        assertThat(byId.get(ids.get(0))).containsEntry("superseded", "false");
        assertThat(byId.get(ids.get(1))).containsEntry("superseded", "false");
        assertThat(byId.get(ids.get(2))).containsEntry("superseded", "true").containsEntry("status", "interrupted");
        // assay show said "interrupted" alone for the run the table marks superseded, and "completed"
        // for the run it counts by
        CliFixture stopped = CliFixture.run("show", ids.get(2), "--store", store());
        assertThat(stopped.exitCode()).as(stopped.err()).isZero();
        assertThat(stopped.out()).contains("interrupted, superseded: its trial counts by run "
                + ids.get(0).substring(0, 8) + " (completed)");
        CliFixture counted = CliFixture.run("show", ids.get(0), "--store", store());
        assertThat(counted.out()).contains(" completed ").doesNotContain("superseded");
    }

    @Test
    void csvExportMarksTheOlderRunsOfATrialRunAgainAndHasTheTags() throws Exception {
        // the export listed a --rerun's older run like any other, and had no tags (an early stop,
        // the data fingerprint), so an analysis of it counted what the groups leave out
        List<String> ids = new java.util.ArrayList<>();
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            for (int i : new int[] {0, 1, 0}) {
                String id = db.createRun(new NewRun("reruns-export", "", "rerun-" + i, i, "key-" + i, 42 + i, "", "{}",
                        Map.of("lr", "0.1"), Map.of("early_stopped_epoch", String.valueOf(3 + i))));
                db.finishRun(id, RunStatus.COMPLETED, null);
                ids.add(id);
                Thread.sleep(5); // distinct start times: the newest run of a trial is the latest
            }
        }
        Path out = dir.resolve("reruns.csv");
        CliFixture r = CliFixture.run("export", "reruns-export", "-o", out.toString(), "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        // it printed nothing on success
        assertThat(r.err()).isEqualTo("Wrote 3 run(s) of 'reruns-export' to " + out + System.lineSeparator());
        assertThat(r.out()).isEmpty();
        Map<String, Map<String, String>> byId = new java.util.HashMap<>();
        readCsv(out).forEach(row -> byId.put(row.get("run_id"), row));
        assertThat(byId.get(ids.get(0))).containsEntry("superseded", "true").containsEntry("tags.early_stopped_epoch", "3");
        assertThat(byId.get(ids.get(1))).containsEntry("superseded", "false").containsEntry("tags.early_stopped_epoch", "4");
        assertThat(byId.get(ids.get(2))).containsEntry("superseded", "false");
        assertThat(byId.get(ids.get(2)).get("start_time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void anOutputPathThatCannotBeWrittenIsRefusedBeforeAnythingIsWritten() {
        // a missing directory gave a bare NoSuchFileException (exit 1); a directory, a FileSystemException
        Path missing = dir.resolve("no-such-dir").resolve("x.csv");
        CliFixture r = CliFixture.run("export", "seeds", "-o", missing.toString(), "--store", store());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).startsWith("error: --output " + missing + ": the directory "
                + missing.getParent().toAbsolutePath() + " does not exist");
        CliFixture d = CliFixture.run("export", "seeds", "-o", dir.toString(), "--store", store());
        assertThat(d.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(d.err()).startsWith("error: --output " + dir + " is a directory; give a file name");
    }

    @Test
    void anExportThatCannotBeFinishedLeavesTheEarlierFileAsItWas() throws Exception {
        // a user's check: a stopped or full-disk export wrote into the target, leaving a shorter file that ended
        // on a whole row (and the earlier, complete export gone)
        Path csv = dir.resolve("kept.csv");
        CliFixture good = CliFixture.run("export", "seeds", "--format", "csv", "-o", csv.toString(), "--store", store());
        assertThat(good.exitCode()).as(good.err()).isZero();
        String complete = Files.readString(csv);
        assertThat(dir.resolve(".kept.csv.partial")).doesNotExist();
        Path blocked = Files.createDirectories(dir.resolve(".kept.csv.partial")); // the next export cannot write there
        Files.writeString(blocked.resolve("x"), "x");
        CliFixture failed = CliFixture.run("export", "seeds", "--format", "csv", "-o", csv.toString(), "--store", store());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err()).startsWith("error: IOException: could not write the export to " + csv + " (")
                .endsWith("); " + csv + " is left as it was" + System.lineSeparator());
        assertThat(Files.readString(csv)).isEqualTo(complete);
    }

    @Test
    void aWriteErrorOnStandardOutputIsAnErrorNotExitZero() {
        // a user's check: assay export > out.json on a full disk exited 0 with half a file (PrintWriter
        // swallows write errors); a reader that stops reading (| head) stays quiet
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.OutputStream full = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }
        };
        int code = Main.run(full, err, "export", "seeds", "--store", store());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).endsWith("error: could not write standard"
                + " output (No space left on device): what it holds is incomplete" + System.lineSeparator());
        java.io.OutputStream closed = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        };
        java.io.ByteArrayOutputStream quiet = new java.io.ByteArrayOutputStream();
        assertThat(Main.run(closed, quiet, "runs", "--store", store())).isZero();
        assertThat(quiet.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("error");
    }

    @Test
    void anExportOntoTheStoresOwnFileIsRefusedAndTheStoreKept() throws Exception {
        // found by a new-user check: -o <store>/assay.mv.db wrote the CSV over the database, exit 0, every run lost
        Path database = Path.of(store()).resolve("assay.mv.db");
        long before = Files.size(database);
        CliFixture r = CliFixture.run("export", "seeds", "--format", "csv", "-o", database.toString(), "--store", store());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).startsWith("error: --output " + database + " is part of the store being exported");
        assertThat(Files.size(database)).isEqualTo(before);
        try (dev.assay.track.TrackingStore db = dev.assay.track.TrackingStore.open(
                dev.assay.track.TrackingStore.defaultUrl(Path.of(store())))) {
            assertThat(db.runs("seeds")).hasSize(4);
        }
    }

    @Test
    void csvExportHasOneRowPerRunWithParamsAndMetricSummaries() throws Exception {
        Path out = dir.resolve("seeds.csv");
        CliFixture r = CliFixture.run("export", "seeds", "--format", "csv", "--metrics", "-o",
                out.toString(), "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<Map<String, String>> rows = readCsv(out);
        assertThat(rows).hasSize(4);
        // headers over 24 characters were quoted ("metrics.epoch_time_s.last"), shorter ones not
        assertThat(Files.readAllLines(out).get(0)).doesNotContain("\"").contains(",metrics.epoch_time_s.last,");
        assertThat(rows.get(0).keySet()).startsWith("run_id", "run_name", "trial_index",
                "trial_key", "seed", "status")
                .contains("params.model.params.hidden", "metrics.test_accuracy.last");
        for (RunRecord run : runs) {
            Map<String, String> row = rows.stream().filter(x -> x.get("run_id").equals(run.runId()))
                    .findFirst().orElseThrow();
            assertThat(Double.parseDouble(row.get("metrics.test_accuracy.last")))
                    .isEqualTo(run.metrics().get("test_accuracy").last());
            // the JSON export's whole summary (found by a new-user check: the CSV had last, min and max only)
            dev.assay.track.MetricSummary valLoss = run.metrics().get("val_loss");
            assertThat(Long.parseLong(row.get("metrics.val_loss.min_step"))).isEqualTo(valLoss.minStep());
            assertThat(Long.parseLong(row.get("metrics.val_loss.max_step"))).isEqualTo(valLoss.maxStep());
            assertThat(Long.parseLong(row.get("metrics.val_loss.last_step"))).isEqualTo(valLoss.lastStep());
            assertThat(Long.parseLong(row.get("metrics.val_loss.count"))).isEqualTo(valLoss.count()).isEqualTo(1);
            assertThat(row.get("metrics.val_loss.non_finite_count")).isEqualTo("0");
            assertThat(row.get("params.model.params.hidden"))
                    .isEqualTo(run.params().get("model.params.hidden"));
            // the provenance, as assay show gives it (found by a new-user check: exports had none of it)
            JsonNode provenance = new ObjectMapper().readTree(run.provenanceJson());
            assertThat(row.get("provenance.engine")).isEqualTo(provenance.get("engine").asText()).isEqualTo("MXNet");
            assertThat(row.get("provenance.engineVersion")).isEqualTo(provenance.get("engineVersion").asText())
                    .isNotBlank();
            assertThat(row.get("provenance.djlVersion")).isEqualTo(provenance.get("djlVersion").asText());
        }
        CliFixture json = CliFixture.run("export", "seeds", "--format", "json", "--store", store());
        JsonNode exported = new ObjectMapper().readTree(json.out()).get(0);
        assertThat(exported.get("provenance").get("engine").asText()).isEqualTo("MXNet");
        assertThat(exported.get("provenance")).isEqualTo(new ObjectMapper().readTree(runs.stream()
                .filter(x -> x.runId().equals(exported.get("run_id").asText())).findFirst().orElseThrow().provenanceJson()));
        RunRecord first = runs.get(0);
        assertThat(Files.readAllLines(dir.resolve("seeds.csv.metrics.csv")).get(0))
                .isEqualTo("run_id,metric,step,epoch,value,wall_time_ms");
        List<Map<String, String>> series = readCsv(dir.resolve("seeds.csv.metrics.csv"));
        assertThat(series).filteredOn(x -> x.get("run_id").equals(first.runId())
                && x.get("metric").equals("val_loss")).hasSize(1);
    }

    @Test
    void csvSeriesExportOfAnExperimentWithoutAnyPointWritesTheHeaderOnly() throws Exception {
        // every trial failed before its first step: the series file took its columns from its first
        // row, and there was none (IndexOutOfBoundsException, exit 1, the runs file half the answer)
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            String id = db.createRun(new NewRun("no-points", "", "failed-run", 0, "k0", 1, "", "{}",
                    Map.of("lr", "0.1"), Map.of()));
            db.finishRun(id, RunStatus.FAILED, "IOException: no data");
        }
        Path out = dir.resolve("no-points.csv");
        CliFixture r = CliFixture.run("export", "no-points", "--metrics", "-o", out.toString(),
                "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(readCsv(out)).singleElement().satisfies(row -> assertThat(row.get("status")).isEqualTo("failed"));
        assertThat(Files.readAllLines(dir.resolve("no-points.csv.metrics.csv")))
                .containsExactly("run_id,metric,step,epoch,value,wall_time_ms");
    }

    private static List<Map<String, String>> readCsv(Path file) throws Exception {
        com.fasterxml.jackson.dataformat.csv.CsvMapper csv = new com.fasterxml.jackson.dataformat.csv.CsvMapper();
        try (com.fasterxml.jackson.databind.MappingIterator<Map<String, String>> it = csv
                .readerForMapOf(String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader())
                .readValues(file.toFile())) {
            return it.readAll();
        }
    }

    @Test
    void jsonExportKeepsNanAndInfinityAsStrings() throws Exception {
        CliFixture r = CliFixture.run("export", "nan", "--format", "json", "--metrics",
                "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode run = new ObjectMapper().readTree(r.out()).get(0);
        assertThat(run.get("run_id").asText()).isEqualTo(nanRunId);
        assertThat(run.get("status").asText()).isEqualTo("diverged");
        JsonNode loss = run.get("series").get("loss");
        assertThat(loss.get(0).get("value").asDouble()).isEqualTo(0.5);
        assertThat(loss.get(1).get("value").asText()).isEqualTo("NaN");
        assertThat(loss.get(2).get("value").asText()).isEqualTo("Infinity");
        assertThat(run.get("metrics").get("loss").get("non_finite_count").asInt()).isEqualTo(2);
        // a point's fields are named as the CSV's columns (it said "wallTimeMillis", the one camel-case name)
        List<String> fields = new java.util.ArrayList<>();
        loss.get(0).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("step", "epoch", "value", "wall_time_ms");
    }


    @Test
    void compareShowsTheDifferingParamsAndEachRunsMetricsSideBySide() {
        RunRecord a = runs.get(0);
        RunRecord b = runs.get(3);
        CliFixture r = CliFixture.run("compare", a.runId(), b.runId().substring(0, 6), "--store",
                store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        String row = r.out().lines().filter(l -> l.startsWith("| model.params.hidden")).findFirst()
                .orElseThrow();
        assertThat(row).contains(a.params().get("model.params.hidden"))
                .contains(b.params().get("model.params.hidden"));
        String acc = r.out().lines().filter(l -> l.startsWith("| test_accuracy")).findFirst()
                .orElseThrow();
        assertThat(acc).contains(Tables.number(a.metrics().get("test_accuracy").last()))
                .contains(Tables.number(b.metrics().get("test_accuracy").last()));
        assertThat(r.out()).doesNotContain("| training.optimizer.name");
    }

    @Test
    void compareGroupShowsMeanAndStdOverSeeds() {
        CliFixture r = CliFixture.run("compare", runs.get(0).runId(), runs.get(1).runId(),
                "--group", "--metrics", "test_accuracy", "--store", store());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("(n=2)").contains("| runs ");
    }

    @Test
    void unknownFormatIsAUsageError() {
        CliFixture r = CliFixture.run("export", "seeds", "--format", "xml", "--store", store());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("error: unknown format 'xml'; formats: csv, json"
                + System.lineSeparator());
    }
}
