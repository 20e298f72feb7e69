package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad experiment file gives one clear message with file:line:column, exit code 2, and no store. */
class BadExperimentFileTest {

    private static final String GOOD = """
            name: bad-file-check
            dataset: {name: fashion-mnist, params: {limit_train: 64, limit_test: 32}}
            model:
              architecture: mlp
              params: {hidden: [8]}
            task: classification
            training:
              epochs: 1
              optimizer: {name: adam, learning_rate: 1e-3}
            """;

    @TempDir
    Path dir;

    private CliFixture runFile(String yaml, String... extra) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        String[] args = new String[4 + extra.length];
        args[0] = "run";
        args[1] = file.toString();
        args[2] = "--store";
        args[3] = dir.resolve("store").toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliFixture.run(args);
    }

    private void assertRejected(CliFixture result, String expectedError) {
        assertThat(result.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(result.err()).isEqualTo("error: " + dir.resolve("bad.yaml") + ":" + expectedError
                + System.lineSeparator());
        assertThat(result.out()).isEmpty();
        assertThat(dir.resolve("store")).doesNotExist();
    }

    @Test
    void unknownKeyIsReportedWithItsPositionAndTheClosestKey() throws IOException {
        CliFixture r = runFile(GOOD.replace("  epochs: 1", "  epochs: 1\n  batchsize: 32"));
        assertRejected(r, "9:3: training.batchsize: unknown key; did you mean 'batch_size'?"
                + " Known keys here: epochs, batch_size, seed, log_every_n_steps, optimizer,"
                + " regularization, early_stopping");
    }

    @Test
    void aSweepArgumentOnASweptPathSaysItReplacesTheFilesAxis() throws IOException {
        // found by a new-user check: the file's three learning rates became one, and nothing said so
        CliFixture r = runFile(GOOD + "sweep:\n  parameters:\n    training.optimizer.learning_rate: [0.1, 0.01, 0.001]\n",
                "--dry-run", "--sweep", "training.optimizer.learning_rate=1.0", "--sweep", "training.batch_size=32,64");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEqualTo("note: --sweep training.optimizer.learning_rate replaces the file's axis on that"
                + " path (" + dir.resolve("bad.yaml") + ":12:5)" + System.lineSeparator());
        assertThat(r.out()).contains("2 trial(s) planned");
    }

    @Test
    void overridesAndRepeatedOrVariantSweepsSayWhatTheyReplace() throws IOException {
        // each ran other trials than asked for, without a word: an override on a swept path removed the axis
        // (8 trials became 2), a second --sweep on one path dropped the first, a --sweep beat a variant's value
        String swept = GOOD + "sweep:\n  parameters:\n    training.optimizer.learning_rate: [0.1, 0.01, 0.001]\n"
                + "  variants: {fast: {training.batch_size: 16}, slow: {}}\n";
        CliFixture r = runFile(swept, "--dry-run", "training.optimizer.learning_rate=0.3",
                "--sweep", "training.batch_size=32,64", "--sweep", "training.batch_size=8");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err().lines().toList()).containsExactly(
                "note: --sweep training.batch_size also sets what variant(s) fast set on that path: the --sweep values win",
                "note: --sweep training.batch_size is given more than once: the last one is used",
                "note: the override training.optimizer.learning_rate=0.3 removes the sweep's axis"
                        + " training.optimizer.learning_rate (" + dir.resolve("bad.yaml") + ":12:5): every trial takes"
                        + " the override");
        // variant fast's batch size gives way to the --sweep value: both variants are one configuration
        assertThat(r.out()).contains("1 trial(s) planned");
    }

    @Test
    void anEvenCnnKernelIsRefusedWhenTheFileIsReadNotWhenTheTrialRuns() throws IOException {
        // a user's check: --dry-run planned it, and the run failed each trial with "kernel_size must be odd"
        CliFixture r = runFile(GOOD.replace("architecture: mlp", "architecture: cnn").replace("params: {hidden: [8]}",
                "params: {filters: [4], kernel_size: 4}"), "--dry-run");
        assertRejected(r, "5:39: model.params.kernel_size: must be odd for 'same' padding, got 4 (try 3 or 5)");
    }

    @Test
    void anOverrideGivenTwiceSaysTheLastOneIsUsed() throws IOException {
        // found by a new-user check: training.epochs=1 training.epochs=2 ran 2 epochs without a word
        CliFixture r = runFile(GOOD, "--dry-run", "training.batch_size=16", "training.batch_size=32");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEqualTo("note: the override training.batch_size is given more than once: the last one,"
                + " training.batch_size=32, is used" + System.lineSeparator());
    }

    @Test
    void aDataDirThatDoesNotExistIsRefused() throws IOException {
        Path missing = dir.resolve("no-such-data");
        // it was skipped silently and the data looked for elsewhere
        CliFixture r = runFile(GOOD, "--dry-run", "--data-dir", missing.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("error: --data-dir " + missing + ": no such directory." + System.lineSeparator());
        assertThat(dir.resolve("store")).doesNotExist();
    }

    @Test
    void anAssayDataDirEntryThatIsNoDirectoryIsRefusedAsADataDirIs() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        // $ASSAY_DATA_DIR=/nonexistent was ignored while --data-dir /nonexistent was refused
        assertThatThrownBy(() -> SweepExecution.checkDataDirs(java.util.List.of(),
                dir + java.io.File.pathSeparator + dir.resolve("nowhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ASSAY_DATA_DIR names " + dir.resolve("nowhere") + ", which is no directory.");
        assertThatThrownBy(() -> SweepExecution.checkDataDirs(java.util.List.of(), file.toString()))
                .hasMessage("ASSAY_DATA_DIR names " + file + ", which is no directory (it is a file).");
        SweepExecution.checkDataDirs(java.util.List.of(dir), dir + java.io.File.pathSeparator);
    }

    @Test
    void misspelledArchitectureListsTheNamesThatExist() throws IOException {
        CliFixture r = runFile(GOOD.replace("architecture: mlp", "architecture: mpl"));
        assertRejected(r, "4:17: model.architecture: unknown architecture 'mpl'; did you mean"
                + " 'mlp'? Known architectures: " + String.join(", ", dev.assay.plugin.PluginRegistry
                        .load(java.util.List.of()).names(dev.assay.plugin.PluginKind.ARCHITECTURE)));
    }

    @Test
    void aMonitorOrObjectiveTheTaskDoesNotLogIsRefusedBeforeAnythingRunsEvenInADryRun() throws IOException {
        String epochMetrics = " Its epoch metrics are epoch_time_s, samples_per_s, train_accuracy, train_loss,"
                + " val_accuracy, val_loss"; // no weight penalty here: no penalty, no train_objective
        // a misspelled monitor used to fail each trial after its first epoch, and a dry run passed it
        CliFixture r = runFile(GOOD.replace("  epochs: 1", "  epochs: 1\n  early_stopping: {monitor: val_acuracy}"),
                "--dry-run");
        assertRejected(r, "9:29: training.early_stopping.monitor: task 'classification' logs no metric"
                + " 'val_acuracy'; did you mean 'val_accuracy'?" + epochMetrics + ".");
        r = runFile(GOOD + """
                sweep:
                  strategy: tpe
                  n_trials: 2
                  objective: {metric: test_acuracy, mode: max}
                  parameters:
                    training.optimizer.learning_rate: {distribution: loguniform, low: 1.0e-4, high: 1.0e-2}
                """);
        assertRejected(r, "13:23: sweep.objective.metric: task 'classification' logs no metric 'test_acuracy'; did you"
                + " mean 'test_accuracy'? Its metrics are batch_loss, epoch_time_s, learning_rate,"
                + " samples_per_s, test_accuracy, test_loss, train_accuracy, train_loss, val_accuracy, val_loss.");
    }

    @Test
    void penaltyMetricsAreMonitoredOnlyWithAWeightPenaltyAndADefaultMonitorSaysSo() throws IOException {
        // penalty and train_objective are logged only with training.regularization; the trial failed after epoch 1
        CliFixture r = runFile(GOOD, "--dry-run", "training.early_stopping.monitor=train_objective");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("error: argument 'training.early_stopping.monitor=train_objective':"
                + " training.early_stopping.monitor: 'train_objective'"
                + " is logged only with a weight penalty (training.regularization.l1 or l2 above 0), and this trial"
                + " has none. Its epoch metrics are epoch_time_s, samples_per_s, train_accuracy, train_loss,"
                + " val_accuracy, val_loss." + System.lineSeparator());
        CliFixture penalized = runFile(GOOD, "--dry-run", "training.early_stopping.monitor=train_objective",
                "training.regularization.l2=1e-4");
        assertThat(penalized.exitCode()).as(penalized.err()).isZero();
        // val_loss without a validation split: the trial failed after its first epoch (found by a helper session)
        CliFixture unvalidated = runFile(GOOD, "--dry-run", "training.early_stopping.monitor=val_loss",
                "dataset.params.validation_split=0");
        assertThat(unvalidated.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(unvalidated.err()).contains("training.early_stopping.monitor: 'val_loss' is logged only with a"
                + " validation split, and this trial's dataset holds none out (its validation_split is 0). Its epoch"
                + " metrics are epoch_time_s, samples_per_s, train_accuracy, train_loss.");
        assertThat(runFile(GOOD, "--dry-run", "training.early_stopping.monitor=train_loss",
                "dataset.params.validation_split=0").exitCode()).isZero();

        // the GAN logs no val_loss, the monitor's default
        String gan = GOOD.replace("architecture: mlp", "architecture: gan").replace("params: {hidden: [8]}",
                "params: {type: mlp, latent_size: 4, generator_hidden: [8], discriminator_hidden: [8]}")
                .replace("task: classification", "task: adversarial") + "  early_stopping: {patience: 2}\n";
        assertRejected(runFile(gan, "--dry-run"), "10:19: training.early_stopping.monitor: task 'adversarial' logs"
                + " no metric 'val_loss' (the default). Its epoch metrics are epoch_d_fake, epoch_d_loss,"
                + " epoch_d_real, epoch_g_loss, epoch_time_s, samples_per_s.");
    }

    @Test
    void misspelledDistributionSuggestsTheClosest() throws IOException {
        CliFixture r = runFile(GOOD + """
                sweep:
                  strategy: random
                  n_trials: 2
                  parameters:
                    training.optimizer.learning_rate: {distribution: log_uniform, low: 1.0e-4, high: 1.0e-2}
                """);
        assertRejected(r, "14:54: sweep.parameters.training.optimizer.learning_rate.distribution: unknown"
                + " distribution 'log_uniform'; did you mean 'loguniform'? Known: uniform, loguniform, int_uniform,"
                + " normal");
    }

    @Test
    void stringWhereANumberBelongsIsRejected() throws IOException {
        CliFixture r = runFile(GOOD.replace("epochs: 1", "epochs: five"));
        assertRejected(r, "8:11: training.epochs: expected an integer, got 'five'");
    }

    @Test
    void badValueInASweepPointsAtTheSweptValue() throws IOException {
        CliFixture r = runFile(GOOD + "sweep:\n  parameters:\n    model.params.dropout: [0.1, 1.5]\n");
        assertRejected(r, "12:33: model.params.dropout: expected a value in [0, 0.99], got 1.5");
    }

    @Test
    void badOverrideIsRejectedBeforeAnythingRuns() throws IOException {
        CliFixture r = runFile(GOOD, "training.epochs=zero");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("error: argument 'training.epochs=zero': "
                + "training.epochs: expected an integer, got 'zero'" + System.lineSeparator());
        assertThat(dir.resolve("store")).doesNotExist();
    }

    @Test
    void missingFileIsReported() {
        CliFixture r = CliFixture.run("run", dir.resolve("nope.yaml").toString(), "--store",
                dir.resolve("store").toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("error: " + dir.resolve("nope.yaml")
                + ": experiment file not found" + System.lineSeparator());
    }
}
