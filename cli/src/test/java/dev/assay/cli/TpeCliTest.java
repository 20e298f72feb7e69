package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.RunRecord;
import dev.assay.track.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TPE sweep from the command line ends with its runs ranked by the objective, shown as a column. */
class TpeCliTest {

    private static final String EXPERIMENT = """
            name: cli-tpe
            dataset: {name: fashion-mnist, params: {limit_train: 128, limit_test: 64}}
            model: {architecture: mlp, params: {hidden: [8]}}
            task: classification
            training:
              epochs: 1
              batch_size: 64
              optimizer: adam
            sweep:
              strategy: tpe
              n_trials: 3
              n_startup_trials: 3
              seed: 4
              objective: {metric: train_accuracy, mode: max}
              parameters:
                training.optimizer.learning_rate: {distribution: loguniform, low: 1.0e-4, high: 1.0e-1}
            """;

    @TempDir
    Path dir;

    @Test
    void theResultsTableShowsTheObjectiveFirstAndRanksByIt() throws Exception {
        Path file = dir.resolve("tpe.yaml");
        Files.writeString(file, EXPERIMENT);
        CliFixture dry = CliFixture.run("run", file.toString(), "--dry-run", "sweep.n_startup_trials=2");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("3 TPE trial(s) for experiment 'cli-tpe': the 2 above are its random"
                + " start-up, the other 1 will be proposed from the results as the sweep runs; nothing was run.");
        // the plan rounds drawn rates to 6 significant digits, as the results tables and run names do
        List<String> rates = dry.out().lines().filter(l -> l.matches("\\| [0-9] .*"))
                .map(l -> l.substring(l.lastIndexOf('|', l.length() - 2) + 1, l.length() - 1).trim()).toList();
        assertThat(rates).hasSize(2).allSatisfy(v -> {
            assertThat(Double.parseDouble(v)).isBetween(1.0e-4, 1.0e-1);
            assertThat(new java.math.BigDecimal(v).precision()).isLessThanOrEqualTo(6);
        });
        CliFixture r = CliFixture.run("run", file.toString(), "--store", dir.resolve("store").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<RunRecord> runs;
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            runs = db.runs("cli-tpe");
        }
        assertThat(runs).hasSize(3);
        // train_accuracy is no default column: a run's table left it out, the value TPE ranked by
        String header = r.out().lines().filter(l -> l.startsWith("| run ")).findFirst().orElseThrow();
        assertThat(header.replaceAll(" +", " ")).startsWith("| run | # | status | learning_rate | train_accuracy (max) |");
        List<RunRecord> best = runs.stream().sorted(Comparator.comparingDouble(
                (RunRecord x) -> x.metrics().get("train_accuracy").last()).reversed()).toList();
        assertThat(best.get(0).metrics().get("train_accuracy").last())
                .isGreaterThan(best.get(2).metrics().get("train_accuracy").last());
        assertThat(r.out().indexOf(best.get(0).runId().substring(0, 8))).isPositive()
                .isLessThan(r.out().indexOf(best.get(2).runId().substring(0, 8)));
        // a dry run now says the store holds them (found by a new-user check: it read as if all would run)
        CliFixture again = CliFixture.run("run", file.toString(), "--dry-run", "--store", dir.resolve("store").toString());
        assertThat(again.out()).contains("the 3 above are its random start-up; 3 of them already completed, diverged or"
                + " pruned in the store: a run would run none; nothing was run.");
    }

    @Test
    void aResumedSweepNumbersItsTrialsOutOfThoseLeftAndCountsTheOnesDone() throws Exception {
        Path file = dir.resolve("tpe.yaml");
        Files.writeString(file, EXPERIMENT);
        String store = dir.resolve("store").toString();
        CliFixture first = CliFixture.run("run", file.toString(), "--store", store, "sweep.n_trials=2",
                "sweep.n_startup_trials=2");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("Trial 2/2").doesNotContain("Resuming");

        CliFixture rest = CliFixture.run("run", file.toString(), "--store", store, "sweep.n_startup_trials=2");

        assertThat(rest.exitCode()).as(rest.err()).isZero();
        assertThat(rest.err()).contains("Resuming: 2 of 3 TPE trial(s) already completed, diverged or pruned;"
                + " proposing the other 1 from all the results.");
        // it read "Trial 1/3 ... (trial #2)": numbered out of n_trials, counted from this process
        assertThat(rest.err()).contains("Trial 1/1 ").contains("(trial #2,").doesNotContain("Trial 1/3");
        assertThat(rest.out()).contains("1 trial(s): 1 completed; 2 already done before");
        CliFixture again = CliFixture.run("run", file.toString(), "--store", store, "sweep.n_startup_trials=2");
        // it said "proposing the other 0 from all the results"
        assertThat(again.err()).contains("Resuming: 3 of 3 TPE trial(s) already completed, diverged or pruned;"
                + " nothing left to propose.");
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            assertThat(db.runs("cli-tpe")).extracting(RunRecord::trialIndex).containsExactlyInAnyOrder(0, 1, 2);
        }
    }
}
