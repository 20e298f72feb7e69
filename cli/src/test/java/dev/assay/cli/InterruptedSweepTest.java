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
                """);
        Path store = dir.resolve("store");
        Process process = start(file, store);
        try {
            waitForEpochs(store, 2, process);
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

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

    private static Process start(Path file, Path store) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "-Dassay.offline=true", "-cp", classpath,
                "dev.assay.cli.Main", "run", file.toString(), "--store", store.toString())
                .redirectErrorStream(true)
                .redirectOutput(new File(store.getParent().toFile(), "out.txt"))
                .start();
    }

    /** Polls the store (a second process, through AUTO_SERVER) until the run has N epochs. */
    private static void waitForEpochs(Path store, int epochs, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(store.resolve("assay.mv.db"))) {
                try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
                    List<RunRecord> runs = db.experiments().isEmpty() ? List.of() : db.runs("long");
                    if (!runs.isEmpty() && db.metric(runs.get(0).runId(), "val_loss").size() >= epochs) {
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
