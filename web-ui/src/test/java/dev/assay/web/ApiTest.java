package dev.assay.web;

import static dev.assay.web.Http.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.track.ArtifactRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API against a real server on port 0 over a real H2 store with known runs. */
class ApiTest {

    private static final double[] VAL_ACCURACY = {0.9, 0.8, 0.95, Double.NaN, 0.84, 0.7};
    private static final double[] REPEATS_ACCURACY = {0.80, 0.82, 0.84, 0.60, 0.70, 0.65};
    private static final String[] LEARNING_RATE = {"0.1", "0.02", "1e-3", "10", "0.5", "2"};
    private static final int SPIKE = 654_321;
    private static final int DIP = 123_457;

    @TempDir
    static Path dir;

    private static AssayWebServer server;
    private static Http http;
    private static String nanRun;
    private static String bigRun;
    private static String artifactRun;
    private static String deadRun;
    private static String liveRun;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
        1, 2, 3, (byte) 0xff, 0, 42};

    @BeforeAll
    static void seedAndStart() {
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        try (TrackingStore store = TrackingStore.open(url)) {
            for (int i = 0; i < 6; i++) {
                StoreSeeds.run(store, "sweep", "run-" + i, i, Map.of(
                        "training.optimizer.name", i % 2 == 0 ? "adam" : "sgd",
                        "training.optimizer.learning_rate", LEARNING_RATE[i],
                        "training.seed", "7"),
                        Map.of("val_accuracy", new double[] {VAL_ACCURACY[i]}),
                        i == 5 ? RunStatus.RUNNING : RunStatus.COMPLETED);
            }
            // two configurations, three seeds each (each repeat has its own trial key); two of adam's
            // seeds ran as sweep variant "a", the third from a file without variants: still one group
            for (int i = 0; i < 6; i++) {
                Map<String, String> params = new java.util.HashMap<>(Map.of(
                        "training.optimizer.name", i < 3 ? "adam" : "sgd",
                        "training.optimizer.learning_rate", "0.01",
                        "training.seed", String.valueOf(42 + i % 3)));
                if (i < 2) {
                    params.put("variant", "a");
                }
                StoreSeeds.run(store, "repeats", "rep-" + i, i, params,
                        Map.of("val_accuracy", new double[] {REPEATS_ACCURACY[i]}), RunStatus.COMPLETED);
            }
            // one configuration: two seeds finished, one pruned at an early epoch; another diverged twice
            Object[][] pruned = {{"0.1", 0.80, RunStatus.COMPLETED}, {"0.1", 0.84, RunStatus.COMPLETED},
                {"0.1", 0.50, RunStatus.PRUNED}, {"0.1", 0.45, RunStatus.INTERRUPTED}, {"9e9", Double.NaN, RunStatus.DIVERGED},
                {"9e9", Double.NaN, RunStatus.DIVERGED}};
            for (int i = 0; i < pruned.length; i++) {
                StoreSeeds.run(store, "pruned", "p-" + i, i, Map.of("training.optimizer.learning_rate", (String) pruned[i][0],
                        "training.seed", String.valueOf(42 + i)), Map.of("val_accuracy", new double[] {(Double) pruned[i][1]}),
                        (RunStatus) pruned[i][2]);
            }
            // two seeds of one configuration, the first run again (--rerun: same trial key and seed)
            for (int i : new int[] {0, 1, 0}) {
                StoreSeeds.run(store, "reruns", "rerun-" + i, i, Map.of("training.optimizer.name", "adam",
                        "training.seed", String.valueOf(42 + i)), Map.of("val_accuracy", new double[] {0.8 + 0.1 * i}),
                        RunStatus.COMPLETED);
            }
            // and the second run again, stopped after one epoch: it must not replace its trial's completed run
            StoreSeeds.run(store, "reruns", "rerun-1-stopped", 1, Map.of("training.optimizer.name", "adam",
                    "training.seed", "43"), Map.of("val_accuracy", new double[] {0.5}), RunStatus.INTERRUPTED);
            // runs whose names and params hold quotes, as a filter must quote them
            StoreSeeds.run(store, "quotes", "it's", 0, Map.of("note", "say \"hi\"", "clip", "NaN"), Map.of(),
                    RunStatus.COMPLETED);
            StoreSeeds.run(store, "quotes", "plain", 1, Map.of("note", "hi", "clip", "Infinity"), Map.of(),
                    RunStatus.COMPLETED);
            StoreSeeds.run(store, "quotes", "below", 2, Map.of("clip", "-.inf"), Map.of("loss", new double[] {0.5}),
                    RunStatus.COMPLETED);
            StoreSeeds.run(store, "quotes", "finite", 3, Map.of("clip", "2.5"), Map.of(), RunStatus.COMPLETED);
            // a run that failed before it logged anything and recorded no params
            StoreSeeds.run(store, "silent", "failed-at-once", 0, Map.of(), Map.of(), RunStatus.FAILED);
            nanRun = StoreSeeds.run(store, "nan", "nan-run", 0, Map.of(), Map.of("loss",
                    new double[] {1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.5}),
                    RunStatus.DIVERGED);
            bigRun = StoreSeeds.run(store, "big", "big-run", 0, Map.of(), Map.of("loss", bigSeries()),
                    RunStatus.COMPLETED);
            artifactRun = StoreSeeds.run(store, "art", "art-run", 0, Map.of(), Map.of("loss", new double[] {1.0}),
                    RunStatus.COMPLETED);
            // a run whose process died (kill -9) two minutes ago: still "running", no heartbeat since
            deadRun = StoreSeeds.run(store, "dead", "dead-run", 0, Map.of(), Map.of("loss", new double[] {1.0}),
                    RunStatus.RUNNING);
            liveRun = StoreSeeds.run(store, "dead", "live-run", 1, Map.of(), Map.of("loss", new double[] {1.0}),
                    RunStatus.RUNNING);
            StoreSeeds.lastHeardTwoMinutesAgo(url, deadRun);
            // the default artifact root of a directory store: <dir>/artifacts
            Path runDir = dir.resolve("db").resolve("artifacts").resolve(artifactRun);
            Files.createDirectories(runDir.resolve("samples"));
            Files.write(runDir.resolve("samples/grid.png"), PNG);
            Files.writeString(runDir.resolve("attention.json"), "[[0.25, 0.75], [1, 0]]");
            Files.writeString(runDir.resolve("notes.txt"), "hello");
            Files.writeString(runDir.resolve("unlisted.txt"), "not listed");
            Files.writeString(dir.resolve("db").resolve("artifacts").resolve("secret.txt"), "outside the run");
            store.addArtifacts(artifactRun, List.of(new ArtifactRecord("samples/grid.png", PNG.length),
                    new ArtifactRecord("attention.json", 22), new ArtifactRecord("notes.txt", 5),
                    new ArtifactRecord("../secret.txt", 15), new ArtifactRecord("gone.png", 10)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = AssayWebServer.start(url, "127.0.0.1", 0);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        server.close();
    }

    private static double[] bigSeries() {
        double[] values = new double[1_000_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0.5 + 0.001 * ((i * 31) % 7);
        }
        values[SPIKE] = 1000.0;
        values[DIP] = -1000.0;
        return values;
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("runs").forEach(r -> names.add(r.get("runName").asText()));
        return names;
    }

    /** The names of the runs of an experiment that a filter selects. */
    private static List<String> matching(String experiment, String filter) {
        return names(http.get("/api/runs?experiment=" + experiment + "&filter=" + q(filter)).json());
    }

    @Test
    void experimentsListRunCountsRunningCountsAndLastActivity() {
        Http.Response r = http.get("/api/experiments");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json()).extracting(e -> e.get("name").asText())
                .containsExactly("art", "big", "dead", "nan", "pruned", "quotes", "repeats", "reruns", "silent", "sweep");
        JsonNode sweep = r.json().get(9);
        assertThat(sweep.get("runCount").asLong()).isEqualTo(6);
        assertThat(sweep.get("runningCount").asLong()).isEqualTo(1);
        assertThat(sweep.get("staleCount").asLong()).isZero();
        // the run without a heartbeat for two minutes is not counted as running
        JsonNode dead = r.json().get(2);
        assertThat(dead.get("runningCount").asLong()).isEqualTo(1);
        assertThat(dead.get("staleCount").asLong()).isEqualTo(1);
        assertThat(sweep.get("lastActivityMillis").asLong()).isGreaterThanOrEqualTo(sweep.get("createdMillis").asLong());
    }

    @Test
    void runsAreSortedByAParamNumericallyNotAsText() {
        JsonNode page = http.get("/api/runs?experiment=sweep&sort=params.training.optimizer.learning_rate").json();

        assertThat(names(page)).containsExactly("run-2", "run-1", "run-0", "run-4", "run-5", "run-3");
    }

    @Test
    void aParamSpelledAsAnInfinitySortsAndGroupsAfterOrBeforeEveryNumber() {
        // sorted as text after the numbers: -.inf, Infinity, NaN came after 2.5
        assertThat(names(http.get("/api/runs?experiment=quotes&sort=params.clip").json()))
                .containsExactly("below", "finite", "plain", "it's");
        assertThat(names(http.get("/api/runs?experiment=quotes&sort=params.clip&order=desc").json()))
                .containsExactly("plain", "finite", "below", "it's");
        JsonNode groups = http.get("/api/groups?experiment=quotes&by=params.clip&metric=loss").json().get("groups");
        assertThat(groups.findValuesAsText("value")).containsExactly("-.inf", "2.5", "Infinity", "NaN");
    }

    @Test
    void runsAreSortedByAMetricDescendingWithNaNLast() {
        JsonNode page = http.get("/api/runs?experiment=sweep&sort=metrics.val_accuracy&order=desc").json();
        JsonNode ascending = http.get("/api/runs?experiment=sweep&sort=metrics.val_accuracy&order=asc").json();

        assertThat(names(page)).containsExactly("run-2", "run-0", "run-4", "run-1", "run-5", "run-3");
        assertThat(names(ascending)).containsExactly("run-5", "run-1", "run-4", "run-0", "run-2", "run-3");
        assertThat(page.get("runs").get(5).get("metrics").get("val_accuracy").get("last").asText()).isEqualTo("NaN");
    }

    @Test
    void runsArePagedOnTheServerWithTheTotalCount() {
        JsonNode page = http.get("/api/runs?experiment=sweep&sort=params.training.optimizer.learning_rate"
                + "&offset=2&limit=3").json();

        assertThat(page.get("total").asLong()).isEqualTo(6);
        assertThat(page.get("offset").asInt()).isEqualTo(2);
        assertThat(page.get("limit").asInt()).isEqualTo(3);
        assertThat(names(page)).containsExactly("run-0", "run-4", "run-5");
        JsonNode first = page.get("runs").get(0);
        assertThat(first.get("params").get("training.optimizer.learning_rate").asText()).isEqualTo("0.1");
        assertThat(first.get("metrics").get("val_accuracy").get("last").asDouble()).isEqualTo(0.9);
        assertThat(first.get("status").asText()).isEqualTo("completed");
    }

    @Test
    void filterOnAParamAndAMetricSelectsExactlyTheMatchingRuns() {
        String filter = "params.training.optimizer.name = adam and metrics.val_accuracy > 0.85";
        JsonNode page = http.get("/api/runs?experiment=sweep&filter=" + q(filter)).json();

        assertThat(page.get("total").asLong()).isEqualTo(2);
        assertThat(names(page)).containsExactly("run-0", "run-2");
    }

    @Test
    void aQuoteInsideAQuotedValueIsWrittenTwiceAsInSql() {
        // a value holding both kinds of quote could not be written at all
        assertThat(matching("quotes", "name = 'it''s'")).containsExactly("it's");
        assertThat(matching("quotes", "params.note = \"say \"\"hi\"\"\"")).containsExactly("it's");
        assertThat(matching("quotes", "name ~ '''' or params.note = 'hi'")).containsExactlyInAnyOrder("it's", "plain");
        Http.Response open = http.get("/api/runs?experiment=quotes&filter=" + q("name = 'it''s"));
        assertThat(open.status()).isEqualTo(400);
        assertThat(open.json().get("error").asText()).isEqualTo("Unterminated quoted value starting at position 7;"
                + " add the closing ' (a ' inside the value is written twice: '').");
    }

    @Test
    void aParamRecordedAsNanOrInfinityMatchesTheFilterLanguagesNonFiniteValues() {
        // params.x = NaN matched nothing: a param is text, and NaN has no numeric value there
        assertThat(matching("quotes", "params.clip = NaN")).containsExactly("it's");
        assertThat(matching("quotes", "params.clip = inf")).containsExactly("plain");
        assertThat(matching("quotes", "params.clip = -Infinity")).containsExactly("below");
        assertThat(matching("quotes", "params.clip != nan")).containsExactlyInAnyOrder("plain", "below", "finite");
        // a number in quotes is that number too: the tables show 2.5E0 or 1.0E-4 as 2.5 or 1e-4, and
        // params.l2 = '1e-4' matched nothing where the store held 1.0E-4
        assertThat(matching("quotes", "params.clip = '25e-1'")).containsExactly("finite");
        assertThat(matching("quotes", "params.clip != '25e-1'")).containsExactlyInAnyOrder("it's", "plain", "below");
        assertThat(matching("quotes", "params.clip = '2.5'")).containsExactly("finite");
        // an infinity is after (or before) every number: params.clip > 1 did not match Infinity
        assertThat(matching("quotes", "params.clip > 1")).containsExactlyInAnyOrder("plain", "finite");
        assertThat(matching("quotes", "params.clip < 1")).containsExactly("below");
        assertThat(matching("quotes", "params.clip <= -inf")).containsExactly("below");
        assertThat(matching("quotes", "params.clip >= Infinity")).containsExactly("plain");
        assertThat(matching("quotes", "params.clip > Infinity")).isEmpty();
        assertThat(matching("quotes", "params.clip > -Infinity")).containsExactlyInAnyOrder("plain", "finite");
        // nothing is before or after NaN
        for (String op : new String[] {"<", "<=", ">", ">="}) {
            assertThat(http.get("/api/runs?experiment=quotes&filter=" + q("params.clip " + op + " NaN")).json()
                    .get("total").asLong()).as(op).isZero();
        }
    }

    @Test
    void aBareParamOrMetricNameAsByOrXIsAnErrorThatNamesThePrefixedField() {
        Http.Response by = http.get("/api/groups?experiment=sweep&by=training.optimizer.name&metric=val_accuracy");
        assertThat(by.status()).isEqualTo(400);
        assertThat(by.json().get("error").asText()).startsWith("Unknown field 'training.optimizer.name' at position 0;")
                .endsWith(" Did you mean 'params.training.optimizer.name'?");
        assertThat(http.get("/api/scatter?experiment=sweep&x=val_accuracy&metric=val_accuracy").json().get("error")
                .asText()).endsWith(" Did you mean 'metrics.val_accuracy'?");
        // a name that is neither keeps the plain message
        assertThat(http.get("/api/groups?experiment=sweep&by=nothing&metric=val_accuracy").json().get("error").asText())
                .endsWith("seed, trial, start or end.");
        // the short names the tables head their columns with, in a filter or a sort (found by a UI check at scale:
        // "learning_rate > 1" said only which forms exist), and a param's last part anywhere
        Http.Response filter = http.get("/api/runs?experiment=sweep&filter=" + q("learning_rate > 0.01"));
        assertThat(filter.status()).isEqualTo(400);
        assertThat(filter.json().get("error").asText()).startsWith("Unknown field 'learning_rate' at position 0;")
                .endsWith(" Did you mean 'params.training.optimizer.learning_rate'?");
        assertThat(http.get("/api/runs?experiment=sweep&sort=val_accuracy").json().get("error").asText())
                .endsWith(" Did you mean 'metrics.val_accuracy'?");
        assertThat(http.get("/api/groups?experiment=sweep&by=learning_rate&metric=val_accuracy").json().get("error")
                .asText()).endsWith(" Did you mean 'params.training.optimizer.learning_rate'?");
        assertThat(http.get("/api/groups?experiment=sweep&by=params.training.optimizer.name&metric=val_accuracy")
                .status()).isEqualTo(200);
    }

    @Test
    void filterWithOrNotParenthesesAndNumericParamComparison() {
        String filter = "not (params.training.optimizer.learning_rate >= 0.5 or status = running)"
                + " and metrics.val_accuracy > 0.5";
        JsonNode page = http.get("/api/runs?experiment=sweep&filter=" + q(filter)).json();

        assertThat(names(page)).containsExactly("run-0", "run-1", "run-2");
    }

    @Test
    void startAndEndCompareWithIsoDatesAndTimes() {
        JsonNode all = http.get("/api/runs?experiment=sweep&sort=start&order=asc").json();
        long total = all.get("total").asLong();
        long first = all.get("runs").get(0).get("startTimeMillis").asLong();
        String firstInstant = java.time.Instant.ofEpochMilli(first).toString();
        String day = java.time.LocalDate.ofInstant(java.time.Instant.ofEpochMilli(first), java.time.ZoneOffset.UTC)
                .toString();

        // "'2026-12-01' at position 8 is not a number": only epoch milliseconds were taken
        assertThat(http.get("/api/runs?experiment=sweep&filter=" + q("start >= '" + day + "'")).json()
                .get("total").asLong()).isEqualTo(total);
        assertThat(http.get("/api/runs?experiment=sweep&filter=" + q("start < '2000-01-01T00:00'")).json()
                .get("total").asLong()).isZero();
        assertThat(http.get("/api/runs?experiment=sweep&filter=" + q("start = '" + firstInstant + "'")).json()
                .get("total").asLong()).isEqualTo(all.get("runs").findValues("startTimeMillis").stream()
                        .filter(v -> v.asLong() == first).count());
        assertThat(http.get("/api/runs?experiment=sweep&filter=" + q("start = " + first)).json()
                .get("total").asLong()).isPositive();
        Http.Response bad = http.get("/api/runs?experiment=sweep&filter=" + q("end > yesterday"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("'yesterday' at position 6 is neither milliseconds"
                + " since 1970 nor an ISO-8601 date or time");
    }

    @Test
    void badFilterAnswers400NamingTheBadToken() {
        Http.Response r = http.get("/api/runs?experiment=sweep&filter=" + q("metrics.val_accuracy > 0.85 and and"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo(
                "Unexpected 'and' at position 32; expected a field such as params.<key> or metrics.<key>.");
        assertThat(r.json().get("token").asText()).isEqualTo("and");
        assertThat(r.json().get("position").asInt()).isEqualTo(32);
        // a misspelled metric once matched no run, silently (the CLI already refused it)
        Http.Response typo = http.get("/api/runs?experiment=sweep&filter=" + q("metrics.val_acuracy > 0.5"));
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().get("error").asText()).isEqualTo("No run of experiment 'sweep' has the metric"
                + " 'val_acuracy' (position 0); did you mean 'val_accuracy'? Its metrics: val_accuracy.");
        assertThat(typo.json().get("token").asText()).isEqualTo("metrics.val_acuracy");
        assertThat(http.get("/api/groups?experiment=sweep&by=params.training.optimizer.name&metric=val_accuracy"
                + "&filter=" + q("metrics.loss > 1")).status()).isEqualTo(400);
        // so is one named by sort or metric (found by a fresh-clone check: 200 and nothing sorted or plotted)
        Http.Response sort = http.get("/api/runs?experiment=sweep&sort=metrics.val_acuracy");
        assertThat(sort.status()).isEqualTo(400);
        assertThat(sort.json().get("error").asText()).isEqualTo("No run of experiment 'sweep' has the metric"
                + " 'val_acuracy' (parameter sort); did you mean 'val_accuracy'? Its metrics: val_accuracy.");
        assertThat(http.get("/api/scatter?experiment=sweep&x=params.training.optimizer.name&metric=nosuch")
                .status()).isEqualTo(400);
        assertThat(http.get("/api/groups?experiment=sweep&by=params.training.optimizer.name&metric=nosuch")
                .status()).isEqualTo(400);
        assertThat(http.get("/api/runs?experiment=sweep&sort=metrics.val_accuracy").status()).isEqualTo(200);
        // an experiment whose runs logged nothing: the message ended "Its metrics: ." (found by a new-user check)
        assertThat(http.get("/api/runs?experiment=silent&sort=metrics.val_loss").json().get("error").asText())
                .isEqualTo("No run of experiment 'silent' has the metric 'val_loss' (parameter sort); none of its runs"
                        + " has logged a metric (it has no runs yet, or they logged none).");
        assertThat(http.get("/api/groups?experiment=silent&by=params.lr&metric=val_loss").json().get("error").asText())
                .endsWith("; none of its runs has params (it has no runs yet, or they recorded none).");
        // a misspelled param did the same: no run matched, the sort sorted nothing, every run fell in one null group
        Http.Response param = http.get("/api/runs?experiment=sweep&filter=" + q("params.training.optimizer.nme = adam"));
        assertThat(param.status()).isEqualTo(400);
        assertThat(param.json().get("error").asText()).startsWith("No run of experiment 'sweep' has the param"
                + " 'training.optimizer.nme' (position 0); did you mean 'training.optimizer.name'? Its params: ");
        assertThat(param.json().get("token").asText()).isEqualTo("params.training.optimizer.nme");
        // the short name the tables head the column with (a user's check: no suggestion, just the whole list)
        assertThat(http.get("/api/runs?experiment=sweep&filter=" + q("params.learning_rate > 0.001")).json()
                .get("error").asText()).startsWith("No run of experiment 'sweep' has the param 'learning_rate'"
                + " (position 0); did you mean 'training.optimizer.learning_rate'? Its params: ");
        // and a misspelled tag matched no run, silently
        Http.Response tag = http.get("/api/runs?experiment=sweep&filter=" + q("tags.orign = test"));
        assertThat(tag.status()).isEqualTo(400);
        assertThat(tag.json().get("error").asText()).isEqualTo("No run of experiment 'sweep' has the tag 'orign'"
                + " (position 0); did you mean 'origin'? Its tags: origin.");
        assertThat(tag.json().get("token").asText()).isEqualTo("tags.orign");
        assertThat(http.get("/api/runs?experiment=sweep&filter=" + q("tags.origin = test")).json().get("total").asLong())
                .isEqualTo(http.get("/api/runs?experiment=sweep").json().get("total").asLong());
        Http.Response by = http.get("/api/groups?experiment=sweep&by=params.nope&metric=val_accuracy");
        assertThat(by.status()).isEqualTo(400);
        assertThat(by.json().get("error").asText()).startsWith("No run of experiment 'sweep' has the param 'nope'"
                + " (parameter by)");
        assertThat(http.get("/api/scatter?experiment=sweep&x=params.nope&metric=val_accuracy").status()).isEqualTo(400);
        assertThat(http.get("/api/runs?experiment=sweep&sort=params.nope").status()).isEqualTo(400);
        // an unknown tag in sort, by and x answered 200, no order and one group of nothing (a security check)
        Http.Response sortTag = http.get("/api/runs?experiment=sweep&sort=tags.orign");
        assertThat(sortTag.status()).isEqualTo(400);
        assertThat(sortTag.json().get("error").asText()).isEqualTo("No run of experiment 'sweep' has the tag 'orign'"
                + " (parameter sort); did you mean 'origin'? Its tags: origin.");
        assertThat(http.get("/api/groups?experiment=sweep&by=tags.nope&metric=val_accuracy").status()).isEqualTo(400);
        assertThat(http.get("/api/scatter?experiment=sweep&x=tags.nope&metric=val_accuracy").status()).isEqualTo(400);
        assertThat(http.get("/api/runs?experiment=sweep&sort=tags.origin").status()).isEqualTo(200);
        assertThat(http.get("/api/groups?experiment=sweep&by=params.training.optimizer.name&metric=val_accuracy")
                .status()).isEqualTo(200);
        // a filter that stops short once read "Unexpected the end of the filter at ..."
        Http.Response cut = http.get("/api/runs?experiment=sweep&filter=" + q("metrics.val_accuracy >"));
        assertThat(cut.json().get("error").asText()).startsWith("The filter ends at position 22; expected ");
    }

    @Test
    void anUnknownStatusInAFilterIsA400NamingTheStatusesAndAnyCaseIsAccepted() {
        // status = divergd and status = DIVERGED matched no run, silently
        Http.Response typo = http.get("/api/runs?experiment=nan&filter=" + q("status = divergd"));
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().get("error").asText()).isEqualTo("No run status is named 'divergd' (position 9); did"
                + " you mean 'diverged'? A status is one of: running, completed, failed, diverged, interrupted, pruned.");
        assertThat(typo.json().get("token").asText()).isEqualTo("divergd");
        assertThat(names(http.get("/api/runs?experiment=nan&filter=" + q("status = DIVERGED")).json()))
                .containsExactly("nan-run");
        assertThat(http.get("/api/runs?experiment=nan&filter=" + q("status != 'Diverged'")).json().get("total")
                .asLong()).isZero();
        // "contains" takes any text
        assertThat(http.get("/api/runs?experiment=nan&filter=" + q("status ~ verg")).json().get("total").asLong())
                .isEqualTo(1);
    }

    @Test
    void aSeriesOfAMetricNoRunAskedForLoggedIsA400NamingTheirMetrics() {
        // it answered 200 and an empty series
        Http.Response r = http.get("/api/series?run=" + nanRun + "&metric=los");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("No run asked for has the metric 'los' (parameter metric);"
                + " did you mean 'loss'? Its metrics: loss.");
        // a metric that one of several runs logged is fine (the compare page asks each run for every metric)
        assertThat(http.get("/api/series?run=" + nanRun + "," + artifactRun + "&metric=loss").status()).isEqualTo(200);
    }

    @Test
    void aFilterNestedBeyondTheLimitAnswers400AndALongChainIsFine() {
        // a thousand nested nots overflowed the parsers' stacks: HTTP 500 with an empty body
        Http.Response deep = http.get("/api/runs?experiment=sweep&filter=" + q("not ".repeat(1000) + "status = x"));
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.json().get("error").asText()).isEqualTo("The filter nests 'not' and parentheses more than"
                + " 50 deep at position 200; write it with fewer.");
        Http.Response parens = http.get("/api/runs?experiment=sweep&filter=" + q("(".repeat(51) + "status = x"
                + ")".repeat(51)));
        assertThat(parens.status()).isEqualTo(400);
        assertThat(http.get("/api/runs?experiment=sweep&filter=" + q("not ".repeat(50) + "status = completed"))
                .json().get("total").asInt()).isEqualTo(5);
        // 300 comparisons in a row: one flat OR (it was 300 nested parentheses)
        String chain = String.join(" or ", java.util.Collections.nCopies(300, "status = failed")) + " or status = completed";
        Http.Response wide = http.get("/api/runs?experiment=sweep&filter=" + q(chain));
        assertThat(wide.status()).isEqualTo(200);
        assertThat(wide.json().get("total").asInt()).isEqualTo(5);
    }

    @Test
    void aRunningRunWithoutAHeartbeatForAMinuteIsMarkedStale() {
        // the UI showed a run whose process was killed as "running ... live: refreshing every 2 s" for good
        JsonNode page = http.get("/api/runs?experiment=dead&sort=trial").json();
        assertThat(page.get("runs").findValuesAsText("runName")).containsExactly("dead-run", "live-run");
        assertThat(page.get("runs").get(0).get("stale").asBoolean()).isTrue();
        assertThat(page.get("runs").get(1).get("stale").asBoolean()).isFalse();
        JsonNode dead = http.get("/api/runs/" + deadRun).json();
        assertThat(dead.get("stale").asBoolean()).isTrue();
        assertThat(System.currentTimeMillis() - dead.get("run").get("updatedMillis").asLong()).isBetween(120_000L, 600_000L);
        assertThat(http.get("/api/runs/" + liveRun).json().get("stale").asBoolean()).isFalse();
        assertThat(http.get("/api/runs/" + artifactRun).json().get("stale").asBoolean()).isFalse();
        // the groups and the scatter count it as stale, not running (found by a UI check: a killed run read
        // "1 (1 running)" in the groups while its badge said "no heartbeat")
        JsonNode groups = http.get("/api/groups?experiment=dead&by=name&metric=loss").json().get("groups");
        assertThat(groups.findValuesAsText("value")).containsExactly("dead-run", "live-run");
        assertThat(groups.get(0).get("statuses").toString()).isEqualTo("{\"stale\":1}");
        assertThat(groups.get(1).get("statuses").toString()).isEqualTo("{\"running\":1}");
        JsonNode points = http.get("/api/scatter?experiment=dead&x=name&metric=loss").json().get("points");
        assertThat(points.findValuesAsText("status")).containsExactly("stale", "running");
    }

    @Test
    void thePagesHaveAnIcon() {
        // every page logged a 404 for /favicon.ico in the browser's console
        Http.Response icon = http.get("/favicon.svg");
        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.body()).startsWith("<svg");
        assertThat(http.get("/index.html").body()).contains("<link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\">");
    }

    @Test
    void metricComparedWithTextAnswers400() {
        Http.Response r = http.get("/api/runs?experiment=sweep&filter=" + q("metrics.val_accuracy > high"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText())
                .isEqualTo("Metric comparisons need a number: 'high' is not a number (position 23).");
    }

    @Test
    void unknownExperimentAnswers404AndBadPagingAnswers400() {
        assertThat(http.get("/api/runs?experiment=nope").status()).isEqualTo(404);
        Http.Response bad = http.get("/api/runs?experiment=sweep&limit=0");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText())
                .isEqualTo("The query parameter 'limit' must be an integer from 1 to 500, got '0'.");
    }

    @Test
    void anUnknownPageAnswersAnHtml404WithTheWayHome() {
        // found by a UI check: Javalin's "Endpoint GET /nosuchpage.html not found", plain text, no link
        Http.Response page = http.get("/nosuch%3Cb%3E.html");
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<h1>Not found</h1>", "<code>/nosuch%3Cb%3E.html</code>",
                "<a href=\"/\">All experiments</a>");
        assertThat(AssayWebServer.escapeHtml("/a<b>&\"'")).isEqualTo("/a&lt;b&gt;&amp;&quot;&#39;");
    }

    @Test
    void anUnknownApiPathAnswersJsonAndAKnownOnesOwn404KeepsItsMessage() {
        // Javalin's own answer was a line of text: "Endpoint GET /api/nope not found"
        Http.Response unknown = http.get("/api/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/json");
        assertThat(unknown.json().get("status").asInt()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("No API endpoint answers GET /api/nope;"
                + " the endpoints are listed in the README's \"JSON API\".");
        Http.Response experiment = http.get("/api/runs?experiment=nope");
        assertThat(experiment.status()).isEqualTo(404);
        assertThat(experiment.json().get("error").asText()).doesNotStartWith("No API endpoint");
    }

    @Test
    void aMalformedPercentEncodingIsAJsonErrorNotAnIgnoredParameterOrAnHtmlPage() {
        // the filter was dropped silently: every run came back as if it matched
        Http.Response filter = http.raw("/api/runs?experiment=sweep&filter=name%20%3D%20run-1%zz");
        assertThat(filter.status()).isEqualTo(400);
        assertThat(filter.contentType()).startsWith("application/json");
        assertThat(filter.json().get("error").asText()).isEqualTo("The query parameter 'filter' is not valid URL"
                + " encoding ('filter=name%20%3D%20run-1%zz'): a % must start a %XX escape of two hex digits; write a"
                + " literal % as %25.");
        // and an experiment so written read as missing ("The query parameter 'experiment' is required.")
        assertThat(http.raw("/api/runs?experiment=swe%e").json().get("error").asText())
                .startsWith("The query parameter 'experiment' is not valid URL encoding ('experiment=swe%e')");
        // the same filter well encoded still works, with a literal % written %25
        assertThat(names(http.raw("/api/runs?experiment=sweep&filter=name%20%3D%20run-1").json()))
                .containsExactly("run-1");
        assertThat(http.raw("/api/runs?experiment=sweep&filter=name%20~%20%25").json().get("total").asLong()).isZero();
        // in the path Jetty refused it with its HTML error page before any route saw it
        for (String path : new String[] {"/api/runs/%zz", "/api/experiments/%", "/experiment.html%"}) {
            Http.Response r = http.raw(path);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.contentType()).as(path).startsWith("application/json");
            assertThat(r.json().get("status").asInt()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("The server cannot read the request's address"
                    + " (Bad Request): a % in a path or a query parameter must start a %XX escape of two hex digits;"
                    + " write a literal % as %25.");
        }
    }

    @Test
    void noEndpointWrites() {
        assertThat(http.post("/api/runs?experiment=sweep").status()).isIn(404, 405);
        assertThat(http.post("/api/experiments").status()).isIn(404, 405);
    }

    @Test
    void columnsMarkTheParamsThatVary() {
        JsonNode columns = http.get("/api/columns?experiment=sweep").json();

        assertThat(columns.get("runCount").asLong()).isEqualTo(6);
        assertThat(columns.get("params")).extracting(p -> p.get("key").asText() + "=" + p.get("varying").asBoolean())
                .containsExactly("training.optimizer.learning_rate=true", "training.optimizer.name=true",
                        "training.seed=false");
        assertThat(columns.get("metrics")).extracting(JsonNode::asText).containsExactly("val_accuracy");
        // what the tables show until the reader chooses: the CLI's rule (DefaultMetrics)
        assertThat(columns.get("defaultMetrics")).extracting(JsonNode::asText).containsExactly("val_accuracy");
        assertThat(http.get("/api/columns?experiment=nan").json().get("defaultMetrics")).extracting(JsonNode::asText)
                .containsExactly("loss");
        // which sort best first from the top: an accuracy header's first click sorted the worst run first
        assertThat(columns.get("higherIsBetter")).extracting(JsonNode::asText).containsExactly("val_accuracy");
        assertThat(http.get("/api/columns?experiment=nan").json().get("higherIsBetter")).isEmpty();
    }

    @Test
    void groupsGiveMeanAndSampleStdOfFiniteValuesAndCountNaN() {
        JsonNode answer = http.get("/api/groups?experiment=sweep&by=params.training.optimizer.name"
                + "&metric=val_accuracy").json();
        JsonNode groups = answer.get("groups");
        // accuracy: higher is better, a direction the name tells (MetricDirection)
        assertThat(answer.get("minimize").asBoolean()).isFalse();
        assertThat(answer.get("directionKnown").asBoolean()).isTrue();

        assertThat(groups).hasSize(2);
        JsonNode adam = groups.get(0);
        JsonNode sgd = groups.get(1);
        assertThat(adam.get("value").asText()).isEqualTo("adam");
        assertThat(adam.get("mean").asDouble()).isCloseTo((0.9 + 0.95 + 0.84) / 3, within(1e-12));
        assertThat(adam.get("std").asDouble()).isCloseTo(0.0550757054728611, within(1e-12));
        assertThat(sgd.get("runs").asLong()).isEqualTo(3);
        // sgd: 0.8 completed, NaN completed, 0.7 still running (its value is where it has got to: left out)
        assertThat(sgd.get("finiteCount").asLong()).isEqualTo(1);
        assertThat(sgd.get("nonFiniteCount").asLong()).isEqualTo(1);
        assertThat(sgd.get("mean").asDouble()).isCloseTo(0.8, within(1e-12));
        assertThat(sgd.get("std").isNull() || sgd.get("std").asText().equals("NaN")).isTrue();
        assertThat(adam.get("best").asBoolean()).isTrue();
        assertThat(adam.get("pVsBest").isNull()).isTrue();
        assertThat(sgd.get("best").asBoolean()).isFalse();
        assertThat(sgd.get("pVsBest").isNull()).isTrue(); // one finite value: no test
        // Welch's p where both have two values or more: the repeats, below, and SciPy's values in WelchTest
    }

    @Test
    void groupsCountRunsThatDidNotCompleteByStatusAndLeavePrunedRunsOutOfTheStatistics() {
        JsonNode groups = http.get("/api/groups?experiment=pruned&by=params.training.optimizer.learning_rate"
                + "&metric=val_accuracy").json().get("groups");
        assertThat(groups).hasSize(2);
        JsonNode finished = groups.get(0);
        assertThat(finished.get("value").asText()).isEqualTo("0.1");
        assertThat(finished.get("runs").asLong()).isEqualTo(4);
        // the pruned run's 0.50 and the interrupted run's 0.45 (from the epochs they stopped at) are not in the
        // mean of 0.80 and 0.84
        assertThat(finished.get("finiteCount").asLong()).isEqualTo(2);
        assertThat(finished.get("mean").asDouble()).isCloseTo(0.82, within(1e-12));
        assertThat(finished.get("min").asDouble()).isCloseTo(0.80, within(1e-12));
        assertThat(finished.get("statuses").get("pruned").asLong()).isEqualTo(1);
        assertThat(finished.get("statuses").get("interrupted").asLong()).isEqualTo(1);
        assertThat(finished.get("statuses").size()).isEqualTo(2);
        JsonNode diverged = groups.get(1);
        assertThat(diverged.get("statuses").toString()).isEqualTo("{\"diverged\":2}");
        assertThat(diverged.get("nonFiniteCount").asLong()).isEqualTo(2);
        // and a running run is counted as such (the sweep fixture's last sgd run), its value left out
        JsonNode sgd = http.get("/api/groups?experiment=sweep&by=params.training.optimizer.name&metric=val_accuracy")
                .json().get("groups").get(1);
        assertThat(sgd.get("statuses").toString()).isEqualTo("{\"running\":1}");
    }

    @Test
    void groupingByConfigurationPutsTheRepeatsOfOneConfigurationTogether() {
        // by trial_key (the README's advice once) every repeat was its own group: the key includes the seed
        assertThat(http.get("/api/groups?experiment=repeats&by=trial_key&metric=val_accuracy").json()
                .get("groups")).hasSize(6);
        JsonNode groups = http.get("/api/groups?experiment=repeats&by=config&metric=val_accuracy").json()
                .get("groups");
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).get("value").asText()).isEqualTo("training.optimizer.name=adam");
        assertThat(groups.get(1).get("value").asText()).isEqualTo("training.optimizer.name=sgd");
        assertThat(groups.get(0).get("runs").asLong()).isEqualTo(3);
        assertThat(groups.get(0).get("mean").asDouble()).isCloseTo(0.82, within(1e-12));
        assertThat(groups.get(0).get("std").asDouble()).isCloseTo(0.02, within(1e-12));
        assertThat(groups.get(1).get("mean").asDouble()).isCloseTo(0.65, within(1e-12));
        assertThat(groups.get(1).get("std").asDouble()).isCloseTo(0.05, within(1e-12));
        // sgd's seeds (0.60, 0.70, 0.65) against adam's (0.80, 0.82, 0.84): SciPy's Welch p 0.01690195582057885
        assertThat(groups.get(0).get("best").asBoolean()).isTrue();
        assertThat(groups.get(1).get("pVsBest").asDouble()).isCloseTo(0.01690195582057885, within(1e-12));
        JsonNode points = http.get("/api/scatter?experiment=repeats&x=config&metric=val_accuracy").json()
                .get("points");
        assertThat(points).hasSize(6).extracting(p -> p.get("x").asText()).containsOnly(
                "training.optimizer.name=adam", "training.optimizer.name=sgd");
        // and it filters like any text field
        assertThat(http.get("/api/runs?experiment=repeats&filter=" + java.net.URLEncoder.encode(
                "config ~ 'sgd'", java.nio.charset.StandardCharsets.UTF_8)).json().get("total").asLong()).isEqualTo(3);
    }

    @Test
    void aTrialRunAgainCountsOnceInGroupStatistics() {
        // a --rerun's copy counted as another seed: n=3 and a smaller spread over the same two seeds
        JsonNode groups = http.get("/api/groups?experiment=reruns&by=config&metric=val_accuracy").json().get("groups");
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).get("runs").asLong()).isEqualTo(2);
        assertThat(groups.get(0).get("mean").asDouble()).isCloseTo(0.85, within(1e-12));
        assertThat(groups.get(0).get("std").asDouble()).isCloseTo(Math.sqrt(0.005), within(1e-12));
        // a newer run of a trial that did not finish (a --rerun stopped after one epoch) does not
        // replace its completed run: the group took its value (0.5) into the mean
        // the runs table still lists all four, and marks the two its trials do not count by (the first
        // copy of rerun-0 and the stopped rerun of rerun-1), which the parallel coordinates leave out
        JsonNode runs = http.get("/api/runs?experiment=reruns").json();
        assertThat(runs.get("total").asLong()).isEqualTo(4);
        java.util.List<String> counted = new java.util.ArrayList<>();
        java.util.List<String> superseded = new java.util.ArrayList<>();
        runs.get("runs").forEach(r -> (r.get("counted").asBoolean() ? counted : superseded)
                .add(r.get("runName").asText() + " " + r.get("status").asText()));
        assertThat(counted).containsExactlyInAnyOrder("rerun-0 completed", "rerun-1 completed");
        assertThat(superseded).containsExactlyInAnyOrder("rerun-0 completed", "rerun-1-stopped interrupted");
        // the scatter beside the groups draws the runs they count (it drew all four: the superseded
        // copy and the stopped rerun as extra points)
        JsonNode points = http.get("/api/scatter?experiment=reruns&x=config&metric=val_accuracy").json().get("points");
        assertThat(points).hasSize(2).extracting(p -> p.get("y").asDouble()).containsExactlyInAnyOrder(0.8, 0.9);
        // a run's own page says which run its trial counts by instead (it said nothing of it)
        java.util.Map<String, String> idOf = new java.util.HashMap<>();
        runs.get("runs").forEach(r -> idOf.put(r.get("runName").asText(), r.get("runId").asText()));
        assertThat(http.get("/api/runs/" + idOf.get("rerun-1-stopped")).json().get("supersededBy").asText())
                .isEqualTo(idOf.get("rerun-1"));
        assertThat(http.get("/api/runs/" + idOf.get("rerun-1")).json().get("supersededBy").isNull()).isTrue();
    }

    @Test
    void scatterGivesOneNumericPointPerRun() {
        JsonNode points = http.get("/api/scatter?experiment=sweep&x=params.training.optimizer.learning_rate"
                + "&metric=val_accuracy").json().get("points");

        assertThat(points).extracting(p -> p.get("xNumber").asDouble())
                .containsExactly(0.1, 0.02, 0.001, 10.0, 0.5, 2.0);
        assertThat(points.get(3).get("y").asText()).isEqualTo("NaN");
        // the page draws the completed ones only: a run still going holds the value of its last epoch so far
        assertThat(points).extracting(p -> p.get("status").asText())
                .containsExactly("completed", "completed", "completed", "completed", "completed", "running");
    }

    @Test
    void nanAndInfinityRoundTripExactlyThroughTheApi() {
        Http.Response r = http.get("/api/series?run=" + nanRun + "&metric=loss");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"value\":[1.0,\"NaN\",\"Infinity\",\"-Infinity\",2.5]");
        JsonNode values = r.json().get("series").get(0).get("value");
        List<Double> decoded = new ArrayList<>();
        values.forEach(v -> decoded.add(v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble()));
        assertThat(decoded).containsExactly(1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.5);
        JsonNode run = http.get("/api/runs/" + nanRun).json().get("run");
        assertThat(run.get("status").asText()).isEqualTo("diverged");
        JsonNode summary = run.get("metrics").get("loss");
        assertThat(summary.get("min").asText()).isEqualTo("-Infinity");
        assertThat(summary.get("max").asText()).isEqualTo("Infinity");
        assertThat(summary.get("nonFiniteCount").asLong()).isEqualTo(3);
    }

    @Test
    void aRunCarriesItsDurationWhichTheRunPageShows() {
        JsonNode run = http.get("/api/runs/" + bigRun).json().get("run");

        assertThat(run.get("pausedMillis").asLong()).isZero();
        assertThat(run.get("durationMillis").isIntegralNumber()).isTrue();
        assertThat(run.get("durationMillis").asLong()).isEqualTo(
                run.get("endTimeMillis").asLong() - run.get("startTimeMillis").asLong());
        // and so do the rows of the runs list (a client computing end − start would count the
        // time a continued run spent stopped)
        JsonNode row = http.get("/api/runs?experiment=big").json().get("runs").get(0);
        assertThat(row.get("durationMillis").asLong()).isEqualTo(run.get("durationMillis").asLong());
    }

    @Test
    void downSamplingAMillionPointsKeepsTheSingleSpikeAndTheDipWithinTheBudget() {
        JsonNode s = http.get("/api/series?run=" + bigRun + "&metric=loss&points=2000").json().get("series").get(0);

        assertThat(s.get("totalPoints").asLong()).isEqualTo(1_000_000);
        assertThat(s.get("sampled").asBoolean()).isTrue();
        assertThat(s.get("value").size()).isLessThanOrEqualTo(2000).isGreaterThan(1900);
        List<Long> steps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        s.get("step").forEach(v -> steps.add(v.asLong()));
        s.get("value").forEach(v -> values.add(v.asDouble()));
        assertThat(values.get(steps.indexOf(SPIKE + 1L))).isEqualTo(1000.0);
        assertThat(values.get(steps.indexOf(DIP + 1L))).isEqualTo(-1000.0);
        assertThat(steps).isSorted().startsWith(1L).endsWith(1_000_000L);
    }

    @Test
    void seriesRejectsRunIdsThatAreNotHexAndTakesAUniquePrefixAsRunsDoes() {
        Http.Response r = http.get("/api/series?run=" + q("x' OR 1=1") + "&metric=loss");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("A run id must be 4 to 32 hex characters (the id"
                + " or a unique prefix of it), got 'x' OR 1=1'.");
        // a prefix was refused here while /api/runs/{prefix} took it
        JsonNode byPrefix = http.get("/api/series?run=" + bigRun.substring(0, 8) + "&metric=loss&points=5").json();
        assertThat(byPrefix.get("series").get(0).get("runId").asText()).isEqualTo(bigRun);
        assertThat(byPrefix.get("series").get(0).get("value").size()).isPositive();
        assertThat(http.get("/api/series?run=0000000f&metric=loss").status()).isEqualTo(404);
        // a whole id of no run answered 200 and an empty series, as for a run without the metric
        Http.Response unknown = http.get("/api/series?run=" + "0".repeat(32) + "&metric=loss");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("No run has the id '" + "0".repeat(32) + "'.");
        // an id in capitals is the same id, as /api/runs/{id} reads it (it was refused here)
        JsonNode upper = http.get("/api/series?run=" + bigRun.substring(0, 8).toUpperCase(java.util.Locale.ROOT)
                + "&metric=loss&points=5").json();
        assertThat(upper.get("series").get(0).get("runId").asText()).isEqualTo(bigRun);
        // found by a security check: a prefix and the whole id in capitals answered the series twice; metric=,
        // answered 200 with none; run=, said no run had the metric
        JsonNode twice = http.get("/api/series?run=" + bigRun.substring(0, 8) + "," + bigRun.toUpperCase(java.util.Locale.ROOT)
                + "&metric=loss&points=5").json();
        assertThat(twice.get("series").size()).isEqualTo(1);
        Http.Response noMetric = http.get("/api/series?run=" + bigRun + "&metric=" + q(","));
        assertThat(noMetric.status()).isEqualTo(400);
        assertThat(noMetric.json().get("error").asText()).isEqualTo("The query parameter 'metric' names no metric names:"
                + " give one or more, separated by commas.");
        assertThat(http.get("/api/series?run=" + q(",") + "&metric=loss").json().get("error").asText())
                .isEqualTo("The query parameter 'run' names no run ids: give one or more, separated by commas.");
        // found by a scale check: 250 full ids made an 8.2 KB address, which Jetty refused with an HTML 414 page
        String many = String.join(",", java.util.Collections.nCopies(400, bigRun));
        Http.Response manyIds = http.get("/api/series?run=" + many + "&metric=loss&points=5");
        assertThat(manyIds.status()).isEqualTo(200);
        assertThat(manyIds.json().get("series").size()).isEqualTo(1); // the one run, named 400 times
    }

    @Test
    void pagesAndWebJarAreServedFromTheJarWithASecurityPolicy() {
        Http.Response page = http.get("/experiment.html");
        Http.Response uplot = http.get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("http://", "https://");
        assertThat(uplot.status()).isEqualTo(200);
        assertThat(http.get("/api/experiments").status()).isEqualTo(200);
    }

    private static HttpResponse<byte[]> bytes(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<byte[]> head(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + path)).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status line of a GET sent with the given Host header (Java's HTTP client sets its own). */
    private static String statusWithHost(String hostHeader) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET /api/experiments HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void aRequestForAnotherHostIsRefusedByAServerOnTheLoopbackAddress() throws IOException {
        // found by a security check: with Host: attacker.example the API answered 200, so a page whose domain
        // was made to resolve to 127.0.0.1 (DNS rebinding) could read every run through the user's browser
        assertThat(statusWithHost("attacker.example:" + server.port())).startsWith("HTTP/1.1 403");
        assertThat(statusWithHost("localhost:" + server.port())).startsWith("HTTP/1.1 200");
        assertThat(statusWithHost("127.0.0.1:" + server.port())).startsWith("HTTP/1.1 200");
        assertThat(statusWithHost("[::1]:" + server.port())).startsWith("HTTP/1.1 200");
        assertThat(AssayWebServer.isLoopback("0.0.0.0")).isFalse(); // a server on the network is reached by any name
    }

    @Test
    void headAnswersWithTheStatusAndHeadersOfGet() {
        // found by a security check: HEAD was 200 for an unknown run, an unknown experiment, a bad id and a
        // missing artifact (GET: 404, 404, 400, 404), and served no artifact's Content-Type
        for (String path : List.of("/api/runs/ffff", "/api/runs?experiment=nope", "/api/runs/zz",
                "/api/runs/" + artifactRun + "/artifacts/no/such.png", "/api/experiments",
                "/api/runs/" + artifactRun + "/artifacts/samples/grid.png")) {
            HttpResponse<byte[]> get = bytes(path);
            HttpResponse<byte[]> head = head(path);
            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(head.headers().firstValue("Content-Type")).as(path).isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.body()).as(path).isEmpty();
        }
        assertThat(head("/api/runs/ffff").statusCode()).isEqualTo(404);
    }

    @Test
    void artifactsAreServedWithTheirContentType() {
        HttpResponse<byte[]> png = bytes("/api/runs/" + artifactRun + "/artifacts/samples/grid.png");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(png.body()).isEqualTo(PNG);
        // a unique prefix of the run id works as for /api/runs/{id}
        assertThat(bytes("/api/runs/" + artifactRun.substring(0, 12) + "/artifacts/samples/grid.png").body())
                .isEqualTo(PNG);

        Http.Response json = http.get("/api/runs/" + artifactRun + "/artifacts/attention.json");
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(json.json().get(0).get(1).asDouble()).isEqualTo(0.75);
        Http.Response text = http.get("/api/runs/" + artifactRun + "/artifacts/notes.txt");
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(text.body()).isEqualTo("hello");

        JsonNode run = http.get("/api/runs/" + artifactRun).json();
        assertThat(run.get("run").get("artifacts")).hasSize(5);
        // listed but not there to serve (deleted since, or outside the run's directory): said so, not linked
        assertThat(run.get("missingArtifacts")).extracting(JsonNode::asText).containsExactly("../secret.txt", "gone.png");
        assertThat(http.get("/api/runs/" + nanRun).json().get("missingArtifacts")).isEmpty();
    }

    @Test
    void artifactPathsOutsideTheRunOrUnlistedAre404() {
        String base = "/api/runs/" + artifactRun + "/artifacts/";
        for (String path : List.of("../secret.txt", "..%2Fsecret.txt", "%2e%2e/secret.txt", "samples/../../secret.txt",
                "samples/..%2F..%2Fsecret.txt", "unlisted.txt", "missing.png", "samples", "..%2F..%2Fdb%2Fassay.mv.db")) {
            Http.Response r = http.get(base + path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("outside the run", "not listed");
        }
        assertThat(http.get("/api/runs/ffffffffffffffffffffffffffffffff/artifacts/notes.txt").status()).isEqualTo(404);
    }
}
