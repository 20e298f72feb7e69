package dev.assay.track;

import static dev.assay.track.StoreFixtures.newRun;
import static dev.assay.track.StoreFixtures.queryLong;
import static dev.assay.track.StoreFixtures.queryRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackingStoreTest {

    @TempDir
    Path dir;

    @Test
    void readsInASnapshotSeeTheStoreAsOfTheirFirstReadWhileAnotherConnectionWrites() {
        // found by a concurrency check: an export of a running run read its summary (337 points) and
        // then its series (360 points), each statement seeing the latest commit
        String url = TrackingStore.defaultUrl(dir.resolve("snap"));
        try (TrackingStore writer = TrackingStore.open(url); TrackingStore reader = TrackingStore.open(url)) {
            String run = writer.createRun(newRun("e", 0));
            writer.appendMetrics(run, Map.of("loss", points(1, 10)));
            long[] seen = reader.readConsistently(() -> {
                long summary = reader.run(run).orElseThrow().metrics().get("loss").count();
                writer.appendMetrics(run, Map.of("loss", points(11, 20))); // a sweep commits meanwhile
                long series = reader.metric(run, "loss").size();
                long runs = reader.runs("e").get(0).metrics().get("loss").count();
                // a snapshot inside the snapshot is part of it (setting the isolation again committed)
                long nested = reader.readConsistently(() -> (long) reader.metric(run, "loss").size());
                long after = reader.metric(run, "loss").size();
                return new long[] {summary, series, runs, nested, after};
            });
            assertThat(seen).containsExactly(10, 10, 10, 10, 10);
            assertThat(reader.metric(run, "loss")).hasSize(20); // after the snapshot: the latest again
            assertThat(reader.run(run).orElseThrow().metrics().get("loss").count()).isEqualTo(20);
        }
    }

    private static List<MetricPoint> points(int from, int to) {
        List<MetricPoint> out = new java.util.ArrayList<>();
        for (int s = from; s <= to; s++) {
            out.add(new MetricPoint(s, 1, s * 0.1, 1000 + s));
        }
        return out;
    }

    @Test
    void aReadOnlyOpenOfAStoreWhoseLockFileIsThereFailsAtOnceSayingWhy() throws Exception {
        // found by a concurrency check: a user who cannot write a store waited 60 s while a sweep wrote
        // it, then got H2's "Lock file exists"; so did a copy of a live store, which keeps the lock file
        Path live = dir.resolve("live");
        Path copy = Files.createDirectories(dir.resolve("copy"));
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(live))) {
            db.createRun(StoreFixtures.newRun("e", 0));
            try (java.util.stream.Stream<Path> files = Files.list(live)) {
                for (Path f : files.toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        assertThat(copy.resolve("assay.lock.db")).exists();
        long start = System.nanoTime();
        assertThatThrownBy(() -> TrackingStore.open(TrackingStore.readOnlyUrl(copy)))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining("the store is in use: its lock file assay.lock.db is there")
                .hasMessageContaining("copy the directory without assay.lock.db");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(20));
        // without the lock file the copy reads
        Files.delete(copy.resolve("assay.lock.db"));
        try (TrackingStore db = TrackingStore.open(TrackingStore.readOnlyUrl(copy))) {
            assertThat(db.runs("e")).hasSize(1);
        }
    }

    @Test
    void aRunNameOrTrialKeyTooLongForItsColumnIsRefusedSayingSo() {
        // createRun failed with H2's raw "Value too long for column RUN_NAME"
        String longName = "n".repeat(251);
        assertThatThrownBy(() -> new NewRun("exp", null, longName, 0, null, 1, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A run name must be at most 250 characters, got 251 ('" + "n".repeat(40) + "...').");
        assertThatThrownBy(() -> new NewRun("exp", null, "ok", 0, "k".repeat(300), 1, null, null, null, null))
                .hasMessageStartingWith("A trial key must be at most 250 characters, got 300");
        assertThat(new NewRun("exp", null, "n".repeat(250), 0, "k".repeat(250), 1, null, null, null, null).runName())
                .hasSize(250);
    }

    @Test
    void namesThatPrintAsNothingOrBreakTheUisListsAreRefused() throws Exception {
        // found by a security check: a metric "loss,top5" or " padded " took every chart of its run and compare
        // pages down (the UI's metric lists are comma-separated), and a right-to-left override in a name
        // showed "\u202Egnp.exe" as "exe.png"
        assertThatThrownBy(() -> new NewRun("\u202Egnp.exe", null, "r", 0, null, 1, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An experiment name cannot hold U+202E (right-to-left override) at character 1, got"
                        + " '\u202Egnp.exe'.");
        assertThatThrownBy(() -> new NewRun("e", null, "r", 0, null, 1, null, null, Map.of("lr\n", "1"), null))
                .hasMessageStartingWith("A param name cannot hold U+000A (line feed (lf)) at character 3");
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("names")));
                AsyncTracker tracker = new AsyncTracker(db, java.time.Duration.ofMillis(50))) {
            String id = db.createRun(new NewRun("e", null, "r", 0, null, 1, null, null, null, null));
            RunTracker run = tracker.tracker(id, dir.resolve("names-artifacts"));
            assertThatThrownBy(() -> run.logMetric("loss,top5", 1, 1, 0.5))
                    .hasMessage("A metric name cannot hold a comma (lists of metrics are comma-separated), got"
                            + " 'loss,top5'.");
            assertThatThrownBy(() -> run.logMetrics(Map.of(" padded ", 0.5), 1, 1))
                    .hasMessage("A metric name cannot start or end with white space, got ' padded '.");
            assertThatThrownBy(() -> run.setTag("note\u200B", "x")).hasMessageContaining("U+200B (zero width space)");
            // a comma is fine in a tag name, and any text in values
            run.setTag("a,b", "x, \"y\"\n<z>");
            run.logMetric("val_loss", 1, 1, 0.5);
            tracker.flush();
            assertThat(db.metricKeys(id)).containsExactly("val_loss");
        }
    }

    @Test
    void aVersionOneStoreIsUpgradedAndItsRunsKeepTheirWholeDuration() throws Exception {
        String url = StoreFixtures.url(dir.resolve("old"));
        org.flywaydb.core.Flyway.configure().dataSource(url, null, null)
                .locations("classpath:db/migration").target("1").load().migrate();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO experiments (id, name, created_millis) VALUES (1, 'exp', 1000)");
            s.execute("INSERT INTO runs (run_id, experiment_id, trial_index, seed, status, start_millis, end_millis,"
                    + " updated_millis) VALUES ('" + "a".repeat(32) + "', 1, 0, 42, 'completed', 1000, 61000, 61000)");
        }

        try (TrackingStore store = TrackingStore.open(url)) {
            RunRecord run = store.run("a".repeat(32)).orElseThrow();
            assertThat(run.pausedMillis()).isZero();
            assertThat(run.durationMillis()).isEqualTo(60_000L);
        }
        assertThat(queryLong(url, "SELECT MAX(\"version\") FROM \"flyway_schema_history\"")).isEqualTo(2);
    }

    @Test
    void flywayCreatesTheSchemaOnceAndASecondOpenDoesNotRerunIt() throws Exception {
        String url = StoreFixtures.url(dir.resolve("db"));
        assertThat(url).isEqualTo("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/assay;AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0");
        try (TrackingStore store = TrackingStore.open(url)) {
            assertThat(store.experiments()).isEmpty();
        }
        assertThat(Files.exists(dir.resolve("db/assay.mv.db"))).isTrue();
        List<List<Object>> first = queryRows(url,
                "SELECT \"version\", \"success\", \"installed_on\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL");
        assertThat(first).extracting(row -> row.subList(0, 2))
                .containsExactly(List.of("1", true), List.of("2", true));

        try (TrackingStore store = TrackingStore.open(url)) {
            store.createRun(newRun("exp", 0));
        }
        assertThat(queryRows(url,
                "SELECT \"version\", \"success\", \"installed_on\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL"))
                .isEqualTo(first);
        assertThat(queryLong(url, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN"
                + " ('EXPERIMENTS', 'RUNS', 'PARAMS', 'TAGS', 'METRIC_CHUNKS', 'METRIC_SUMMARIES', 'ARTIFACTS')"))
                .isEqualTo(7);
    }

    @Test
    void trialStatusesOfOneKeyListItsRunsInStartOrderAndNothingOfOtherKeysOrExperiments()
            throws Exception {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir.resolve("db")))) {
            String first = store.createRun(newRun("exp", 0));
            store.finishRun(first, RunStatus.INTERRUPTED, null);
            Thread.sleep(2); // distinct start times
            store.createRun(newRun("exp", 1));
            Thread.sleep(2);
            String again = store.createRun(newRun("exp", 0));
            store.finishRun(again, RunStatus.COMPLETED, null);
            store.createRun(newRun("other", 0));
            assertThat(store.trialStatuses("exp", "key-0"))
                    .containsExactly(RunStatus.INTERRUPTED, RunStatus.COMPLETED);
            assertThat(store.trialStatuses("exp", "key-1")).containsExactly(RunStatus.RUNNING);
            assertThat(store.trialStatuses("other", "key-0")).containsExactly(RunStatus.RUNNING);
            assertThat(store.trialStatuses("exp", "key-9")).isEmpty();
            assertThat(store.trialStatuses("exp", "key-0"))
                    .isEqualTo(store.trialStatuses("exp").get("key-0"));
        }
    }

    @Test
    void openingAnUnreachableUrlNamesTheUrl() {
        String url = "jdbc:h2:file:" + dir.resolve("missing/assay") + ";IFEXISTS=TRUE";
        assertThatThrownBy(() -> TrackingStore.open(url))
                .isInstanceOf(TrackingException.class)
                .hasMessageStartingWith("Cannot open the tracking store at " + url + ": ");
    }

    @Test
    void aCreatedRunReadsBackWithParamsTagsArtifactsAndItsFinalStatus() throws Exception {
        String url = StoreFixtures.url(dir);
        try (TrackingStore store = TrackingStore.open(url)) {
            long before = System.currentTimeMillis();
            String runId = store.createRun(newRun("fashion", 3));
            assertThat(runId).matches("[0-9a-f]{32}");

            RunRecord running = store.run(runId).orElseThrow();
            assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(running.startTimeMillis()).isBetween(before, System.currentTimeMillis());
            assertThat(running.endTimeMillis()).isNull();

            store.setTags(runId, Map.of("source", "changed", "gpu", "none"));
            store.addArtifacts(runId, List.of(new ArtifactRecord("model/params.bin", 10), new ArtifactRecord("a.txt", 3)));
            store.addArtifacts(runId, List.of(new ArtifactRecord("a.txt", 5)));
            store.addArtifacts(runId, List.of(new ArtifactRecord("checkpoints/epoch-0002/c.params", 7)));
            // the listing at the end replaces the rows: a file deleted since (a pruned checkpoint) goes
            store.replaceArtifacts(runId, List.of(new ArtifactRecord("model/params.bin", 10),
                    new ArtifactRecord("a.txt", 5)));
            store.finishRun(runId, RunStatus.FAILED, "boom");

            RunRecord run = store.run(runId).orElseThrow();
            assertThat(run.experiment()).isEqualTo("fashion");
            assertThat(run.runName()).isEqualTo("trial-3");
            assertThat(run.trialIndex()).isEqualTo(3);
            assertThat(run.trialKey()).isEqualTo("key-3");
            assertThat(run.seed()).isEqualTo(45L);
            assertThat(run.configYaml()).isEqualTo("training:\n  epochs: 2\n");
            assertThat(run.provenanceJson()).isEqualTo("{\"java\":\"17\"}");
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.errorMessage()).isEqualTo("boom");
            assertThat(run.endTimeMillis()).isBetween(run.startTimeMillis(), System.currentTimeMillis());
            assertThat(run.params()).containsExactly(
                    Map.entry("model.params.activation", "relu"),
                    Map.entry("training.optimizer.learning_rate", "1.0e-3"));
            assertThat(run.tags()).containsExactly(Map.entry("gpu", "none"), Map.entry("source", "changed"));
            assertThat(run.artifacts()).containsExactly(
                    new ArtifactRecord("a.txt", 5), new ArtifactRecord("model/params.bin", 10));
            assertThat(run.metrics()).isEmpty();

            assertThat(queryRows(url, "SELECT param_key, numeric_value FROM params WHERE run_id = ? ORDER BY param_key", runId))
                    .containsExactly(java.util.Arrays.asList("model.params.activation", null),
                            List.of("training.optimizer.learning_rate", 1.0e-3));
        }
    }

    @Test
    void numericValuesAreParsedOnlyFromFiniteDecimals() {
        assertThat(RunWriter.numericValue("0.3")).isEqualTo(0.3);
        assertThat(RunWriter.numericValue(" -2 ")).isEqualTo(-2.0);
        assertThat(RunWriter.numericValue("1e-4")).isEqualTo(1e-4);
        assertThat(RunWriter.numericValue(".5")).isEqualTo(0.5);
        assertThat(RunWriter.numericValue("NaN")).isNull();
        assertThat(RunWriter.numericValue("Infinity")).isNull();
        assertThat(RunWriter.numericValue("1e999")).isNull();
        assertThat(RunWriter.numericValue("0x10")).isNull();
        assertThat(RunWriter.numericValue("[256, 128]")).isNull();
        assertThat(RunWriter.numericValue("1f")).isNull();
    }

    @Test
    void runsOfAnExperimentComeInTrialOrderAndExperimentsCountThem() {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir))) {
            String second = store.createRun(newRun("sweep", 1));
            String first = store.createRun(newRun("sweep", 0));
            store.createRun(newRun("other", 0));
            store.appendMetrics(second, Map.of("loss", List.of(new MetricPoint(1, 1, 0.5, 10))));

            List<RunRecord> runs = store.runs("sweep");
            assertThat(runs).extracting(RunRecord::runId).containsExactly(first, second);
            assertThat(runs.get(1).metrics()).containsOnlyKeys("loss");
            assertThat(runs.get(1).metrics().get("loss").last()).isEqualTo(0.5);
            assertThat(runs.get(0).params()).hasSize(2);
            assertThat(store.runs("nope")).isEmpty();

            List<ExperimentRecord> experiments = store.experiments();
            assertThat(experiments).extracting(ExperimentRecord::name).containsExactly("other", "sweep");
            assertThat(experiments).extracting(ExperimentRecord::runCount).containsExactly(1, 2);
            assertThat(experiments.get(1).description()).isEqualTo("what it shows");
            assertThat(experiments.get(1).lastActivityMillis()).isGreaterThanOrEqualTo(experiments.get(1).createdMillis());
        }
    }

    @Test
    void aRunIsFoundByAUniquePrefixAndAnAmbiguousPrefixListsTheMatches() throws Exception {
        String url = StoreFixtures.url(dir);
        try (TrackingStore store = TrackingStore.open(url)) {
            String runId = store.createRun(newRun("exp", 0));
            String a = "abcd" + "0".repeat(28);
            String b = "abcd" + "1".repeat(28);
            for (String id : List.of(a, b)) {
                StoreFixtures.execute(url, "INSERT INTO runs (run_id, experiment_id, trial_index, seed, status,"
                        + " start_millis, updated_millis) SELECT ?, id, 0, 1, 'completed', 5, 5 FROM experiments", id);
            }

            assertThat(store.run(runId.substring(0, 8).toUpperCase()).orElseThrow().runId()).isEqualTo(runId);
            assertThat(store.run(runId)).map(RunRecord::runId).contains(runId);
            assertThat(store.run("abcd1")).map(RunRecord::status).contains(RunStatus.COMPLETED);
            assertThat(store.run("ffff" + "e".repeat(28))).isEmpty();
            assertThatThrownBy(() -> store.run("abcd"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("The run id prefix 'abcd' is ambiguous; it matches " + a + ", " + b + ".");
            assertThatThrownBy(() -> store.run("abc"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("A run id or prefix must be 4 to 32 hex characters, got 'abc'.");
        }
    }

    @Test
    void writesToAnUnknownRunAreRejected() {
        try (TrackingStore store = TrackingStore.open(StoreFixtures.url(dir))) {
            String unknown = "0".repeat(32);
            assertThatThrownBy(() -> store.finishRun(unknown, RunStatus.COMPLETED, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("No run with id '" + unknown + "' exists.");
            assertThatThrownBy(() -> store.appendMetrics(unknown, Map.of("loss", List.of(new MetricPoint(0, 0, 1, 0)))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("No run with id '" + unknown + "' exists.");
            assertThatThrownBy(() -> store.setTags(unknown, Map.of("a", "b")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closingTwiceIsSafeAndAClosedStoreRejectsCalls() {
        TrackingStore store = TrackingStore.open(StoreFixtures.url(dir));
        store.close();
        store.close();
        assertThatThrownBy(store::experiments)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void statusLabelsRoundTrip() {
        for (RunStatus status : RunStatus.values()) {
            assertThat(RunStatus.fromLabel(status.label())).isEqualTo(status);
        }
        assertThat(RunStatus.DIVERGED.label()).isEqualTo("diverged");
        assertThatThrownBy(() -> RunStatus.fromLabel("done"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown run status 'done'; expected one of: running, completed, failed, diverged, interrupted, pruned.");
    }
}
