package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trials in separate JVMs writing to one store: every planned trial once, no lost rows. */
class ParallelSweepTest {

    private static final String GRID = """
            name: grid
            dataset: {name: fashion-mnist, params: {limit_train: 64, limit_test: 32}}
            model: {architecture: mlp, params: {hidden: [8]}}
            task: classification
            training: {epochs: 1, batch_size: 32, optimizer: adam}
            sweep:
              parameters:
                model.params.dropout: [0.0, 0.1]
                training.batch_size: [16, 32]
                training.optimizer.learning_rate: [1.0e-3, 1.0e-2]
            """;

    @TempDir
    Path dir;

    private List<RunRecord> runs(Path store) {
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
            return db.runs("grid");
        }
    }

    @Test
    void gridOfThreeByTwoRunsEightDistinctTrialsOnceWithTwoWorkers() throws Exception {
        Path file = dir.resolve("grid.yaml");
        Files.writeString(file, GRID);
        Path store = dir.resolve("store");

        CliFixture r = CliFixture.run("run", file.toString(), "--parallel", "2", "--store",
                store.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("Running 8 trial(s), 2 at a time in separate JVMs.")
                .contains("[trial #7] ").doesNotContainIgnoringCase("lock");
        // each worker numbered its trial "Trial 1/1"
        for (int k = 1; k <= 8; k++) {
            assertThat(r.err()).contains("Trial " + k + "/8  ");
        }
        assertThat(r.err()).doesNotContain("Trial 1/1 ");
        List<RunRecord> runs = runs(store);
        assertThat(runs).hasSize(8).extracting(RunRecord::status).containsOnly(RunStatus.COMPLETED);
        assertThat(runs).extracting(RunRecord::trialKey).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(CliFixture.plannedKeys(file));
        assertThat(r.out()).contains("8 trial(s): 8 completed");
        // workers got this JVM's -Xmx2g (surefire's argLine); they had the JVM default before, a
        // quarter of the machine's memory (6 GiB on the 24-GiB CI machine)
        for (RunRecord run : runs) {
            long heap = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.provenanceJson())
                    .get("maxHeapBytes").asLong();
            assertThat(heap).as(run.provenanceJson()).isBetween(1L << 30, 2L << 30);
        }
    }

    @Test
    void aParallelRerunPrunesAgainstItsOwnTrialsAsTheFirstSweepDid() throws Exception {
        // a user's check: the workers of a --rerun compared the frozen trial with the learning trial's earlier
        // run and pruned it at epoch 1, where the first sweep (and a rerun in one process) completed it
        Path file = dir.resolve("prune.yaml");
        Files.writeString(file, """
                name: grid
                dataset: {name: fashion-mnist, params: {limit_train: 256, limit_test: 64, validation_split: 0.25}}
                model: {architecture: mlp, params: {hidden: [16]}}
                task: classification
                training: {epochs: 2, batch_size: 64, optimizer: {name: adam, learning_rate: 3.0e-3}}
                sweep:
                  pruner: {name: median, monitor: val_accuracy, min_epochs: 1, min_trials: 1}
                  variants:
                    frozen: {training.optimizer.learning_rate: 0.0}
                    learns: {}
                """);
        Path store = dir.resolve("store");
        CliFixture first = CliFixture.run("run", file.toString(), "--store", store.toString());
        assertThat(first.out()).as(first.err()).contains("2 trial(s): 2 completed");

        CliFixture rerun = CliFixture.run("run", file.toString(), "--rerun", "--parallel", "2", "--store",
                store.toString());

        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(rerun.out()).contains("2 trial(s): 2 completed");
        assertThat(RunRecord.newestPerTrial(runs(store))).extracting(RunRecord::status)
                .containsOnly(RunStatus.COMPLETED);
    }

    @Test
    void workersGetThisJvmsHeapAndPropertiesButNotItsDebuggerOrRecording() {
        assertThat(ParallelSweep.inheritedJvmOptions(List.of("-Xmx6g", "-Xss2m", "-XX:+UseParallelGC",
                "-Dfoo=bar", "-XX:ActiveProcessorCount=8", "-agentlib:jdwp=transport=dt_socket,address=5005",
                "-javaagent:x.jar", "-Xrunjdwp:server=y", "-XX:StartFlightRecording=filename=a.jfr",
                "-Xlog:gc:file=gc.log", "-Xlog:gc", "--add-opens=java.base/java.lang=ALL-UNNAMED")))
                .containsExactly("-Xmx6g", "-Xss2m", "-XX:+UseParallelGC", "-Dfoo=bar", "-Xlog:gc",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED");
    }

    @Test
    void fourWorkersStartingAtOnceOnAFreshStoreCreateTheSchemaOnceAndLoseNothing() throws Exception {
        Path file = dir.resolve("grid.yaml");
        Files.writeString(file, GRID);
        Path store = dir.resolve("fresh");
        List<String> keys = CliFixture.plannedKeys(file).subList(0, 4);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path"));
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(new ProcessBuilder(java, "-Dassay.offline=true", "-cp", classpath,
                    "dev.assay.cli.Main", "worker", file.toString(), "--trial-key", keys.get(i),
                    "--store", store.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(new File(dir.toFile(), "worker" + i + ".txt"))
                    .start());
        }
        for (int i = 0; i < 4; i++) {
            assertThat(workers.get(i).waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(dir.resolve("worker" + i + ".txt"));
            assertThat(workers.get(i).exitValue()).as(output).isZero();
            assertThat(output).doesNotContainIgnoringCase("lock");
        }
        List<RunRecord> runs = runs(store);
        assertThat(runs).hasSize(4).extracting(RunRecord::trialKey)
                .containsExactlyInAnyOrderElementsOf(keys);
        for (RunRecord run : runs) {
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            // 1 epoch: every epoch metric has exactly one point, none lost.
            assertThat(run.metrics().get("val_loss").count()).isEqualTo(1);
            assertThat(run.metrics().get("test_accuracy").count()).isEqualTo(1);
        }
        try (Connection c = DriverManager.getConnection(TrackingStore.defaultUrl(store));
                ResultSet rows = c.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1'")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }
}
