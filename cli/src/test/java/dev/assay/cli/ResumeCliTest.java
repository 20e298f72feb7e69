package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running an experiment again runs only what is missing; {@code --sweep} and {@code resume}. */
class ResumeCliTest {

    @TempDir
    Path dir;

    private List<RunRecord> runs() {
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            return db.runs("cli-resume");
        }
    }

    @Test
    void repeatedRunsSkipCompletedTrialsAndSweepAxesAddOnlyNewOnes() throws Exception {
        Path file = dir.resolve("resume.yaml");
        Files.writeString(file, """
                name: cli-resume
                dataset: {name: fashion-mnist, params: {limit_train: 128, limit_test: 64}}
                model: {architecture: mlp, params: {hidden: [8]}}
                task: classification
                training:
                  epochs: 1
                  batch_size: 64
                  optimizer: adam
                sweep:
                  variants: {a: {}, b: {model.params.hidden: [4]}}
                """);
        String store = dir.resolve("store").toString();

        CliFixture first = CliFixture.run("run", file.toString(), "--store", store);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(runs()).hasSize(2);

        CliFixture again = CliFixture.run("run", file.toString(), "--store", store);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("Resuming: 2 of 2 trial(s) already completed, diverged or pruned;"
                + " running 0 (use --rerun to run them all again).").doesNotContain("read different data");
        // one trial read other data files (another machine, an edited file): the rerun skipped it silently
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            db.setTags(runs().get(1).runId(), java.util.Map.of("data.fingerprint", "0000000000000000"));
        }
        CliFixture drifted = CliFixture.run("run", file.toString(), "--store", store);
        assertThat(drifted.exitCode()).as(drifted.err()).isZero();
        assertThat(drifted.err()).contains("warning: runs with the same dataset settings {dataset.name=fashion-mnist,")
                .contains("read different data: fingerprint ").contains("fingerprint 0000000000000000 (")
                .contains("--rerun trains every trial again on the data found now");
        assertThat(again.out()).contains("0 trial(s) run; 2 already done before");
        assertThat(runs()).hasSize(2);

        CliFixture wider = CliFixture.run("run", file.toString(), "--sweep",
                "training.batch_size=64,32", "--store", store);
        assertThat(wider.exitCode()).as(wider.err()).isZero();
        assertThat(wider.err()).contains("Resuming: 2 of 4 trial(s)");
        assertThat(runs()).hasSize(4).extracting(r -> r.params().get("training.batch_size"))
                .containsExactlyInAnyOrder("64", "64", "32", "32");

        CliFixture resume = CliFixture.run("resume", "cli-resume", "--store", store);
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.err()).contains("Resuming 'cli-resume' from " + file.toAbsolutePath())
                .contains("Resuming: 4 of 4 trial(s)");
        assertThat(runs()).hasSize(4);

        // an edited file would plan other trials: resume refuses, naming it, and runs nothing
        Files.writeString(file, Files.readString(file).replace("epochs: 1", "epochs: 2"));
        CliFixture edited = CliFixture.run("resume", "cli-resume", "--store", store);
        assertThat(edited.exitCode()).isEqualTo(2);
        assertThat(edited.err()).contains("error: the experiment file " + file.toAbsolutePath()
                + " changed since the runs of 'cli-resume' were recorded from it")
                // the suggested command repeats the recorded arguments ("assay run FILE" alone planned another sweep)
                .contains("run the edited file knowingly with assay run " + file.toAbsolutePath()
                        + " --store " + store + " --sweep training.batch_size=64,32 (completed trials");
        assertThat(runs()).hasSize(4);
        Files.delete(file);
        CliFixture gone = CliFixture.run("resume", "cli-resume", "--store", store);
        assertThat(gone.exitCode()).isEqualTo(2);
        assertThat(gone.err()).contains("is gone; restore it");
    }

    @Test
    void resumeSearchesTheDataDirectoriesTheRunsWereRecordedWith() throws Exception {
        // resume dropped --data-dir: a rerun trial then failed to find its data and was marked failed
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("news"));
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            csv.append("\"1\",\"t\",\"good fine great\"\n\"2\",\"t\",\"bad awful poor\"\n");
        }
        Files.writeString(data.resolve("news/train.csv"), csv);
        Files.writeString(data.resolve("news/test.csv"), csv);
        Path file = dir.resolve("news.yaml");
        Files.writeString(file, """
                name: cli-resume
                dataset: {name: csv-text, params: {path: news, max_length: 4, min_frequency: 1}}
                model: {architecture: gru, params: {hidden: 4, embedding_dim: 4}}
                task: sequence_classification
                training: {epochs: 1, batch_size: 8, optimizer: adam}
                sweep:
                  variants: {a: {}, b: {model.params.hidden: 3}}
                """);
        String store = dir.resolve("store").toString();
        CliFixture first = CliFixture.run("run", file.toString(), "--store", store, "--data-dir", data.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        String lost = runs().get(0).runId();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(TrackingStore.defaultUrl(dir.resolve("store")));
                java.sql.PreparedStatement delete = c.prepareStatement("DELETE FROM runs WHERE run_id = ?")) {
            delete.setString(1, lost); // its trial is then never run, for resume to run it
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        CliFixture resume = CliFixture.run("resume", "cli-resume", "--store", store);
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.err()).contains("(data directories: " + data.toAbsolutePath() + ")")
                .contains("Resuming: 1 of 2 trial(s)");
        assertThat(runs()).hasSize(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.COMPLETED));
    }

    @Test
    void theRerunHintRepeatsTheRecordedOverridesSweepsAndDataDirectories() {
        // the hint was "assay run FILE --rerun", which drops the recorded arguments and so plans
        // another sweep than the one resume reported on
        // (and the plugin path: a plugin's dataset was then an unknown name; found by a new-user check)
        String hint = ResumeCommand.runCommand("/x/res.yaml", new dev.assay.spec.ExperimentSpec.Arguments(
                List.of("training.epochs=3", "model.params.hidden=[64, 32]"), List.of("training.batch_size=64,128")),
                List.of(Path.of("/data/my data")), List.of(Path.of("/x/plugins/rings.jar")),
                List.of("--store", "/x/my store"));
        // and the store given to resume (a plugin author's check: the hint, run as printed, used ./assay-runs)
        assertThat(hint).isEqualTo("assay run /x/res.yaml --store '/x/my store' training.epochs=3"
                + " 'model.params.hidden=[64, 32]' --sweep training.batch_size=64,128 --data-dir '/data/my data'"
                + " --plugin-path /x/plugins/rings.jar");
        assertThat(ResumeCommand.runCommand("/x/it's.yaml", dev.assay.spec.ExperimentSpec.Arguments.none(), List.of(),
                List.of(), List.of())).isEqualTo("assay run '/x/it'\\''s.yaml'");
    }

    /** Writes a one-trial experiment ({@code cli-resume}) and runs it into {@code <dir>/store}. */
    private Path runOneTrial() throws Exception {
        Path file = dir.resolve("resume.yaml");
        Files.writeString(file, """
                name: cli-resume
                dataset: {name: fashion-mnist, params: {limit_train: 128, limit_test: 64}}
                model: {architecture: mlp, params: {hidden: [8]}}
                task: classification
                training: {epochs: 1, batch_size: 64, optimizer: adam}
                """);
        assertThat(CliFixture.run("run", file.toString(), "--store", dir.resolve("store").toString()).exitCode())
                .isZero();
        return file;
    }

    @Test
    void aSkippedTrialIsListedByTheRunItCountsByNotAnInterruptedRerun() throws Exception {
        // found by a new-user check: a --rerun stopped with Ctrl-C left the trial's newest run
        // interrupted; the next run skipped the trial as done ("1 already done before") but its table
        // listed the interrupted run, without metrics, while runs --group counted the completed one
        Path file = runOneTrial();
        String store = dir.resolve("store").toString();
        RunRecord completed = runs().get(0);
        String interrupted;
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            Thread.sleep(5); // a later start time: the newer run of the trial
            interrupted = db.createRun(new dev.assay.track.NewRun("cli-resume", null, completed.runName(), 0,
                    completed.trialKey(), completed.seed(), null, null, completed.params(), java.util.Map.of()));
            db.finishRun(interrupted, RunStatus.INTERRUPTED, null);
        }
        CliFixture again = CliFixture.run("run", file.toString(), "--store", store);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 trial(s) run; 1 already done before")
                .contains(completed.runId().substring(0, 8)).contains("completed")
                .doesNotContain(interrupted.substring(0, 8)).doesNotContain("interrupted");
    }

    @Test
    void aRerunMarksTheRunsOfADeadProcessInterrupted() throws Exception {
        // found by a crash-recovery check: --rerun planned every trial without looking at the store,
        // so a run left "running" by a killed process stayed running for good (plain run marks it)
        Path file = runOneTrial();
        String store = dir.resolve("store").toString();
        RunRecord completed = runs().get(0);
        String dead;
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            dead = db.createRun(new dev.assay.track.NewRun("cli-resume", null, completed.runName(), 0,
                    completed.trialKey(), completed.seed(), null, null, completed.params(), java.util.Map.of()));
        }
        Thread.sleep(10_100); // its last heartbeat more than --stale-after 10 s (the least allowed) ago
        CliFixture rerun = CliFixture.run("run", file.toString(), "--store", store, "--rerun", "--stale-after", "10");
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(rerun.err()).contains("Marked 1 run(s) of a stopped process as interrupted.");
        List<RunRecord> all = runs();
        assertThat(all).hasSize(3);
        assertThat(all.stream().filter(r -> r.runId().equals(dead)).findFirst().orElseThrow().status())
                .isEqualTo(RunStatus.INTERRUPTED);
        assertThat(all).extracting(RunRecord::status).containsExactlyInAnyOrder(
                RunStatus.COMPLETED, RunStatus.INTERRUPTED, RunStatus.COMPLETED);
    }

    @Test
    void aTrialAnotherProcessTakesAfterThePlanIsNotReportedFinished() throws Exception {
        // found by a concurrency check: the count of trials running elsewhere was taken when the sweep
        // was planned, so a trial taken afterwards (skipped here) left "1 trial(s): 1 completed" and exit 0
        Path file = dir.resolve("taken.yaml");
        Files.writeString(file, """
                name: cli-resume
                dataset: {name: fashion-mnist, params: {limit_train: 512, limit_test: 64}}
                model: {architecture: mlp, params: {hidden: [8]}}
                task: classification
                training: {epochs: 40, batch_size: 32, optimizer: adam}
                sweep:
                  variants: {a: {}, b: {model.params.hidden: [4]}}
                """);
        String store = dir.resolve("store").toString();
        String url = TrackingStore.defaultUrl(dir.resolve("store"));
        // trial #1's key, planned before the sweep starts: the first trial (about a second) leaves the
        // "other process" a wide margin to take the second
        String second = CliFixture.plannedKeys(file).get(1);
        java.util.concurrent.atomic.AtomicReference<String> taken = new java.util.concurrent.atomic.AtomicReference<>();
        Thread otherProcess = new Thread(() -> {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                // it opens the store only once the sweep has created it and its first run, through a plain
                // connection first: opened while the sweep created the schema, its own Flyway migration failed
                // ("Migration of schema PUBLIC to version 1 failed") and every later open with it, for 60 s
                try (java.sql.Connection plain = java.sql.DriverManager.getConnection(url + ";IFEXISTS=TRUE");
                        java.sql.ResultSet count = plain.createStatement().executeQuery("SELECT COUNT(*) FROM runs")) {
                    if (!count.next() || count.getLong(1) == 0) {
                        Thread.sleep(20);
                        continue;
                    }
                } catch (java.sql.SQLException notYet) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                } catch (InterruptedException e) {
                    return;
                }
                try (TrackingStore db = TrackingStore.open(url)) {
                    List<RunRecord> started = db.runs("cli-resume");
                    if (!started.isEmpty()) {
                        // while this sweep trains its first trial, "another process" starts the second
                        assertThat(started.get(0).trialKey()).isNotEqualTo(second);
                        taken.set(db.createRun(new dev.assay.track.NewRun("cli-resume", null, "elsewhere", 1, second, 1,
                                null, null, java.util.Map.of(), java.util.Map.of())));
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // the store is being created
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        otherProcess.start();

        CliFixture run = CliFixture.run("run", file.toString(), "--store", store);
        otherProcess.join();

        assertThat(taken.get()).isNotNull();
        assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.EXIT_TRIALS_FAILED);
        assertThat(run.out()).contains("1 trial(s): 1 completed; 1 still running in another process, not finished");
        assertThat(run.err()).contains("1 trial(s) skipped: another process took them after this sweep was planned");
    }

    @Test
    void resumeTakesTheSweepOptionsAndExplainsATrialRunningElsewhere() throws Exception {
        // found by a fresh-clone check: resume refused --stale-after and --parallel, and its hint
        // named --rerun, an option it does not have
        Path file = runOneTrial();
        String store = dir.resolve("store").toString();
        RunRecord done = runs().get(0);
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("store")))) {
            // the trial failed, and another process is running it again now
            db.finishRun(done.runId(), dev.assay.track.RunStatus.FAILED, "out of memory");
            db.createRun(new dev.assay.track.NewRun("cli-resume", null, "again", 0, done.trialKey(), done.seed(),
                    null, null, java.util.Map.of(), done.tags()));
        }

        CliFixture resume = CliFixture.run("resume", "cli-resume", "--store", store, "--stale-after", "3600",
                "--parallel", "1");

        // the trial is not finished: exit 0 and a summary without it read as a finished sweep (found by a
        // fresh-clone check after a kill -9)
        assertThat(resume.exitCode()).as(resume.err()).isEqualTo(Main.EXIT_TRIALS_FAILED);
        assertThat(resume.out()).contains("0 trial(s) run; 1 still running in another process, not finished (run"
                + " the command again once it ends, or 3600 s after that process stopped)");
        assertThat(resume.err()).contains("Resuming: 0 of 1 trial(s) already completed, diverged or pruned, 1 running in"
                + " another process; running 0 (assay run " + file.toAbsolutePath() + " --store " + store
                + " --rerun runs them all again).")
                .contains("A run counts as running in another process until it has sent no heartbeat for 3600 s"
                        + " (--stale-after SECONDS)");
        assertThat(runs()).hasSize(2);
    }

    @Test
    void aWorkerLeavesATrialAnotherProcessHasTakenAndExitsZero() throws Exception {
        Path file = runOneTrial();
        String store = dir.resolve("store").toString();
        String key = runs().get(0).trialKey();

        // as a --parallel parent's worker would, after another process ran the trial
        CliFixture worker = CliFixture.run("worker", file.toString(), "--trial-key", key, "--store", store);

        assertThat(worker.exitCode()).as(worker.err()).isZero();
        assertThat(worker.err()).contains("skipped: its run is already completed (by another process)");
        assertThat(runs()).hasSize(1);
    }

    @Test
    void badSweepArgumentIsAUsageError() throws Exception {
        Path file = dir.resolve("resume.yaml");
        Files.writeString(file, """
                name: cli-resume
                dataset: fashion-mnist
                model: mlp
                task: classification
                training: {epochs: 1, optimizer: adam}
                """);
        CliFixture r = CliFixture.run("run", file.toString(), "--sweep", "training.epochs=1,two",
                "--dry-run");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("training.epochs: expected an integer, got 'two'");
    }
}
