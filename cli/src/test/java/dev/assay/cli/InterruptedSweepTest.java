package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.MetricPoint;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep process stopped with SIGTERM (as by Ctrl-C or a scheduler) marks its running trial
 * {@code interrupted} and keeps every metric point written before the signal.
 */
class InterruptedSweepTest {

    @TempDir
    Path dir;

    @Test
    void terminatedSweepMarksTheRunningTrialInterruptedAndKeepsItsMetrics() throws Exception {
        Path file = dir.resolve("long.yaml");
        Files.writeString(file, """
                name: long
                dataset: {name: fashion-mnist, params: {limit_train: 1024, limit_test: 64}}
                model: {architecture: mlp, params: {hidden: [32]}}
                task: classification
                training:
                  epochs: 500
                  batch_size: 64
                  log_every_n_steps: 1
                  optimizer: {name: adam}
                sweep: {parameters: {training.optimizer.learning_rate: [1.0e-3, 2.0e-3, 3.0e-3]}}
                """);
        Path store = dir.resolve("store");
        Process process = start(file, store);
        try {
            waitForEpochs(store, 2, process);
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // found by a new-user check: the handler exited at once, so the command printed neither the runs
        // nor that the other trials had not started
        assertThat(process.exitValue()).isEqualTo(143);
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(out).doesNotContain("error:").doesNotContain("Exception").contains("| interrupted |")
                .contains("1 trial(s): 1 interrupted; 2 not started: stopped by SIGTERM; run the same command"
                        + " again to continue");

        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
            RunRecord run = db.runs("long").get(0);
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.errorMessage()).isEqualTo("interrupted (process stopped)");
            assertThat(run.endTimeMillis()).isNotNull();
            List<MetricPoint> valLoss = db.metric(run.runId(), "val_loss");
            assertThat(valLoss.size()).isGreaterThanOrEqualTo(2);
            List<MetricPoint> batchLoss = db.metric(run.runId(), "batch_loss");
            assertThat(batchLoss).extracting(MetricPoint::step).doesNotHaveDuplicates();
            assertThat(batchLoss.get(batchLoss.size() - 1).step())
                    .isGreaterThanOrEqualTo(valLoss.get(valLoss.size() - 1).step());
        }
    }

    @Test
    void terminatingAParallelSweepStopsItsWorkersAndMarksTheirTrialsInterrupted() throws Exception {
        // found by a fresh-clone check: the parent exited 143 and its worker JVMs trained on,
        // their runs ending completed
        Process process = stopParallelSweep(Process::destroy, 60);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        // found by a check of this stop: the signal handler exited the JVM while the command read the
        // store, and the user got H2's "NullPointerException ... getUser()" instead of the table
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(out).doesNotContain("error:").doesNotContain("Exception")
                .contains("| interrupted |")
                .contains("2 trial(s): 2 interrupted; 1 not started: stopped by SIGTERM; run the same command"
                        + " again to continue");
        assertThat(out).doesNotContain("before creating a run"); // the third trial never started
    }

    @Test
    void workersStoppedBeforeTheyCreatedTheirRunsAreNotStartedNotFailed() throws Exception {
        // found by a new-user check: SIGTERM while the workers were starting printed "Trial 1: its
        // worker exited with code 143 before creating a run" and "2 trial(s): 2 failed; 0 not started"
        Path file = dir.resolve("long.yaml");
        Files.writeString(file, PARALLEL);
        Path store = dir.resolve("store");
        Process process = start(file, store, "--parallel", "2");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (process.isAlive() && process.descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(process.descendants().findAny()).as("a worker JVM").isPresent();
        } finally {
            process.destroy(); // a worker JVM takes seconds to reach its run
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(out).doesNotContain("before creating a run").doesNotContain("failed")
                .contains("0 trial(s) run; 3 not started: stopped by SIGTERM; run the same command again to continue");
    }

    @Test
    void workersOfASweepKilledOutrightStopThemselvesAndMarkTheirTrialsInterrupted() throws Exception {
        // found by a fresh-clone check: after kill -9 of the parent the workers trained on unsupervised;
        // then a concurrency check saw them stop only after 14-18 s. ParentWatch notices within 0.5 s,
        // but recording the trial interrupted can wait for the store: the killed sweep served it, and
        // a worker reconnects to whichever process serves it next (12 s was exceeded once in CI)
        stopParallelSweep(Process::destroyForcibly, 30);
    }

    /**
     * Starts a three-trial sweep with --parallel 2, stops its parent process with {@code stop} once
     * the first two trials have trained an epoch, and checks that both workers exit within {@code seconds}
     * and both runs end interrupted.
     *
     * @return the parent process
     */
    private Process stopParallelSweep(java.util.function.Consumer<Process> stop, int seconds) throws Exception {
        Path file = dir.resolve("long.yaml");
        Files.writeString(file, PARALLEL);
        Path store = dir.resolve("store");
        Process process = start(file, store, "--parallel", "2");
        List<ProcessHandle> workers;
        try {
            waitForEpochs(store, 1, process, 2);
            workers = process.descendants().toList();
            assertThat(workers).hasSizeGreaterThanOrEqualTo(2);
        } finally {
            stop.accept(process);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(workers).noneMatch(ProcessHandle::isAlive);
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
            assertThat(db.runs("long")).extracting(RunRecord::status)
                    .containsExactly(RunStatus.INTERRUPTED, RunStatus.INTERRUPTED);
        }
        return process;
    }

    /** Three trials, two at a time: the third waits for a free worker slot when the sweep is stopped. */
    private static final String PARALLEL = """
            name: long
            dataset: {name: fashion-mnist, params: {limit_train: 512, limit_test: 64}}
            model: {architecture: mlp, params: {hidden: [16]}}
            task: classification
            training:
              epochs: 500
              batch_size: 64
              optimizer: {name: adam}
            sweep: {parameters: {training.optimizer.learning_rate: [1.0e-3, 2.0e-3, 3.0e-3]}}
            """;

    private static Process start(Path file, Path store, String... options) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path"));
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Dassay.offline=true", "-cp",
                classpath, "dev.assay.cli.Main", "run", file.toString(), "--store", store.toString()));
        command.addAll(List.of(options));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(new File(store.getParent().toFile(), "out.txt"))
                .start();
    }

    /** Polls the store (a second process, through AUTO_SERVER) until the run has N epochs. */
    private static void waitForEpochs(Path store, int epochs, Process process) throws Exception {
        waitForEpochs(store, epochs, process, 1);
    }

    /** Polls the store until {@code runs} runs each have N epochs. */
    private static void waitForEpochs(Path store, int epochs, Process process, int runCount) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(store.resolve("assay.mv.db"))) {
                try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
                    List<RunRecord> runs = db.experiments().isEmpty() ? List.of() : db.runs("long");
                    if (runs.size() >= runCount && runs.stream().allMatch(
                            r -> db.metric(r.runId(), "val_loss").size() >= epochs)) {
                        return;
                    }
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the sweep did not reach " + epochs + " epochs; alive="
                + process.isAlive() + "; output:\n"
                + Files.readString(store.getParent().resolve("out.txt")));
    }
}
