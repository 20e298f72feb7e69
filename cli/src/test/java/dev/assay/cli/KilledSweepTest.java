package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.MetricPoint;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a whole sweep in the middle of a trial, then the same command again: the
 * dead run is found by its missing heartbeat, continued from its last per-epoch checkpoint in the
 * same run (its metric history kept and continued), every planned trial ends with exactly one
 * completed run, and no run has duplicate or missing metric steps.
 */
class KilledSweepTest {

    @TempDir
    Path dir;

    @Test
    void resumeAfterSigkillCompletesEveryPlannedTrialExactlyOnce() throws Exception {
        Path file = dir.resolve("three.yaml");
        Files.writeString(file, """
                name: three
                dataset: {name: fashion-mnist, params: {limit_train: 512, limit_test: 64}}
                model: {architecture: mlp, params: {hidden: [32]}}
                task: classification
                training: {epochs: 2, batch_size: 16, log_every_n_steps: 1, optimizer: adam}
                sweep:
                  variants:
                    a: {}
                    b: {model.params.hidden: [16], training.epochs: 12,
                        dataset.params.limit_train: 1024}
                    c: {model.params.hidden: [8]}
                """);
        Path store = dir.resolve("store");
        Process sweep = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dassay.offline=true", "-cp", System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")),
                "dev.assay.cli.Main", "run", file.toString(), "--store", store.toString(),
                "--checkpoint-interval", "0")
                .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "first.txt")).start();
        MetricPoint firstEpochBefore;
        try {
            firstEpochBefore = waitForSecondTrialCheckpoint(store, sweep);
        } finally {
            sweep.destroyForcibly();   // SIGKILL: no signal handler, no shutdown hook
        }
        assertThat(sweep.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(10_500); // --stale-after 10 s, the least allowed

        CliFixture again = CliFixture.run("run", file.toString(), "--store", store.toString(),
                "--stale-after", "10", "--checkpoint-interval", "0");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).as(CliFixture.run("runs", "--store", store.toString()).out()
                + Files.readString(dir.resolve("first.txt")))
                .contains("Marked 1 run(s) of a stopped process as interrupted.")
                .contains("Resuming: 1 of 3 trial(s) already completed, diverged or pruned; running 2");
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
            List<RunRecord> runs = db.runs("three");
            assertThat(runs).hasSize(3).extracting(RunRecord::status)
                    .containsOnly(RunStatus.COMPLETED);
            assertThat(runs).extracting(RunRecord::trialKey).doesNotHaveDuplicates();
            RunRecord continued = runs.get(1);
            int fromEpoch = Integer.parseInt(continued.tags().get("continued_from_epoch"));
            assertThat(fromEpoch).isBetween(2, 11);
            assertThat(again.err()).contains("continuing run " + continued.runId().substring(0, 8)
                    + " from its checkpoint of epoch " + fromEpoch);
            List<MetricPoint> valLoss = db.metric(continued.runId(), "val_loss");
            assertThat(valLoss).as("val_loss %s, first run's output:%n%s", valLoss,
                    Files.readString(dir.resolve("first.txt"))).extracting(MetricPoint::epoch)
                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
            assertThat(valLoss.get(0)).isEqualTo(firstEpochBefore);
            List<MetricPoint> steps = db.metric(continued.runId(), "batch_loss");
            long perEpoch = valLoss.get(0).step();
            assertThat(steps).extracting(MetricPoint::step)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 12 * perEpoch)
                            .boxed().toList());
            assertThat(db.metric(continued.runId(), "test_accuracy")).hasSize(1);
            for (RunRecord r : runs) {
                for (String key : db.metricKeys(r.runId())) {
                    assertThat(db.metric(r.runId(), key)).extracting(MetricPoint::step)
                            .as(key).doesNotHaveDuplicates();
                }
            }
        }
    }

    /**
     * Waits until the second trial has checkpointed at least two epochs and is still training;
     * returns its epoch-1 validation loss point as stored then.
     */
    private static MetricPoint waitForSecondTrialCheckpoint(Path store, Process sweep)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && sweep.isAlive()) {
            if (Files.exists(store.resolve("assay.mv.db"))) {
                try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
                    List<RunRecord> runs = db.experiments().isEmpty() ? List.of() : db.runs("three");
                    if (runs.size() == 2) {
                        List<MetricPoint> val = db.metric(runs.get(1).runId(), "val_loss");
                        Path checkpoints = store.resolve("artifacts").resolve(runs.get(1).runId()).resolve("checkpoints");
                        // a published checkpoint of epoch 2 or later: checkpoints are published by a
                        // background thread, so epoch 2's val_loss and epoch 1's directory were not enough
                        // (killed before epoch 2's checkpoint was published, the run continued from epoch 1)
                        if (val.size() >= 2 && publishedEpoch(checkpoints) >= 2) {
                            return val.get(0);
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the second trial did not checkpoint; alive=" + sweep.isAlive());
    }

    /** The newest published checkpoint's epoch ({@code epoch-NNNN}) in a run's checkpoint directory, or 0. */
    private static int publishedEpoch(Path checkpoints) throws java.io.IOException {
        if (!Files.isDirectory(checkpoints)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> s = Files.list(checkpoints)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("epoch-\\d{4}"))
                    .mapToInt(n -> Integer.parseInt(n.substring("epoch-".length()))).max().orElse(0);
        } catch (java.io.UncheckedIOException e) {
            return 0; // a checkpoint renamed or deleted while listed: look again
        }
    }
}
