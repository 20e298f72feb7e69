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
 * dead run is found by its missing heartbeat and marked interrupted, every planned trial ends
 * with exactly one completed run, and no run has duplicate metric steps.
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
                training: {epochs: 12, batch_size: 16, log_every_n_steps: 1, optimizer: adam}
                sweep:
                  variants: {a: {}, b: {model.params.hidden: [16]}, c: {model.params.hidden: [8]}}
                """);
        Path store = dir.resolve("store");
        Process sweep = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dassay.offline=true", "-cp", System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")),
                "dev.assay.cli.Main", "run", file.toString(), "--store", store.toString())
                .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "first.txt")).start();
        try {
            waitForSecondTrialToTrain(store, sweep);
        } finally {
            sweep.destroyForcibly();   // SIGKILL: no signal handler, no shutdown hook
        }
        assertThat(sweep.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(2_500);

        CliFixture again = CliFixture.run("run", file.toString(), "--store", store.toString(),
                "--stale-after", "2");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).as(CliFixture.run("runs", "--store", store.toString()).out()
                + Files.readString(dir.resolve("first.txt")))
                .contains("Marked 1 run(s) of a stopped process as interrupted.")
                .contains("Resuming: 1 of 3 trial(s) already completed or diverged; running 2");
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
            List<RunRecord> runs = db.runs("three");
            assertThat(runs).hasSize(4);
            Map<String, List<RunStatus>> byKey = runs.stream().collect(Collectors.groupingBy(
                    RunRecord::trialKey, Collectors.mapping(RunRecord::status, Collectors.toList())));
            assertThat(byKey).hasSize(3);
            byKey.values().forEach(statuses ->
                    assertThat(statuses).filteredOn(s -> s == RunStatus.COMPLETED).hasSize(1));
            assertThat(runs).filteredOn(r -> r.status() == RunStatus.INTERRUPTED).singleElement()
                    .satisfies(r -> assertThat(r.trialIndex()).isEqualTo(1));
            for (RunRecord r : runs) {
                for (String key : db.metricKeys(r.runId())) {
                    assertThat(db.metric(r.runId(), key)).extracting(MetricPoint::step)
                            .as(key).doesNotHaveDuplicates();
                }
            }
        }
    }

    private static void waitForSecondTrialToTrain(Path store, Process sweep) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && sweep.isAlive()) {
            if (Files.exists(store.resolve("assay.mv.db"))) {
                try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
                    List<RunRecord> runs = db.experiments().isEmpty() ? List.of() : db.runs("three");
                    if (runs.size() == 2 && db.metric(runs.get(1).runId(), "batch_loss").size() > 3) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the second trial did not start training; alive=" + sweep.isAlive());
    }
}
