package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.MetricPoint;
import dev.assay.track.NewRun;
import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runs table shows each task's final metrics without being asked. */
class TablesTest {

    @TempDir
    Path dir;

    @Test
    void aMetricNamedAsAParamColumnIsHeadedAsAMetricAndSortingByItSaysWhichOneSorted() {
        // found by a UI check: runs --sort learning_rate sorted by the logged metric and showed two columns both
        // headed learning_rate (the param's 1e+30 beside the metric's 1.000e+30)
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            for (int i = 0; i < 2; i++) {
                String id = store.createRun(new NewRun("lr", "", "r" + i, i, "k" + i, i, "a: 1\n", "{}",
                        Map.of("training.optimizer.learning_rate", i == 0 ? "0.1" : "0.01"), Map.of()));
                store.appendMetrics(id, Map.of("learning_rate", List.of(new MetricPoint(1, 1, i == 0 ? 0.1 : 0.01, 10))));
                store.finishRun(id, RunStatus.COMPLETED, null);
            }
        }
        CliFixture runs = CliFixture.run("runs", "--sort", "learning_rate", "--store", dir.toString());

        assertThat(runs.exitCode()).as(runs.err()).isZero();
        String header = runs.out().lines().filter(l -> l.startsWith("| run ")).findFirst().orElseThrow();
        assertThat(header.replaceAll("\\s+", " ")).isEqualTo("| run | # | status | learning_rate | metrics.learning_rate"
                + " | epochs | time |");
        assertThat(runs.err()).contains("note: sorted by the metric learning_rate (its last value, headed"
                + " metrics.learning_rate where a param column reads learning_rate); for the parameter, --sort"
                + " training.optimizer.learning_rate");
        CliFixture byParam = CliFixture.run("runs", "--sort", "training.optimizer.learning_rate", "--store", dir.toString());
        assertThat(byParam.err()).doesNotContain("note: sorted by the metric");
    }

    @Test
    void cellsWithDoubleWidthCharactersLineUpAsATerminalDrawsThem() {
        String table = Tables.table(List.of("run", "实验", "test_accuracy"), List.of(
                new String[] {"a1b2", "学习率", "0.8857"},
                new String[] {"c3d4", "e\u0301x", "0.8884"}, // e + combining acute: one column
                new String[] {"e5f6", "\uD83D\uDE00x", "0.8846"}, // an emoji: two columns, two UTF-16 units
                new String[] {"g7h8", "abc", "0.8783"}));
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(8);
        // every line as wide on the terminal as the border (it was 3 columns wider on the 学习率 row)
        assertThat(lines).allSatisfy(line -> assertThat(displayWidth(line)).isEqualTo(lines.get(0).length()));
        assertThat(lines.get(3)).isEqualTo("| a1b2 | 学习率 |        0.8857 |");
        assertThat(lines.get(4)).isEqualTo("| c3d4 | \u00e9x     |        0.8884 |");
        assertThat(table).doesNotContain(String.valueOf(CellWidth.MARKER));
        // two double-width characters take the room of four letters
        assertThat(Tables.keyValues(Map.of("名前", "x")))
                .isEqualTo(Tables.keyValues(Map.of("abcd", "x")).replace("abcd", "名前"));
    }

    private static int displayWidth(String line) {
        return line.codePoints().map(cp -> Math.max(0, org.jline.utils.WCWidth.wcwidth(cp))).sum();
    }

    @Test
    void longDecimalParamsAreRoundedToSixSignificantDigitsExponentsWrittenOneWayAndTheRestKeptAsRecorded() {
        assertThat(Tables.param("0.04110815668956829")).isEqualTo("0.0411082");
        assertThat(Tables.param("2.99732788365548E-4")).isEqualTo("0.000299733");
        assertThat(Tables.param("1.2345678901E-7")).isEqualTo("1.23457e-7");
        assertThat(Tables.param("0.1")).isEqualTo("0.1");
        assertThat(Tables.param("1.0E-4")).isEqualTo("1e-4"); // Java's form beside 1.23457e-7: one form
        assertThat(Tables.param("123456789")).isEqualTo("123456789");
        assertThat(Tables.param("[64, 32]")).isEqualTo("[64, 32]");
        assertThat(Tables.param("adam")).isEqualTo("adam");
        assertThat(Tables.param("sgd.e")).isEqualTo("sgd.e");
    }

    @Test
    void aRunningRunWithoutAHeartbeatForAMinuteIsShownAsSuch() throws Exception {
        String url = TrackingStore.defaultUrl(dir);
        try (TrackingStore store = TrackingStore.open(url)) {
            String dead = store.createRun(new NewRun("e", "", "dead", 0, "k0", 1, "", "{}", Map.of(), Map.of()));
            String live = store.createRun(new NewRun("e", "", "live", 1, "k1", 1, "", "{}", Map.of(), Map.of()));
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                    java.sql.PreparedStatement old = c.prepareStatement("UPDATE runs SET updated_millis = ? WHERE run_id = ?")) {
                old.setLong(1, System.currentTimeMillis() - 120_000);
                old.setString(2, dead);
                old.executeUpdate();
            }
            // a killed run read "running" in every table until the next `assay run` of its experiment
            String table = Tables.runs(store.runs("e"), List.of(), true);
            assertThat(table.lines().filter(l -> l.contains(dead.substring(0, 8)))).singleElement().asString()
                    .contains("running, no heartbeat");
            assertThat(table.lines().filter(l -> l.contains(live.substring(0, 8)))).singleElement().asString()
                    .contains("| running ").doesNotContain("no heartbeat");
            assertThat(Tables.status(store.run(dead).orElseThrow())).isEqualTo("running, no heartbeat");
            assertThat(Tables.status(store.run(live).orElseThrow())).isEqualTo("running");
        }
    }

    @Test
    void runsTheirTrialDoesNotCountByAreMarkedSupersededExceptARerunStillRunning() throws Exception {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            Map<String, String> ids = new java.util.LinkedHashMap<>();
            String[][] runs = {{"first", "k0", "completed"}, {"rerun", "k0", "completed"}, {"kept", "k1", "completed"},
                {"rerunning", "k1", "running"}, {"crashed", "k2", "failed"}, {"retried", "k2", "completed"}};
            for (String[] r : runs) {
                String id = store.createRun(new NewRun("s", "", r[0], Integer.parseInt(r[1].substring(1)), r[1], 1, "",
                        "{}", Map.of(), Map.of()));
                if (!r[2].equals("running")) {
                    store.finishRun(id, dev.assay.track.RunStatus.fromLabel(r[2]), null);
                }
                ids.put(r[0], id.substring(0, 8));
                Thread.sleep(3); // distinct start times: the newer run of a trial counts
            }
            String table = Tables.runs(store.runs("s"), List.of(), true);
            Map<String, String> status = new java.util.HashMap<>();
            ids.forEach((name, id) -> status.put(name, table.lines().filter(l -> l.startsWith("| " + id))
                    .findFirst().orElseThrow().split("\\|")[3].trim()));
            assertThat(status).containsExactlyInAnyOrderEntriesOf(Map.of("first", "completed, superseded", "rerun",
                    "completed", "kept", "completed", "rerunning", "running", "crashed", "failed, superseded",
                    "retried", "completed"));
            assertThat(table).endsWith("2 superseded run(s): another run of the same trial (configuration and seed)"
                    + " counts in groups and the web UI's charts (exports list every run, with superseded=true for these).");
            // one run per trial: no mark, no line
            assertThat(Tables.runs(RunRecord.countedPerTrial(store.runs("s")), List.of(), true))
                    .doesNotContain("superseded");
        }
    }

    @Test
    void aBestColumnRanksAndShowsEachRunsBestValueAsTpeCountsIt() {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            String peaked = store.createRun(new NewRun("e", "", "peaked", 0, "k0", 1, "", "{}", Map.of(), Map.of()));
            String steady = store.createRun(new NewRun("e", "", "steady", 1, "k1", 1, "", "{}", Map.of(), Map.of()));
            store.appendMetrics(peaked, Map.of("val_accuracy", List.of(new MetricPoint(1, 1, 0.52, 1),
                    new MetricPoint(2, 2, 0.24, 2))));
            store.appendMetrics(steady, Map.of("val_accuracy", List.of(new MetricPoint(1, 1, 0.38, 1),
                    new MetricPoint(2, 2, 0.38, 2))));
            String best = Tables.best("val_accuracy", false);
            // TPE counted "peaked" best (0.52) while the table, by last value, ranked it second
            List<RunRecord> ranked = Tables.sort(store.runs("e"), best, false);
            assertThat(ranked).extracting(RunRecord::runName).containsExactly("peaked", "steady");
            String table = Tables.runs(ranked, List.of(best, "val_accuracy"), true);
            assertThat(table).contains("val_accuracy (max)");
            assertThat(table.lines().filter(l -> l.contains(peaked.substring(0, 8)))).singleElement().asString()
                    .contains("0.5200").contains("0.2400");
            assertThat(Tables.sort(store.runs("e"), Tables.best("val_accuracy", true), true))
                    .extracting(RunRecord::runName).containsExactly("peaked", "steady");
        }
    }

    @Test
    void aFirstGroupOfOneSurvivingRunIsSaidToRankBySurvivorship() {
        // found by a new-user check: a group of 3 seeds of which a pruner stopped 2 ranked first by its one
        // completed run, and every p-value was "-" without a word why
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            double[][] values = {{0.30, 0.90, 0.95}, {0.40, 0.42, 0.41}};
            String[] lr = {"0.005", "0.01"};
            int index = 0;
            for (int g = 0; g < 2; g++) {
                for (int seed = 1; seed <= 3; seed++) {
                    String id = store.createRun(new NewRun("p", "", "r", index, "k" + index++, seed, "", "{}",
                            Map.of("training.optimizer.learning_rate", lr[g], "training.seed", String.valueOf(seed)),
                            Map.of()));
                    store.appendMetrics(id, Map.of("val_loss", List.of(new MetricPoint(1, 1, values[g][seed - 1], 1))));
                    store.finishRun(id, g == 0 && seed > 1 ? RunStatus.PRUNED : RunStatus.COMPLETED, null);
                }
            }
            String table = GroupsTable.groups(Tables.sort(store.runs("p"), "val_loss", true), List.of("val_loss"),
                    "val_loss", true);
            java.util.regex.Matcher low = java.util.regex.Pattern.compile("\\|\\s+0\\.005\\s+\\|").matcher(table);
            java.util.regex.Matcher high = java.util.regex.Pattern.compile("\\|\\s+0\\.01\\s+\\|").matcher(table);
            assertThat(low.find() && high.find() && low.start() < high.start()).as(table).isTrue(); // ranked first
            assertThat(table).endsWith("\nThe first group's mean is one run's value, so no other group is compared"
                    + " with it (p \"-\"): its other 2 run(s) did not complete (pruned, failed, diverged or stopped), so"
                    + " it ranks first by its one survivor.");
            // two complete groups: no such line
            assertThat(GroupsTable.groups(store.runs("p").stream().filter(r -> !r.params()
                    .get("training.optimizer.learning_rate").equals("0.005")).toList(), List.of("val_loss"), "val_loss",
                    true)).doesNotContain("first group's mean");
        }
    }

    @Test
    void sortedGroupsAreRankedByTheMeanTheyShowNotByTheirBestRun() {
        // found by a new-user check: runs --group --sort test_accuracy listed the groups in the order
        // of their best run, so a group of mean 0.7887 (one lucky seed at 0.824) came above 0.8047
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            Map<String, double[]> accuracy = new java.util.LinkedHashMap<>();
            accuracy.put("spread", new double[] {0.824, 0.747, 0.795});
            accuracy.put("steady", new double[] {0.804, 0.804, 0.806});
            accuracy.put("weak", new double[] {0.50, 0.51});
            int index = 0;
            for (Map.Entry<String, double[]> e : accuracy.entrySet()) {
                for (int seed = 1; seed <= e.getValue().length + (e.getKey().equals("weak") ? 1 : 0); seed++) {
                    String id = store.createRun(new NewRun("g", "", e.getKey(), index, "k" + index++, seed, "", "{}",
                            Map.of("training.optimizer.name", e.getKey(), "training.seed", String.valueOf(seed)),
                            Map.of()));
                    if (seed <= e.getValue().length) { // weak's third seed has no test_accuracy
                        store.appendMetrics(id, Map.of("test_accuracy",
                                List.of(new MetricPoint(1, 1, e.getValue()[seed - 1], 1))));
                    }
                    store.finishRun(id, RunStatus.COMPLETED, null); // only completed runs' values are averaged
                }
            }
            store.createRun(new NewRun("g", "", "none", 99, "k99", 1, "", "{}",
                    Map.of("training.optimizer.name", "none", "training.seed", "1"), Map.of()));
            List<RunRecord> sorted = Tables.sort(store.runs("g"), "test_accuracy", false);
            String table = GroupsTable.groups(sorted, List.of("test_accuracy"), "test_accuracy", false);
            assertThat(rowOrder(table, "spread", "steady", "weak", "none")).containsExactly("steady", "spread", "weak",
                    "none");
            assertThat(table).contains("0.8047 ± 0.0012 (n=3)").contains("0.7887 ± 0.0389 (n=3)")
                    .contains("0.5050 ± 0.0071 (n=2, 1 missing)"); // weak's third seed has no test_accuracy
            // Welch's t-test of each group against the first (highest mean) on the sort metric; the values were
            // worked out apart from the code: t = 0.712 with 2.004 degrees of freedom (p = 0.5500), t = 59.4 with 1.036
            // (p = 0.00933, the regularized incomplete beta integrated numerically)
            assertThat(table.lines().filter(l -> l.contains("p vs highest (Welch)"))).hasSize(1);
            assertThat(cellAfterMean(table, "steady")).isEqualTo("highest");
            assertThat(cellAfterMean(table, "spread")).isEqualTo("0.55");
            assertThat(cellAfterMean(table, "weak")).isEqualTo("0.0093");
            assertThat(cellAfterMean(table, "none")).isEqualTo("-"); // no value: nothing to test
            assertThat(GroupsTable.welchP(new double[] {1, 2}, new double[] {1})).isEqualTo("-");
            assertThat(GroupsTable.welchP(new double[] {1, 1}, new double[] {1, 1})).isEqualTo("-"); // no spread at all
            assertThat(GroupsTable.welchP(new double[] {0.90, 0.91, 0.90}, new double[] {0.10, 0.11, 0.10})).isEqualTo("<0.001");
            String ascending = GroupsTable.groups(Tables.sort(store.runs("g"), "test_accuracy", true),
                    List.of("test_accuracy"), "test_accuracy", true);
            assertThat(rowOrder(ascending, "spread", "steady", "weak", "none")).containsExactly("weak", "spread",
                    "steady", "none");
            // --ascending called the first group, here the worst, "top", and the column "p vs top"
            assertThat(ascending.lines().skip(1).findFirst().orElseThrow()).endsWith("| p vs lowest (Welch) |")
                    .doesNotContain("top");
            assertThat(cellAfterMean(ascending, "weak")).isEqualTo("lowest");
            assertThat(cellAfterMean(ascending, "steady")).isEqualTo("0.0093");
            // a first group without a finite value ranks nothing: no reference, no p-values
            List<RunRecord> noValue = store.runs("g").stream().filter(r -> r.runName().equals("none")
                    || (r.runName().equals("weak") && !r.metrics().containsKey("test_accuracy"))).toList();
            String none = GroupsTable.groups(noValue, List.of("test_accuracy"), "test_accuracy", true);
            assertThat(rowOrder(none, "weak", "none")).containsExactly("none", "weak");
            assertThat(cellAfterMean(none, "none")).isEqualTo("-");
            assertThat(cellAfterMean(none, "weak")).isEqualTo("-");
            // ranked by a metric --metrics left out: its mean is shown too (the order had no visible reason)
            String byHidden = GroupsTable.groups(sorted, List.of("val_accuracy"), "test_accuracy", false);
            assertThat(byHidden.lines().skip(1).findFirst().orElseThrow()).containsPattern(
                    "\\| val_accuracy +\\| test_accuracy +\\| p vs highest");
            assertThat(byHidden).contains("0.8047 ± 0.0012 (n=3)");
        }
    }

    @Test
    void paramColumnsKeepTheirOrderWhateverOrderTheRunsComeIn() throws InterruptedException {
        // found by a new-user check: runs --group and runs --group --sort showed sgd's and adam's params in
        // different orders, taken from whichever run the table listed first
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            store.createRun(new NewRun("order", "", "sgd", 0, "o0", 1, "", "{}", new java.util.LinkedHashMap<>(Map.of(
                    "training.optimizer.name", "sgd", "training.optimizer.momentum", "0.9")), Map.of()));
            Thread.sleep(5); // distinct start times
            store.createRun(new NewRun("order", "", "adam", 1, "o1", 1, "", "{}", new java.util.LinkedHashMap<>(Map.of(
                    "training.optimizer.name", "adam", "training.optimizer.beta1", "0.9")), Map.of()));
            List<RunRecord> runs = store.runs("order");
            List<RunRecord> reversed = new java.util.ArrayList<>(runs);
            java.util.Collections.reverse(reversed);
            List<String> columns = List.copyOf(Tables.varyingParams(runs).keySet());
            assertThat(Tables.varyingParams(reversed).keySet()).containsExactlyElementsOf(columns);
            assertThat(columns.indexOf("training.optimizer.momentum")).isLessThan(columns.indexOf("training.optimizer.beta1"));
            // and the optimizer's name is not headed "name", which read as the run's name
            assertThat(Tables.varyingParams(runs)).containsEntry("training.optimizer.name", "optimizer.name")
                    .containsEntry("training.optimizer.momentum", "momentum");
        }
    }

    @Test
    void unsortedGroupsComeInTheOrderOfTheirValuesNumbersNumerically() {
        // found by a new-user check: by first run, a plan run again with a --sweep axis listed 0.1, 1.0E12, 50.0
        // where the web UI listed 0.1, 50.0, 1.0E12
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            String[][] runs = {{"0.1", "sgd"}, {"50.0", "sgd"}, {"1.0E12", "sgd"}, {"0.1", "adam"}};
            int[] order = {0, 2, 1, 3};
            for (int i : order) {
                store.createRun(new NewRun("values", "", "r" + i, i, "v" + i, 1, "", "{}", Map.of(
                        "training.optimizer.learning_rate", runs[i][0], "training.optimizer.name", runs[i][1]), Map.of()));
            }
            String table = GroupsTable.groups(store.runs("values"), List.of("test_accuracy"));
            List<String> rows = table.lines().filter(l -> l.startsWith("| ") && !l.contains("learning_rate")).toList();
            assertThat(rows).hasSize(4);
            assertThat(rows.stream().map(l -> l.split("\\|")[1].trim() + " " + l.split("\\|")[2].trim()).toList())
                    .containsExactly("0.1 adam", "0.1 sgd", "50.0 sgd", "1e+12 sgd");
        }
    }

    @Test
    void aGroupCountsNaNAndInfApartFromTheRunsThatNeverLoggedTheMetric() {
        // found by a helper session: a group whose runs diverged before their test read "-" for test_accuracy, its
        // NaN values and its runs without the metric told apart nowhere (the web UI counted the latter nowhere either:
        // a group of such runs read "NaN/Inf 0")
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            Object[][] runs = {{"0.1", 0.80, 0.5, RunStatus.COMPLETED}, {"0.1", 0.84, 0.4, RunStatus.COMPLETED},
                {"10", null, Double.NaN, RunStatus.DIVERGED},
                {"10", null, Double.POSITIVE_INFINITY, RunStatus.DIVERGED},
                {"10", Double.NaN, 0.3, RunStatus.COMPLETED}};
            for (int i = 0; i < runs.length; i++) {
                String id = store.createRun(new NewRun("nan", "", "r" + i, i, "k" + i, 42 + i, "", "{}",
                        Map.of("training.optimizer.learning_rate", (String) runs[i][0],
                                "training.seed", String.valueOf(42 + i)), Map.of()));
                Map<String, List<MetricPoint>> points = new java.util.HashMap<>();
                points.put("val_loss", List.of(new MetricPoint(1, 1, (Double) runs[i][2], 1)));
                if (runs[i][1] != null) { // the diverged runs stopped before their test: no test_accuracy
                    points.put("test_accuracy", List.of(new MetricPoint(2, 1, (Double) runs[i][1], 2)));
                }
                store.appendMetrics(id, points);
                store.finishRun(id, (RunStatus) runs[i][3], null);
            }
            String table = GroupsTable.groups(store.runs("nan"), List.of("val_loss", "test_accuracy"));
            List<List<String>> rows = table.lines().filter(l -> l.startsWith("| ")).map(l -> java.util.Arrays
                    .stream(l.split("\\|")).skip(1).map(String::strip).toList()).toList();
            assertThat(rows).containsExactly(List.of("learning_rate", "runs", "val_loss", "test_accuracy"),
                    List.of("0.1", "2", "0.4500 ± 0.0707 (n=2)", "0.8200 ± 0.0283 (n=2)"),
                    List.of("10", "3 (2 diverged)", "0.3000 ± - (n=1, 2 NaN/Inf)", "- (1 NaN/Inf, 2 missing)"));
            assertThat(table).endsWith("n counts the completed runs' finite values; NaN/Inf, the completed or diverged"
                    + " runs whose last value is NaN or ±Inf; missing, the runs that never logged the metric.");
        }
    }

    @Test
    void aRunStillRunningWithoutTheMetricIsCountedAsRunningNotAsMissing() {
        // a sweep in progress: its running runs had not reached their test yet, and each group read "1 missing" as
        // if they had ended without a test_accuracy
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            Object[][] runs = {{"0.1", 0.80, RunStatus.COMPLETED}, {"0.1", 0.84, RunStatus.COMPLETED},
                {"0.1", null, RunStatus.RUNNING}, {"0.1", null, RunStatus.INTERRUPTED},
                {"10", null, RunStatus.RUNNING}, {"10", null, RunStatus.RUNNING}, {"10", 0.7, RunStatus.RUNNING}};
            for (int i = 0; i < runs.length; i++) {
                String id = store.createRun(new NewRun("sweep", "", "r" + i, i, "k" + i, 42 + i, "", "{}",
                        Map.of("training.optimizer.learning_rate", (String) runs[i][0],
                                "training.seed", String.valueOf(42 + i)), Map.of()));
                Map<String, List<MetricPoint>> points = new java.util.HashMap<>();
                points.put("val_loss", List.of(new MetricPoint(1, 1, 0.5, 1)));
                if (runs[i][1] != null) {
                    points.put("test_accuracy", List.of(new MetricPoint(2, 1, (Double) runs[i][1], 2)));
                }
                store.appendMetrics(id, points);
                if (runs[i][2] != RunStatus.RUNNING) {
                    store.finishRun(id, (RunStatus) runs[i][2], null);
                }
            }
            String table = GroupsTable.groups(store.runs("sweep"), List.of("val_loss", "test_accuracy"));
            List<List<String>> rows = table.lines().filter(l -> l.startsWith("| ")).map(l -> java.util.Arrays
                    .stream(l.split("\\|")).skip(1).map(String::strip).toList()).toList();
            // the interrupted run ended without the metric: missing; the running ones have not logged it yet, and the
            // running run's 0.7 (from the epoch it has reached) is counted under the runs only, as before
            assertThat(rows).containsExactly(List.of("learning_rate", "runs", "val_loss", "test_accuracy"),
                    List.of("0.1", "4 (1 running, 1 interrupted)", "0.5000 ± 0.0000 (n=2)",
                            "0.8200 ± 0.0283 (n=2, 1 missing, 1 running)"),
                    List.of("10", "3 (3 running)", "-", "- (2 running)"));
            assertThat(table).endsWith("n counts the completed runs' finite values; NaN/Inf, the completed or diverged"
                    + " runs whose last value is NaN or ±Inf; missing, the runs that ended without logging the metric;"
                    + " running, the runs still running that have not logged it yet.");
        }
    }

    /** The last cell of the table row that starts with {@code name} (the Welch column). */
    private static String cellAfterMean(String table, String name) {
        String row = table.lines().filter(l -> l.startsWith("| " + name + " ")).findFirst().orElseThrow();
        String[] cells = row.split("\\|");
        return cells[cells.length - 1].trim();
    }

    /** The given names in the order of the table rows that start with them. */
    private static List<String> rowOrder(String table, String... names) {
        return table.lines().map(l -> java.util.Arrays.stream(names).filter(n -> l.startsWith("| " + n + " "))
                .findFirst().orElse(null)).filter(java.util.Objects::nonNull).toList();
    }

    @Test
    void sortingPutsNaNAfterEveryNumberAndBeforeRunsWithoutTheMetricAsTheWebUiDoes() {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            double[] values = {0.5, Double.NaN, Double.NEGATIVE_INFINITY, 0.9, Double.POSITIVE_INFINITY};
            for (int i = 0; i <= values.length; i++) {
                String id = store.createRun(new NewRun("s", "", "r" + i, i, "k" + i, 1, "", "{}", Map.of(), Map.of()));
                if (i < values.length) { // r5 has no val_loss
                    store.appendMetrics(id, Map.of("val_loss", List.of(new MetricPoint(1, 1, values[i], 1))));
                }
            }
            assertThat(Tables.sort(store.runs("s"), "val_loss", true)).extracting(RunRecord::runName)
                    .containsExactly("r2", "r0", "r3", "r4", "r1", "r5");
            assertThat(Tables.sort(store.runs("s"), "val_loss", false)).extracting(RunRecord::runName)
                    .containsExactly("r4", "r3", "r0", "r2", "r1", "r5");
        }
    }

    @Test
    void runsSortByAParameterNumbersNumericallyThenTextThenRunsWithoutIt() {
        // found by a new-user check: runs --sort training.epochs failed with "no metric 'training.epochs'"
        Map<String, String> ids = new java.util.HashMap<>();
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            String[] epochs = {"10", "2", null, "auto", "3.5"};
            for (int i = 0; i < epochs.length; i++) {
                Map<String, String> params = epochs[i] == null ? Map.of() : Map.of("training.epochs", epochs[i]);
                ids.put("r" + i, store.createRun(new NewRun("p", "", "r" + i, i, "k" + i, 1, "", "{}", params, Map.of())));
            }
            assertThat(Tables.sortByParam(store.runs("p"), "training.epochs", true)).extracting(RunRecord::runName)
                    .containsExactly("r1", "r4", "r0", "r3", "r2");
            assertThat(Tables.sortByParam(store.runs("p"), "training.epochs", false)).extracting(RunRecord::runName)
                    .containsExactly("r0", "r4", "r1", "r3", "r2");
        }
        String storeDir = dir.toString();
        CliFixture sorted = CliFixture.run("runs", "--store", storeDir, "--sort", "training.epochs");
        assertThat(sorted.exitCode()).as(sorted.err()).isZero();
        List<Integer> at = java.util.stream.Stream.of("r1", "r4", "r0", "r3", "r2")
                .map(n -> sorted.out().indexOf(ids.get(n).substring(0, 8))).toList();
        assertThat(at).doesNotContain(-1).isSorted();
        CliFixture grouped = CliFixture.run("runs", "--store", storeDir, "--sort", "training.epochs", "--group");
        assertThat(grouped.exitCode()).isEqualTo(2);
        assertThat(grouped.err()).contains("--sort training.epochs is a parameter; --group ranks groups by a metric's mean");
    }

    @Test
    void aTasksOwnTestMetricsJoinTheDefaultColumnsInNameOrderAtMostFour() {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            String run = store.createRun(new NewRun("e", "", "t", 0, "k", 1, "", "{}", Map.of(),
                    Map.of()));
            MetricPoint p = new MetricPoint(1, 1, 0.5, 1);
            store.appendMetrics(run, Map.of("val_loss", List.of(p), "train_loss", List.of(p),
                    "test_loss", List.of(p), "test_exact_match", List.of(p), "test_bleu", List.of(p),
                    "test_token_accuracy", List.of(p), "test_a", List.of(p), "test_z", List.of(p),
                    "batch_loss", List.of(p)));

            assertThat(Tables.defaultMetrics(store.runs("e"))).containsExactly("val_loss",
                    "train_loss", "test_loss", "test_a", "test_bleu", "test_exact_match",
                    "test_token_accuracy");
        }
    }

    @Test
    void runsWithNoneOfTheUsualMetricsShowTheirEpochMeansAndNoBookkeeping() {
        // a GAN logs d_loss, g_loss, ... per step and their epoch means; once the table showed no metric at all
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            String run = store.createRun(new NewRun("gan", "", "t", 0, "k", 1, "", "{}", Map.of(), Map.of()));
            MetricPoint p = new MetricPoint(1, 1, 0.5, 1);
            store.appendMetrics(run, Map.of("d_loss", List.of(p), "g_loss", List.of(p), "epoch_d_loss", List.of(p),
                    "epoch_g_loss", List.of(p), "epoch_d_real", List.of(p), "epoch_d_fake", List.of(p),
                    "epoch_time_s", List.of(p), "samples_per_s", List.of(p)));
            assertThat(Tables.defaultMetrics(store.runs("gan"))).containsExactly("epoch_d_fake", "epoch_d_loss",
                    "epoch_d_real", "epoch_g_loss");

            String other = store.createRun(new NewRun("custom", "", "t", 0, "k", 1, "", "{}", Map.of(), Map.of()));
            store.appendMetrics(other, Map.of("reward", List.of(p), "batch_loss", List.of(p),
                    "learning_rate", List.of(p)));
            assertThat(Tables.defaultMetrics(store.runs("custom"))).containsExactly("reward");
        }
    }

    @Test
    void aVaryingParamNamedLikeAFixedColumnKeepsItsWholeKey() {
        // found by a fresh-clone check: training.epochs and the epochs-logged column were both "epochs"
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir))) {
            for (int i = 0; i < 2; i++) {
                store.createRun(new NewRun("e", "", "t" + i, i, "k" + i, 1, "", "{}",
                        Map.of("training.epochs", String.valueOf(i + 1), "model.params.hidden", "[" + i + "]"), Map.of()));
            }
            assertThat(Tables.varyingParams(store.runs("e"))).containsExactly(
                    Map.entry("model.params.hidden", "hidden"), Map.entry("training.epochs", "training.epochs"));
            String header = Tables.runs(store.runs("e"), null, true).lines().filter(l -> l.contains("status"))
                    .findFirst().orElseThrow();
            assertThat(header.split("\\|")).extracting(String::strip).containsOnlyOnce("epochs")
                    .contains("training.epochs", "hidden");
        }
    }

    @Test
    void wallClockTimesHaveOneWidthWithMillisecondsAtWholeSecondsToo() {
        // Instant.toString() dropped ".000" at whole seconds: an export's start_time column mixed
        // two widths, which strptime("%Y-%m-%dT%H:%M:%S.%fZ") refused and text sorting misordered
        long second = java.time.Instant.parse("2026-11-30T19:51:00Z").toEpochMilli();
        assertThat(Tables.instant(second)).isEqualTo("2026-11-30T19:51:00.000Z");
        assertThat(Tables.instant(second + 100)).isEqualTo("2026-11-30T19:51:00.100Z");
        assertThat(Tables.instant(second).compareTo(Tables.instant(second + 100))).isNegative();
        assertThat(Tables.instant(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    }
}
