package dev.assay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.assay.architectures.ArchitecturesPlugin;
import dev.assay.datasets.DatasetsPlugin;
import dev.assay.optimizers.OptimizersPlugin;
import dev.assay.plugin.PluginRegistry;
import dev.assay.run.SweepListener;
import dev.assay.run.SweepRunner;
import dev.assay.run.TrialOutcome;
import dev.assay.spec.ExperimentSpec;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import dev.assay.sweep.SweepPlanner;
import dev.assay.tasks.TasksPlugin;
import dev.assay.track.ArtifactRecord;
import dev.assay.track.AsyncTracker;
import dev.assay.track.MetricPoint;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.io.File;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in headless Debian Chromium (system chromedriver, no driver download) over a store
 * seeded by a real tiny Fashion-MNIST sweep plus hand-made runs with hostile names and NaN/Inf
 * losses. One browser for the whole class. Screenshots go to {@code target/screenshots/}.
 */
class BrowserTest {

    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String EVIL_NAME = "<img src=x onerror=alert(1)>";
    private static final String EVIL_VALUE = "<script>alert(1)</script>";
    private static final String SWEEP = """
            name: tiny-web
            dataset:
              name: fashion-mnist
              params: {limit_train: 256, limit_test: 64, validation_split: 0.125}
            model:
              architecture: mlp
              params: {hidden: [16]}
            task: classification
            training:
              epochs: 2
              batch_size: 32
              seed: 7
              log_every_n_steps: 1
              optimizer: {name: adam, learning_rate: 3.0e-3}
            sweep:
              parameters:
                training.optimizer.learning_rate: [3.0e-3, 1.0e-2]
            """;

    @TempDir
    static Path dir;

    private static AssayWebServer server;
    private static ChromeDriver browser;
    private static List<TrialOutcome> trained;
    private static String evilRun;
    private static String nanRun;
    private static String artifactRun;
    private static String failedA;
    private static String failedB;
    private static final int PARALLEL_RUNS = 7;

    @BeforeAll
    static void seedStartAndOpenBrowser() {
        assumeTrue(CHROMEDRIVER.canExecute() && new File(CHROMIUM).canExecute(),
                "Needs Debian's chromium and chromium-driver (/usr/bin/chromedriver); .ci/run installs them.");
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        try (TrackingStore store = TrackingStore.open(url)) {
            trained = train(store);
            evilRun = StoreSeeds.run(store, "escaping", EVIL_NAME, 0, Map.of("label", EVIL_VALUE),
                    Map.of("val_loss", new double[] {1.0, 0.5}), RunStatus.FAILED);
            nanRun = StoreSeeds.run(store, "escaping", "nan-run", 1, Map.of("label", "plain"), Map.of("train_loss",
                    new double[] {2.0, 1.5, Double.NaN, 1.2, Double.POSITIVE_INFINITY, 0.9, 0.8}), RunStatus.DIVERGED);
            for (int i = 0; i < PARALLEL_RUNS; i++) {
                StoreSeeds.run(store, "parallel", "p-" + i, i, Map.of(
                        "training.optimizer.name", i % 3 == 0 ? "adam" : i % 3 == 1 ? "sgd" : "rmsprop",
                        "training.optimizer.learning_rate", String.valueOf(Math.pow(10, -1 - i % 4)),
                        "training.seed", "7"),
                        Map.of("val_accuracy", new double[] {i == 3 ? Double.NaN : 0.5 + i * 0.05}), RunStatus.COMPLETED);
            }
            // two runs that failed before logging anything (a CNN too deep for its input)
            failedA = StoreSeeds.run(store, "failed", "f-a", 0, Map.of("model.params.filters", "[4]"), Map.of(),
                    RunStatus.FAILED);
            failedB = StoreSeeds.run(store, "failed", "f-b", 1, Map.of("model.params.filters", "[4,4,4,4,4,4,4]"),
                    Map.of(), RunStatus.FAILED);
            // 30 runs, two of them named alike, with 20 metrics each: 600 (run, metric) series
            Map<String, double[]> twenty = new java.util.HashMap<>();
            for (int m = 0; m < 20; m++) {
                twenty.put("metric_" + m, new double[] {1.0, 0.5 + m / 100.0});
            }
            for (int i = 0; i < 30; i++) {
                wideRuns.add(StoreSeeds.run(store, "wide", i < 2 ? "same-name" : "w-" + i, i, Map.of("i", String.valueOf(i)),
                        twenty, RunStatus.COMPLETED));
            }
            artifactRun = StoreSeeds.run(store, "artifacts", "with-artifacts", 0, Map.of(),
                    Map.of("train_loss", new double[] {1.0, 0.5}), RunStatus.COMPLETED);
            store.addArtifacts(artifactRun, writeArtifacts(dir.resolve("artifacts").resolve(artifactRun)));
        }
        server = AssayWebServer.start(url, dir.resolve("artifacts"), "127.0.0.1", 0);
        browser = startBrowser();
    }

    /** A 4x2 grid of 28x28 "samples" (PNG), an attention matrix with tokens (JSON), a bare 2-D array, a text file. */
    private static List<ArtifactRecord> writeArtifacts(Path runDir) {
        try {
            Files.createDirectories(runDir.resolve("samples"));
            BufferedImage grid = new BufferedImage(4 * 28, 2 * 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int x = 0; x < grid.getWidth(); x++) {
                for (int y = 0; y < grid.getHeight(); y++) {
                    int cx = x % 28 - 14, cy = y % 28 - 14;
                    grid.getRaster().setSample(x, y, 0, cx * cx + cy * cy < 60 + (x / 28) * 20 ? 230 : 20);
                }
            }
            ImageIO.write(grid, "png", runDir.resolve("samples/reconstructions.png").toFile());
            Files.writeString(runDir.resolve("attention.json"), """
                    {"source": ["le", "chat", "<eos>"], "target": ["the", "cat"], "reference": ["the", "cat", "."],
                     "weights": [[0.8, 0.15, 0.05], [0.1, 0.85, 0.05]]}""");
            StringBuilder matrix = new StringBuilder("[");
            for (int i = 0; i < 12; i++) {
                matrix.append(i == 0 ? "[" : ",[");
                for (int j = 0; j < 16; j++) {
                    matrix.append(j == 0 ? "" : ",").append(Math.exp(-Math.abs(i - j * 0.75)));
                }
                matrix.append(']');
            }
            Files.writeString(runDir.resolve("matrix.json"), matrix.append(']'));
            // as the classification tasks write it
            Files.writeString(runDir.resolve("confusion_matrix.json"), """
                    {"description": "confusion matrix over the test split: rows are the true classes",
                     "row_names": ["cat", "dog", "bird"], "column_names": ["cat", "dog", "bird"],
                     "counts": [[50, 3, 1], [4, 40, 0], [0, 2, 1234]]}""");
            Files.writeString(runDir.resolve("log.txt"), EVIL_VALUE);
            Files.writeString(runDir.resolve("gone.txt"), "deleted after the run listed it");
            List<ArtifactRecord> listed = ArtifactRecord.listDirectory(runDir);
            Files.delete(runDir.resolve("gone.txt"));
            return listed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void closeAll() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static List<TrialOutcome> train(TrackingStore store) {
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new DatasetsPlugin(), new ArchitecturesPlugin(),
                new OptimizersPlugin(), new TasksPlugin()));
        ExperimentSpec spec = SpecLoader.parse(SWEEP, "tiny-web.yaml", List.of());
        try (AsyncTracker tracker = new AsyncTracker(store, Duration.ofMillis(100))) {
            SweepRunner runner = new SweepRunner(registry, store, tracker, dir.resolve("artifacts"), List.of());
            return runner.run(spec, SweepPlanner.plan(spec, new SpecBinder(registry)), SweepListener.NONE);
        }
    }

    private static ChromeDriver startBrowser() {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000", "--user-data-dir=" + dir.resolve("chrome-profile"));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.__alerts = []; window.alert = m => window.__alerts.push(String(m));"));
        return driver;
    }

    private static void open(String path) {
        browser.get("http://127.0.0.1:" + server.port() + path);
    }

    /**
     * A wait that retries when an element it read was replaced meanwhile: live pages redraw their
     * tables every 2 s, and an element found just before a redraw is stale when read after it.
     */
    private static WebDriverWait waiting(int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private static List<WebElement> waitFor(String css, int atLeast) {
        return waiting(15).until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.size() >= atLeast ? found : null;
        });
    }

    private static void screenshot(String name) throws IOException {
        Path target = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static final List<String> wideRuns = new java.util.ArrayList<>();

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    @Test
    void aVeryLongExperimentNameWrapsOnTheHomePage() throws IOException {
        String name = "ablation-".repeat(26) + "end"; // 237 characters
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            StoreSeeds.run(store, name, "r", 0, Map.of(), Map.of("val_loss", new double[] {0.5}), RunStatus.COMPLETED);
        }
        open("/");
        waitFor("#content tbody tr", 2);
        screenshot("home-long-name");
        // the name kept its line: the runs, activity and description columns sat off screen behind a scrollbar
        assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        assertThat(js("return [...document.querySelectorAll('#content tbody a')].some(a => a.textContent === '"
                + name + "')")).isEqualTo(true);
    }

    @Test
    void experimentPageListsTheTrainedRuns() throws IOException {
        assertThat(trained).extracting(TrialOutcome::status).containsOnly(RunStatus.COMPLETED);
        open("/experiment.html?name=tiny-web");

        List<WebElement> rows = waitFor("#runs tbody tr", 2);
        waitFor("#groups tbody tr", 1);
        screenshot("experiment");
        assertThat(rows).hasSize(2);
        assertThat(browser.findElement(By.id("runs")).getText()).contains("completed", "0.003", "0.01");
        // param columns named as the CLI names them (full dotted keys pushed the metrics off the screen), the
        // whole key in the tooltip
        assertThat(browser.findElements(By.cssSelector("#runs thead th"))).extracting(WebElement::getText)
                .contains("learning_rate", "val_accuracy", "test_accuracy");
        assertThat(browser.findElement(By.cssSelector("#runs thead th[data-field='params.training.optimizer.learning_rate']"))
                .getAttribute("title")).isEqualTo("sort by params.training.optimizer.learning_rate");
        assertThat(js("return [...Assay.shortNames(['training.optimizer.name', 'model.params.dropout',"
                + " 'training.regularization.dropout', 'training.epochs']).values()]"))
                .isEqualTo(List.of("optimizer.name", "params.dropout", "regularization.dropout", "epochs"));
        assertThat(browser.findElement(By.id("summary")).getText()).startsWith("2 runs · ");
        // a count of one once read "1 runs"
        assertThat(js("return [Assay.count(1, 'run'), Assay.count(0, 'metric'), Assay.count(2500, 'run')]"))
                .isEqualTo(List.of("1 run", "0 metrics", "2500 runs"));
    }

    @Test
    void theColumnsChooserOffersCheckboxesThatAddAColumn() {
        open("/experiment.html?name=wide");
        waitFor("#runs tbody tr", 2);
        // the chooser read "[object HTMLLabelElement],..." (two arrays passed to replaceChildren)
        assertThat(browser.findElement(By.id("chooser")).getText()).doesNotContain("[object");
        assertThat(browser.findElements(By.cssSelector("#runs thead th"))).extracting(WebElement::getText)
                .doesNotContain("metric_7");

        js("document.querySelector('#runs').closest('main').querySelector('details.panel').open = true");
        WebElement box = waitFor("#chooser input[type=checkbox][data-column='metrics.metric_7']", 1).get(0);
        box.click();

        waiting(10).until(d -> d.findElements(By.cssSelector("#runs thead th")).stream()
                .anyMatch(h -> h.getText().startsWith("metric_7")));
    }

    @Test
    void thePagePageSizeAndChosenColumnsSurviveAReload() {
        // found by a UI check: a reload went back to page 1 of 50 rows and the default columns
        open("/experiment.html?name=wide");
        waitFor("#runs tbody tr", 2);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#pager select"))).selectByValue("25");
        waiting(10).until(d -> d.findElements(By.cssSelector("#runs tbody tr")).size() == 25);
        browser.findElements(By.cssSelector("#pager button")).get(1).click(); // next
        waiting(10).until(d -> d.findElement(By.id("pager")).getText().contains("page 2 of 2"));
        js("document.querySelector('#runs').closest('main').querySelector('details.panel').open = true");
        waitFor("#chooser input[type=checkbox][data-column='metrics.metric_7']", 1).get(0).click();
        browser.navigate().refresh();
        waiting(15).until(d -> d.findElement(By.id("pager")).getText().contains("page 2 of 2"));
        assertThat(browser.findElements(By.cssSelector("#runs tbody tr"))).hasSize(5);
        assertThat(browser.findElements(By.cssSelector("#runs thead th"))).extracting(WebElement::getText)
                .anyMatch(t -> t.startsWith("metric_7"));
    }

    @Test
    void aMetricColumnNamedAsAParamColumnIsPrefixed() {
        // found by a UI check: ticking metrics.learning_rate gave two headers reading "learning_rate"
        open("/experiment.html?name=tiny-web");
        waitFor("#runs tbody tr", 2);
        js("document.querySelector('#runs').closest('main').querySelector('details.panel').open = true");
        waitFor("#chooser input[type=checkbox][data-column='metrics.learning_rate']", 1).get(0).click();
        waiting(10).until(d -> d.findElements(By.cssSelector("#runs thead th")).stream()
                .anyMatch(h -> h.getText().startsWith("metrics.learning_rate")));
        assertThat(browser.findElements(By.cssSelector("#runs thead th"))).extracting(WebElement::getText)
                .filteredOn(t -> t.startsWith("learning_rate")).hasSize(1);
    }

    @Test
    void theFilterSortAndGroupingLiveInTheAddressSoBackFromARunRestoresThem() {
        open("/experiment.html?name=parallel");
        waitFor("#runs tbody tr", PARALLEL_RUNS);
        js("document.getElementById('filter').value = 'params.training.optimizer.name = adam';"
                + " document.getElementById('apply').click();");
        waiting(15).until(d -> d.findElements(By.cssSelector("#runs tbody tr")).size() == 3);
        browser.findElement(By.xpath("//table[@id='runs']//th[normalize-space()='run']")).click();
        waiting(15).until(d -> d.findElements(By.cssSelector("#runs th.sorted-asc")).size() == 1);
        js("const x = document.getElementById('scatter-x'); x.value = 'params.training.optimizer.learning_rate';"
                + " x.dispatchEvent(new Event('change'));");
        assertThat(browser.getCurrentUrl()).contains("filter=params.training.optimizer.name+%3D+adam", "sort=name",
                "order=asc", "by=params.training.optimizer.learning_rate");

        browser.findElement(By.cssSelector("#runs tbody a")).click();
        waitFor("#params tbody tr", 1);
        browser.navigate().back();

        // the filter box kept its text, but the table showed every run, unsorted
        waiting(15).until(d -> d.findElements(By.cssSelector("#runs tbody tr")).size() == 3);
        assertThat(js("return document.getElementById('filter').value")).isEqualTo("params.training.optimizer.name = adam");
        assertThat(browser.findElements(By.cssSelector("#runs tbody a"))).extracting(WebElement::getText)
                .containsExactly("p-0", "p-3", "p-6");
        assertThat(browser.findElement(By.cssSelector("#runs th.sorted-asc")).getText()).startsWith("run");
        assertThat(js("return document.getElementById('scatter-x').value"))
                .isEqualTo("params.training.optimizer.learning_rate");
    }

    @Test
    void theParallelCoordinatesMetricLivesInTheAddress() {
        // found by a UI check: a reload went back to the first metric
        open("/experiment.html?name=tiny-web");
        waitFor("#runs tbody tr", 2);
        waiting(10).until(d -> d.findElements(By.cssSelector("#parallel-metric option")).size() > 1);
        String other = (String) js("const m = document.getElementById('parallel-metric');"
                + " const v = [...m.options].map(o => o.value).find(v => v !== m.value); m.value = v;"
                + " m.dispatchEvent(new Event('change')); return v;");
        assertThat(browser.getCurrentUrl()).contains("pmetric=" + other);
        browser.navigate().refresh();
        waitFor("#runs tbody tr", 2);
        waiting(10).until(d -> other.equals(js("return document.getElementById('parallel-metric').value")));
    }

    @Test
    void eachPageIsTitledByWhatItShows() {
        // every tab read "Experiment · Assay" or "Run · Assay"
        open("/experiment.html?name=tiny-web");
        waiting(15).until(d -> "tiny-web · Assay".equals(d.getTitle()));
        open("/run.html?id=" + trained.get(0).runId());
        waitFor("#params tbody tr", 1);
        assertThat(browser.getTitle()).isEqualTo("learning_rate=0.003 · tiny-web · Assay");
        open("/compare.html?runs=" + trained.get(0).runId() + "," + trained.get(1).runId());
        waitFor("#params thead th", 3);
        assertThat(browser.getTitle()).isEqualTo("Compare 2 runs · tiny-web · Assay");
    }

    @Test
    void aColumnSortsFromTheKeyboardAndSaysHowItIsSortedAndRowCheckboxesAreLabelled() {
        open("/experiment.html?name=parallel");
        waitFor("#runs tbody tr", PARALLEL_RUNS);
        // the headers took only a mouse click; the row checkboxes had no name
        WebElement run = browser.findElement(By.cssSelector("#runs th[data-field=name]"));
        assertThat(run.getAttribute("tabindex")).isEqualTo("0");
        assertThat(run.getAttribute("aria-sort")).isEqualTo("none");
        run.sendKeys(org.openqa.selenium.Keys.ENTER);
        waiting(15).until(d -> "ascending".equals(
                d.findElement(By.cssSelector("#runs th[data-field=name]")).getAttribute("aria-sort")));
        browser.switchTo().activeElement().sendKeys(" ");
        waiting(15).until(d -> "descending".equals(
                d.findElement(By.cssSelector("#runs th[data-field=name]")).getAttribute("aria-sort")));
        assertThat(browser.findElements(By.cssSelector("#runs tbody a")).get(0).getText()).isEqualTo("p-6");
        // a sort that changed the rows' order refetched every plot and redrew the table once more, after
        // the focus had been put back: it went to the page's body
        assertThat(browser.switchTo().activeElement().getAttribute("data-field")).isEqualTo("name");
        // an accuracy sorts best first on its first click, a loss lowest first
        browser.findElement(By.cssSelector("#runs th[data-field='metrics.val_accuracy']")).click();
        waiting(15).until(d -> "descending".equals(
                d.findElement(By.cssSelector("#runs th[data-field='metrics.val_accuracy']")).getAttribute("aria-sort")));
        assertThat(browser.findElement(By.cssSelector("#runs tbody input[type=checkbox]")).getAttribute("aria-label"))
                .isEqualTo("select run p-6");
    }

    @Test
    void runPageDrawsAChart() throws IOException {
        open("/run.html?id=" + trained.get(0).runId());

        List<WebElement> canvases = waitFor(".chart canvas", 1);
        waitFor("#params tbody tr", 1);
        screenshot("run");
        assertThat(canvases.get(0).getSize().getWidth()).isPositive();
        assertThat(canvases.get(0).getSize().getHeight()).isPositive();
        assertThat(browser.findElements(By.cssSelector(".chart[data-metric=loss]"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector(".chart[data-metric=loss]")).getText())
                .contains("train_loss", "val_loss");
        assertThat(browser.findElement(By.cssSelector(".chart[data-metric=loss] canvas")).getAttribute("aria-label"))
                .startsWith("line chart of ").contains("train_loss", "val_loss").endsWith(" against step");
        // charts sized before the page grew its scrollbar overflowed their boxes (a scrollbar under each)
        assertThat(js("return [...document.querySelectorAll('.chart')].filter(c => c.scrollWidth > c.clientWidth)"
                + ".length")).isEqualTo(0L);
    }

    @Test
    void eachSplitHasOneColourOnEveryChartOfARun() {
        // a run's train series was green on one chart and red on another (colours went by place in the chart)
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart[data-metric=accuracy] canvas", 1);
        assertThat(js("return [AssayCharts.splitColor('train_loss', 2), AssayCharts.splitColor('train_accuracy', 0),"
                + " AssayCharts.splitColor('val_loss', 0), AssayCharts.splitColor('test_loss', 1)]"))
                .isEqualTo(List.of("#2563eb", "#2563eb", "#dc2626", "#16a34a"));
        // the legend's markers: one colour per split whatever the chart
        Object colours = js("return ['loss', 'accuracy'].map(m => [...document.querySelectorAll("
                + "'.chart[data-metric=' + m + '] .u-series')].filter(r => r.textContent.startsWith('train_'))"
                + ".map(r => getComputedStyle(r.querySelector('.u-marker')).borderColor))");
        assertThat(colours).isEqualTo(List.of(List.of("rgb(37, 99, 235)"), List.of("rgb(37, 99, 235)")));
    }

    @Test
    void comparingTenRunsWithSweepNamesKeepsTheParamsTableNarrow() throws IOException {
        // ten runs named by their swept values made a params table 5347 px wide: each run's name one line
        List<String> ids = new java.util.ArrayList<>();
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            for (int i = 0; i < 10; i++) {
                ids.add(StoreSeeds.run(store, "ten-names", "architecture=gru bidirectional=false learning_rate=0.00" + i
                        + "123457 dropout=0.0441292 hidden=256 seed=" + (42 + i), i, Map.of("lr", String.valueOf(i)),
                        Map.of("val_loss", new double[] {1.0, 0.5}), RunStatus.COMPLETED));
            }
        }
        open("/compare.html?runs=" + String.join(",", ids));
        waitFor("#params tbody tr.diff", 1);
        screenshot("compare-ten");
        Object width = js("return document.getElementById('params').getBoundingClientRect().width");
        assertThat(((Number) width).doubleValue()).isLessThan(3000);
    }

    @Test
    void comparingThirtyRunsWithTwentyMetricsDrawsEveryChartWithDistinctColoursAndLabels() {
        // one request for 600 (run, metric) pairs was refused (the API takes 500): no chart at all; the 12
        // palette colours repeated from the 13th run; two runs named alike were the same legend entry
        open("/compare.html?runs=" + String.join(",", wideRuns));
        List<WebElement> charts = waitFor(".chart canvas", 20);
        assertThat(charts).hasSize(20);
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
        // in natural order (metric_10 came before metric_2)
        assertThat(js("return [...document.querySelectorAll('.chart')].map(c => c.dataset.metric).slice(0, 4)"))
                .isEqualTo(List.of("metric_0", "metric_1", "metric_2", "metric_3"));
        assertThat(js("return new Set([...Array(30).keys()].map(AssayCharts.runColor)).size")).isEqualTo(30L);
        assertThat(js("return document.querySelector('.chart[data-metric=metric_0]').textContent"))
                .asString().contains("same-name (" + wideRuns.get(0).substring(0, 8) + ")",
                        "same-name (" + wideRuns.get(1).substring(0, 8) + ")", "w-29");
        // each legend scrolls past a few lines: thirty entries made it about 500 px tall under a 240-px plot
        assertThat((Long) js("return Math.max(...[...document.querySelectorAll('.chart .u-legend')].map(l => l.clientHeight))"))
                .isLessThanOrEqualTo(160L);
    }

    @Test
    void pointsLoggedInTheSameMillisecondAllStayOnTheWallTimeAxis() {
        // all but the first point of each millisecond were dropped: a spike and a NaN among them vanished
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);
        assertThat(js("const m = []; const t = AssayCharts.table({wallTimeMillis: [1000, 1000, 1000, 1001],"
                + " step: [1, 2, 3, 4], epoch: [1, 1, 1, 1], value: [1, 100, 'NaN', 2]},"
                + " {x: 'wall', log: false, smoothing: 0}, m, '#000', 1000);"
                + " return [t[0].length, t[1][1], t[1][2], t[1][3], m.length, t[0][1] > t[0][0], t[0][2] > t[0][1]]"))
                .isEqualTo(java.util.Arrays.asList(4L, 100L, null, 2L, 1L, true, true));
    }

    @Test
    void theHoverLegendShowsOnlySeriesWithAPointAtTheHoveredStep() {
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);

        // uPlot moved each series to its nearest point: at step 43 the legend showed a test_loss
        // logged only at step 258
        assertThat(js("""
                const d = document.createElement('div'); d.style.width = '700px'; document.body.append(d);
                const steps = [...Array(10).keys()].map(i => i + 1);
                const u = AssayCharts.line(d, [
                  { label: 'batch_loss', data: { step: steps, epoch: steps.map(() => 1), wallTimeMillis: steps,
                    value: steps.map(i => i / 10) } },
                  { label: 'test_loss', data: { step: [9], epoch: [1], wallTimeMillis: [9], value: [7] } }],
                  { x: 'step', log: false, smoothing: 0 });
                return new Promise(done => setTimeout(done, 50)).then(() => { // uPlot sets its scales in a later task
                  u.setCursor({ left: u.valToPos(3, 'x'), top: 20 });
                  return [...d.querySelectorAll('.u-legend .u-series')].slice(1).map(r => r.querySelector('.u-value').textContent);
                });
                """)).isEqualTo(List.of("0.3", "–"));
    }

    @Test
    void theChartControlsOfARunPageAreKeptInItsAddress() {
        // found by a new-user check: the x axis, log scale and smoothing were lost on reload and
        // could not be bookmarked, unlike the experiment page's sort and filter
        String id = trained.get(0).runId();
        open("/run.html?id=" + id + "&x=epoch&log=1&smoothing=0.5");
        waitFor(".chart canvas", 1);
        assertThat(js("return [document.getElementById('x').value, document.getElementById('log').checked,"
                + " document.getElementById('smoothing').value, document.getElementById('smoothing-value').textContent]"))
                .isEqualTo(List.of("epoch", true, "0.5", "0.50"));
        js("const x = document.getElementById('x'); x.value = 'wall'; x.dispatchEvent(new Event('input'));"
                + " const l = document.getElementById('log'); l.checked = false; l.dispatchEvent(new Event('input'));");
        assertThat(js("return location.search")).isEqualTo("?id=" + id + "&x=wall&smoothing=0.5");
        // values a control cannot take are ignored
        open("/run.html?id=" + id + "&x=nonsense&smoothing=7");
        waitFor(".chart canvas", 1);
        assertThat(js("return [document.getElementById('x').value, document.getElementById('smoothing').value]"))
                .isEqualTo(List.of("step", "0"));
    }

    @Test
    void theHoverLegendReadsNaNAndInfAtTheirPointsAndAValueALogScaleLeavesOut() {
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);

        // found by a new-user check: at a NaN point the legend read "–", the sign for "no point here"
        String legendAt = """
                const d = document.createElement('div'); d.style.width = '700px'; document.body.append(d);
                const u = AssayCharts.line(d, [
                  { label: 'batch_loss', data: { step: [1, 2, 3, 4, 5], epoch: [1, 1, 1, 1, 1],
                    wallTimeMillis: [1, 2, 3, 4, 5], value: [0.5, 'NaN', 0.25, 'Infinity', 0] } },
                  { label: 'test_loss', data: { step: [5], epoch: [1], wallTimeMillis: [5], value: [0.2] } }],
                  { x: 'step', log: %s, smoothing: %s });
                return new Promise(done => setTimeout(done, 50)).then(() => [2, 3, 4, 5].map(step => {
                  u.setCursor({ left: u.valToPos(step, 'x'), top: 20 });
                  return [...d.querySelectorAll('.u-legend .u-series')].slice(1).filter(r => r.style.display !== 'none')
                    .map(r => r.querySelector('.u-value').textContent).join(' | ');
                }));
                """;
        assertThat(js(legendAt.formatted("false", "0"))).isEqualTo(List.of("NaN | –", "0.25 | –", "Inf | –", "0 | 0.2"));
        // a log scale leaves out the 0 but the legend still reads it; smoothed, the raw value leads
        assertThat(js(legendAt.formatted("true", "0"))).isEqualTo(List.of("NaN | –", "0.25 | –", "Inf | –", "0 | 0.2"));
        assertThat((List<?>) js(legendAt.formatted("false", "0.5"))).first().isEqualTo("NaN | –");
    }

    @Test
    void smoothingDrawsTheRawLineFaintlyBehindAndTheLegendSaysWhichValueIsWhich() throws IOException {
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);

        // a smoothing of 0.9 hid the raw line, and the legend gave the smoothed value as if it were raw
        assertThat(js("""
                const d = document.createElement('div'); d.style.width = '700px'; document.body.append(d);
                const u = AssayCharts.line(d, [{ label: 'loss', data: { step: [1, 2, 3], epoch: [1, 1, 1],
                  wallTimeMillis: [1, 2, 3], value: [1, 3, 2] } }], { x: 'step', log: false, smoothing: 0.5 });
                return new Promise(done => setTimeout(done, 50)).then(() => {
                  u.setCursor({ left: u.valToPos(2, 'x'), top: 20 });
                  const rows = [...d.querySelectorAll('.u-legend .u-series')].slice(1).filter(r => r.style.display !== 'none');
                  u.setSeries(2, { show: false });
                  return [u.series.length, u.series[1].alpha, u.series[1].label, rows.length,
                    rows[0].querySelector('.u-value').textContent, u.series[1].show,
                    d.querySelector('.smooth-note').textContent.startsWith('smoothing 0.50: faint lines raw')];
                });
                """)).isEqualTo(List.of(3L, 0.3, "loss (raw)", 1L, "3 (2.3333)", false, true));
        js("""
                const d = document.createElement('div'); d.style.width = '700px'; document.querySelector('main').prepend(d);
                const steps = [...Array(200).keys()].map(i => i + 1);
                const u = AssayCharts.line(d, ['train_loss', 'val_loss'].map((label, k) => ({ label, color: AssayCharts.COLORS[k],
                  data: { step: steps, epoch: steps.map(() => 1), wallTimeMillis: steps,
                    value: steps.map(i => 2 / Math.sqrt(i) + k * 0.2 + 0.3 * Math.sin(i * 7.3)) } })),
                  { x: 'step', log: false, smoothing: 0.9 });
                window.scrollTo(0, 0);
                setTimeout(() => u.setCursor({ left: u.valToPos(120, 'x'), top: 60 }), 50);
                """);
        waiting(5).until(d -> (Boolean) js("return document.querySelector('main .u-legend').textContent.includes('(')"));
        screenshot("chart-smoothing");
    }

    @Test
    void aLogScaleSaysHowManyValuesItCannotDraw() {
        // values ≤ 0 vanished from a log-scale chart without a word (an all-negative series drew an empty chart)
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);
        assertThat(js("const d = document.createElement('div'); document.body.append(d);"
                + " AssayCharts.line(d, [{label: 'x', data: {step: [1, 2, 3, 4], epoch: [1, 1, 1, 1],"
                + " wallTimeMillis: [1, 2, 3, 4], value: [1, 0, -2, 5]}}], {x: 'step', log: true, smoothing: 0});"
                + " return d.querySelector('.log-note').textContent")).isEqualTo("log scale: 2 value(s) ≤ 0 not drawn");
        assertThat(js("const d = document.createElement('div'); document.body.append(d);"
                + " AssayCharts.line(d, [{label: 'x', data: {step: [1, 2], epoch: [1, 1], wallTimeMillis: [1, 2],"
                + " value: [1, 0]}}], {x: 'step', log: false, smoothing: 0}); return d.querySelectorAll('.log-note').length"))
                .isEqualTo(0L);
    }

    @Test
    void onTheEpochAxisABatchPointSitsWhereItsStepFallsInItsEpoch() {
        // found by a UI check: batch_loss logged at steps 1, 20, 40, 60, 80 of 29-step epochs was
        // spread by its order within each epoch, step 40 (epoch 1.38) drawn at 2.0 beside epoch 2's
        // train_loss, step 60 (2.07) at 2.5
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);
        js("window.batch = {step: [1, 20, 40, 60, 80], epoch: [1, 1, 2, 3, 3]};"
                + " window.epochs = {step: [29, 58, 87], epoch: [1, 2, 3]};");
        assertThat(js("return AssayCharts.xValues(window.batch, 'epoch', 0,"
                + " AssayCharts.epochEnds([window.batch, window.epochs])).map(x => Math.round(x * 1000) / 1000)"))
                .isEqualTo(List.of(0.034, 0.69, 1.379, 2.069, 2.759));
        assertThat(js("return AssayCharts.xValues(window.epochs, 'epoch', 0, AssayCharts.epochEnds([window.epochs]))"))
                .isEqualTo(List.of(1L, 2L, 3L));
        // without the bounds (a series alone whose epochs' ends are unknown) the points are spread as before
        assertThat(js("return AssayCharts.xValues({step: [5, 9], epoch: [2, 2]}, 'epoch', 0, new Map())"))
                .isEqualTo(List.of(1.5, 2L));
    }

    @Test
    void aGansTwoPlayersShareAChartEachInAColourOfItsOwn() throws IOException {
        // the GAN's d_loss and g_loss (and d_real and d_fake) were four charts: the losses, read against each
        // other, were a page apart
        String id;
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            id = StoreSeeds.run(store, "gan", "gan-0", 0, Map.of("lr", "0.1"), Map.of("d_loss", new double[] {1.2, 0.9},
                    "g_loss", new double[] {0.7, 1.1}, "d_real", new double[] {0.6, 0.7}, "d_fake", new double[] {0.4, 0.3},
                    "batch_d_loss", new double[] {1.3, 1.0}), RunStatus.COMPLETED);
        }
        open("/run.html?id=" + id);
        waitFor(".chart canvas", 2);
        screenshot("run-gan");
        assertThat(browser.findElements(By.cssSelector(".chart"))).extracting(c -> c.getAttribute("data-metric"))
                .containsExactlyInAnyOrder("d_loss, g_loss", "d_real, d_fake");
        Object legend = js("return [...document.querySelectorAll('.chart[data-metric=\"d_loss, g_loss\"] .u-series')]"
                + ".slice(1).map(r => [r.textContent.split(/[^a-z_]/)[0], getComputedStyle(r.querySelector('.u-marker'))"
                + ".borderColor])");
        @SuppressWarnings("unchecked")
        List<List<String>> entries = (List<List<String>>) legend;
        assertThat(entries).extracting(e -> e.get(0)).containsExactlyInAnyOrder("batch_d_loss", "d_loss", "g_loss");
        assertThat(entries).extracting(e -> e.get(1)).doesNotHaveDuplicates();
    }

    @Test
    void aRatioOfAMetricGetsAChartOfItsOwnWhileAVariantJoinsTheMetrics() {
        // found by a UI check: the autoencoder's test_mse_baseline_ratio (2.1) shared test_mse's axis (0.04, 0.09)
        String id;
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            id = StoreSeeds.run(store, "ratios", "ra-0", 0, Map.of("lr", "0.1"), Map.of("test_mse", new double[] {0.041},
                    "test_mse_mean_baseline", new double[] {0.088}, "test_mse_baseline_ratio", new double[] {2.12}),
                    RunStatus.COMPLETED);
        }
        open("/run.html?id=" + id);
        waitFor(".chart canvas", 2);
        assertThat(browser.findElements(By.cssSelector(".chart"))).extracting(c -> c.getAttribute("data-metric"))
                .containsExactlyInAnyOrder("mse", "mse_baseline_ratio");
        assertThat(js("return [...document.querySelectorAll('.chart[data-metric=mse] .u-series')]"
                + ".map(r => r.textContent).filter(t => t.startsWith('test_')).length")).isEqualTo(2L);
    }

    @Test
    void wallTimeIsMeasuredFromTheRunsStartForEverySeries() {
        // found by a fresh-clone check: each series started at 0, so test_loss (logged once, at
        // the end) was drawn at the start
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);

        assertThat(js("return AssayCharts.xValues({wallTimeMillis: [5000, 7500], step: [1, 2], epoch: [1, 1]},"
                + " 'wall', 1000)")).isEqualTo(List.of(4L, 6.5));
        // a learning rate's tick "5.000e-4" once showed as ".000e-4" on a fixed 60 px axis
        assertThat(js("return [AssayCharts.axisWidth(['5.000e-4', '0.001']), AssayCharts.axisWidth(['0', '1'])]"))
                .isEqualTo(List.of(78L, 60L));
        js("const x = document.getElementById('x'); x.value = 'wall'; x.dispatchEvent(new Event('input'));");
        assertThat(waitFor(".chart", 1).get(0).getText()).contains("seconds since the run started");
    }

    @Test
    void comparePageShowsTwoRuns() throws IOException {
        String ids = trained.get(0).runId() + "," + trained.get(1).runId();
        open("/compare.html?runs=" + ids);

        waitFor(".chart canvas", 1);
        List<WebElement> headers = waitFor("#params thead th", 3);
        screenshot("compare");
        assertThat(headers).hasSize(3);
        assertThat(browser.findElement(By.cssSelector("#params tbody tr.diff")).getText())
                .contains("training.optimizer.learning_rate", "0.003", "0.01");
        assertThat(browser.findElement(By.cssSelector(".chart[data-metric=val_loss]")).getText())
                .contains("learning_rate=0.003", "learning_rate=0.01");
        assertThat(browser.findElement(By.id("params")).getText()).contains("completed");
        // a way back to the experiment (found by a UI check: there was none but the browser's)
        WebElement back = browser.findElement(By.cssSelector("#crumbs a"));
        assertThat(back.getText()).isEqualTo("tiny-web");
        assertThat(back.getAttribute("href")).endsWith("/experiment.html?name=tiny-web");
    }

    @Test
    void comparingRunsOfTwoExperimentsNamesEachRunsExperiment() {
        open("/compare.html?runs=" + trained.get(0).runId() + "," + nanRun);

        // nothing said which experiment each run came from
        List<WebElement> names = waitFor("#params thead .experiment", 2);
        assertThat(names).extracting(WebElement::getText).containsExactly("experiment tiny-web", "experiment escaping");
        open("/compare.html?runs=" + trained.get(0).runId() + "," + trained.get(1).runId());
        waitFor("#params thead th", 3);
        assertThat(browser.findElements(By.cssSelector("#params thead .experiment"))).isEmpty();
    }

    @Test
    void hostileNamesAndValuesAppearAsTextAndNoScriptRuns() throws IOException {
        open("/experiment.html?name=escaping");
        List<WebElement> links = waitFor("#runs tbody a", 2);
        screenshot("escaping");

        assertThat(links).extracting(WebElement::getText).contains(EVIL_NAME);
        assertThat(browser.findElement(By.id("runs")).getText()).contains(EVIL_VALUE);
        assertThat(js("return document.querySelectorAll('main img, #runs script').length")).isEqualTo(0L);
        assertThat(js("return window.__alerts.length")).isEqualTo(0L);

        open("/run.html?id=" + evilRun);
        waitFor("#params tbody tr", 1);
        assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Run " + EVIL_NAME);
        assertThat(browser.findElement(By.id("error")).getText()).isEqualTo("boom <b>bold</b>");
        assertThat(js("return document.querySelectorAll('main img, main b, #params script').length")).isEqualTo(0L);
        assertThat(js("return window.__alerts.length")).isEqualTo(0L);
    }

    @Test
    void runWithNaNAndInfinityLossLoadsAndItsChartRenders() throws IOException {
        open("/run.html?id=" + nanRun);

        List<WebElement> canvases = waitFor(".chart canvas", 1);
        waitFor("#metrics tbody tr", 1);
        screenshot("nan-run");
        assertThat(canvases.get(0).getSize().getHeight()).isPositive();
        assertThat(browser.findElement(By.id("metrics")).getText()).contains("Inf");
        assertThat(browser.findElement(By.cssSelector(".chart")).getText()).doesNotContain("undefined");
        assertThat(js("return window.__alerts.length")).isEqualTo(0L);
    }

    @Test
    void runPageShowsArtifactsInline() throws IOException {
        open("/run.html?id=" + artifactRun);

        List<WebElement> heatmaps = waitFor("#artifact-view canvas.heatmap", 3);
        waiting(15).until(d -> (Boolean) js(
                "const i = document.querySelector('#artifact-view img'); return !!i && i.complete && i.naturalWidth > 0;"));
        js("document.getElementById('artifact-view').scrollIntoView()");
        screenshot("run-artifacts");
        assertThat(js("return document.querySelector('#artifact-view img').naturalWidth")).isEqualTo(112L);
        for (WebElement canvas : heatmaps) {
            assertThat(canvas.getSize().getWidth()).isPositive();
            assertThat(canvas.getSize().getHeight()).isPositive();
        }
        assertThat(js("return [...document.querySelectorAll('#artifact-view canvas.heatmap')]"
                + ".map(c => c.dataset.rows + 'x' + c.dataset.cols).sort().join(',')")).isEqualTo("12x16,2x3,3x3");
        // the confusion matrix says what its rows and columns are
        assertThat(browser.findElement(By.cssSelector("#artifact-view figure[data-artifact='confusion_matrix.json']"))
                .getText()).contains("rows are the true classes");
        // and its heatmap has axis titles (drawn on the canvas, named in its label)
        assertThat(browser.findElement(By.cssSelector(
                "#artifact-view figure[data-artifact='confusion_matrix.json'] canvas.heatmap")).getAttribute("aria-label"))
                .isEqualTo("heatmap: rows are the true class, columns the predicted class");
        assertThat(browser.findElement(By.cssSelector(
                "#artifact-view figure[data-artifact='attention.json'] canvas.heatmap")).getAttribute("aria-label"))
                .isEqualTo("heatmap: rows are the output, columns the source");
        // the rows are what greedy decoding produced, which a reader took for the ground truth: the reference is shown
        assertThat(browser.findElement(By.cssSelector("#artifact-view figure[data-artifact='attention.json'] .muted"))
                .getText()).isEqualTo("reference: the cat .");
        WebElement link = browser.findElement(By.cssSelector("#artifact-view .artifact-link a"));
        assertThat(link.getText()).isEqualTo("log.txt");
        assertThat(link.getAttribute("href")).endsWith("/api/runs/" + artifactRun + "/artifacts/log.txt");
        // a listed file deleted since: named and said missing, with no link to a 404
        WebElement gone = browser.findElement(By.cssSelector("#artifact-view [data-artifact='gone.txt']"));
        assertThat(gone.getText()).isEqualTo("gone.txt (31 B): missing, deleted or moved since the run recorded it");
        assertThat(gone.findElements(By.tagName("a"))).isEmpty();
        assertThat(js("return document.querySelectorAll('main script').length")).isEqualTo(0L);
        assertThat(js("return window.__alerts.length")).isEqualTo(0L);
    }

    @Test
    void eachArtifactIsListedOnceWithItsDownloadLinkAndSize() {
        open("/run.html?id=" + artifactRun);
        waitFor("#artifact-view canvas.heatmap", 3);

        // a table listed every artifact, and the inline view below listed them again
        for (String path : List.of("attention.json", "matrix.json", "confusion_matrix.json", "log.txt",
                "samples/reconstructions.png")) {
            // whole names only: matrix.json is also the end of confusion_matrix.json
            assertThat(js("return (document.querySelector('main').innerText.match(new RegExp('(?<![\\\\w])' + '"
                    + path.replace(".", "\\\\.") + "', 'g')) || []).length")).as(path).isEqualTo(1L);
        }
        assertThat(browser.findElement(By.cssSelector("[data-artifact='attention.json'] figcaption")).getText())
                .matches("attention\\.json \\(\\d+ B\\)");
        assertThat(browser.findElement(By.cssSelector("[data-artifact='attention.json'] figcaption a"))
                .getAttribute("download")).isNotNull();
        open("/run.html?id=" + nanRun);
        assertThat(waitFor("#artifact-view .muted", 1).get(0).getText()).isEqualTo("none");
    }

    @Test
    void emptySectionsOfARunPageSayNone() {
        // a run that failed before logging anything showed bare headings over empty tables
        open("/run.html?id=" + failedA);
        waitFor("#params tbody tr", 1);
        assertThat(waitFor("#metrics tbody td.muted", 1).get(0).getText()).isEqualTo("none");
        assertThat(browser.findElement(By.id("charts")).getText()).isEqualTo("No metric logged.");
        assertThat(browser.findElement(By.id("error")).getText()).isNotEmpty();
    }

    @Test
    void anExperimentWhoseRunsLoggedNoMetricSaysSoInsteadOfBlankPlots() {
        // found by a UI check: three failed runs, a blank scatter, empty pickers, a note ending "without their"
        // and a lone parallel axis marked 1 and 0
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            for (int i = 0; i < 2; i++) {
                StoreSeeds.run(store, "all-failed", "af-" + i, i, Map.of("lr", "0." + (i + 1)), Map.of(), RunStatus.FAILED);
            }
        }
        open("/experiment.html?name=all-failed");
        waitFor("#runs tbody tr", 2);
        waiting(10).until(d -> !d.findElement(By.id("scatter-note")).getText().isEmpty());
        assertThat(browser.findElement(By.id("scatter-note")).getText())
                .isEqualTo("nothing to plot: no run of this experiment has logged a metric yet");
        waiting(10).until(d -> !d.findElement(By.id("parallel-note")).getText().isEmpty());
        assertThat(browser.findElement(By.id("parallel-note")).getText())
                .isEqualTo("nothing to plot: no run of this experiment has logged a metric yet");
    }

    @Test
    void anUnknownExperimentShowsTheErrorWithoutItsEmptyControls() {
        // found by a UI check: the error stood above an empty table, pickers and a filter hint naming adam
        open("/experiment.html?name=no-such-experiment");
        waiting(15).until(d -> d.findElement(By.id("summary")).getText().contains("no-such-experiment"));
        assertThat(browser.findElement(By.id("filter")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("scatter")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Param vs metric", "Parallel");
        // with the way back a run page that finds no run has (found by a new-user check)
        assertThat(browser.findElement(By.cssSelector("#all-experiments a")).getAttribute("href")).endsWith("/");
    }

    @Test
    void anUnknownRunIdShowsTheErrorWithoutTheEmptySections() {
        // found by a UI check: the error stood above empty Metrics, Params, Tags... headings and "smoothing 0"
        open("/run.html?id=deadbeef");
        waiting(15).until(d -> d.findElement(By.id("summary")).getText().contains("deadbeef"));
        assertThat(browser.findElement(By.id("charts")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("params")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Metric summaries", "smoothing")
                .contains("All experiments");
    }

    @Test
    void experimentPageDrawsParallelCoordinates() throws IOException {
        open("/experiment.html?name=parallel");

        WebElement canvas = waitFor("#parallel[data-lines]", 1).get(0);
        js("document.getElementById('parallel').scrollIntoView()");
        screenshot("experiment-parallel");
        assertThat(canvas.getSize().getWidth()).isPositive();
        assertThat(canvas.getSize().getHeight()).isPositive();
        assertThat(canvas.getAttribute("data-lines")).isEqualTo(String.valueOf(PARALLEL_RUNS));
        assertThat(canvas.getAttribute("data-grey")).isEqualTo("1");
        // two varying params (optimizer name, learning rate) plus the metric; the fixed seed is left out
        assertThat(canvas.getAttribute("data-axes")).isEqualTo("3");

        open("/experiment.html?name=tiny-web");
        canvas = waitFor("#parallel[data-lines]", 1).get(0);
        assertThat(canvas.getAttribute("data-lines")).isEqualTo(String.valueOf(trained.size()));
    }

    @Test
    void theScatterPutsLearningRatesOnALogAxisAndCountsRunsWithoutAFiniteValue() throws IOException {
        open("/experiment.html?name=parallel&by=params.training.optimizer.learning_rate&metric=val_accuracy");
        WebElement canvas = waitFor("#scatter[data-log]", 1).get(0);
        js("document.getElementById('scatter').scrollIntoView()");
        screenshot("experiment-scatter-log");

        // rates 0.001..0.1 on a linear axis sat at its left under ticks such as -0.049895 and 1.05,
        // and the run with a NaN accuracy left no trace
        assertThat(canvas.getAttribute("data-log")).isEqualTo("true");
        assertThat(canvas.getAttribute("data-xticks")).isEqualTo("[\"0.001\",\"0.01\",\"0.1\"]");
        // the plots have a text alternative (only the heatmap had one)
        assertThat(canvas.getAttribute("aria-label")).isEqualTo("scatter of val_accuracy against"
                + " params.training.optimizer.learning_rate (log): " + (PARALLEL_RUNS - 1) + " run(s)");
        assertThat(browser.findElement(By.id("parallel")).getAttribute("aria-label"))
                .startsWith("parallel coordinates of ").contains(" against val_accuracy: ");
        assertThat(browser.findElement(By.id("scatter-note")).getText())
                .isEqualTo("1 run without a finite val_accuracy not shown");
        assertThat(js("return [AssayScatter.tickText(0.30000000000000004), AssayScatter.tickText(2.5e6),"
                + " AssayScatter.tickText(1000)]")).isEqualTo(List.of("0.3", "2.5e6", "1000"));
        // a metric spanning 2 decades or more goes on a log axis too (one diverged val_loss of 97.7 squashed the rest)
        assertThat(js("""
                const c = document.createElement('canvas'); c.width = 560; c.height = 320; document.body.append(c);
                AssayScatter.draw(c, [0.3, 0.35, 0.42, 97.7].map((y, i) => ({ x: String(i), xNumber: i + 1, y })), 'lr', 'val_loss');
                return [c.dataset.ylog, c.dataset.yticks, c.getAttribute('aria-label')];
                """)).isEqualTo(List.of("true", "[\"1\",\"10\",\"100\"]", "scatter of val_loss (log) against lr: 4 run(s)"));
        // one run at learning rate 0.1 had an x axis from -0.4 to 0.6
        assertThat(js("""
                const c = document.createElement('canvas'); c.width = 560; c.height = 320; document.body.append(c);
                AssayScatter.draw(c, [{ x: '0.1', xNumber: 0.1, y: 1 }], 'lr', 'm');
                const ticks = JSON.parse(c.dataset.xticks).map(Number);
                return ticks.length > 1 && ticks.every(t => t > 0 && t < 0.2);
                """)).isEqualTo(true);
        // twelve long configuration labels printed over each other under a 560-px scatter
        assertThat(js("""
                const c = document.createElement('canvas'); c.width = 560; c.height = 320; document.body.append(c);
                const points = [...Array(12).keys()].map(i => ({ x: 'training.optimizer.name=adam; lr=' + i, xNumber: null, y: i }));
                AssayScatter.draw(c, points, 'config', 'm');
                return JSON.parse(c.dataset.xticks).every(t => t.length * 6.5 <= 2 * 484 / 12);
                """)).isEqualTo(true);
    }

    @Test
    void aLongConfigurationInTheGroupsTableIsCutWithTheWholeTextInItsTooltip() {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            for (int r = 0; r < 2; r++) {
                Map<String, String> params = new java.util.TreeMap<>();
                for (int k = 0; k < 8; k++) {
                    params.put("model.params.hidden_layer_width_" + k, String.valueOf(16 * (r + 1) + k));
                }
                StoreSeeds.run(store, "long-config", "lc-" + r, r, params, Map.of("val_loss", new double[] {1.0 - r / 4.0}),
                        RunStatus.COMPLETED);
            }
        }
        open("/experiment.html?name=long-config&by=config&metric=val_loss");
        WebElement cell = waitFor("#groups tbody td.pairs", 1).get(0);

        // ~180-character "key=value; ..." strings pushed the table off the screen
        assertThat(cell.getAttribute("title")).startsWith("model.params.hidden_layer_width_0=16; model.params.");
        // and every one started "model.params.hid…": keys are shown by their last part; one pair a line, all of
        // them seen (cut to one line, the pair that told two groups apart was behind the ellipsis)
        assertThat(cell.getText().lines().toList()).hasSize(8).startsWith("hidden_layer_width_0=16",
                "hidden_layer_width_1=17").endsWith("hidden_layer_width_7=23");
        assertThat(cell.getSize().getWidth()).isLessThanOrEqualTo(280);
        assertThat(js("const c = document.querySelector('#groups tbody td.pairs'); return c.scrollWidth > c.clientWidth"))
                .isEqualTo(false);
    }

    @Test
    void configurationsReadAndSortAsTheirNumbersAndTheScatterLabelsThemByValue() {
        // found by a UI check: "learning_rate=1.0E-4" in the groups where the columns say 1e-4 (values read as
        // the columns write them, Assay.paramText), sorted as
        // text (1.0E-4 between 1.0 and 100.0), and every scatter label cut to "learning_…"
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            String[] rates = {"100.0", "1.0E-4", "1.0", "0.01"};
            for (int i = 0; i < rates.length; i++) {
                StoreSeeds.run(store, "rates", "r-" + i, i, Map.of("training.optimizer.learning_rate", rates[i]),
                        Map.of("val_loss", new double[] {0.5 + i / 10.0}), RunStatus.COMPLETED);
            }
        }
        open("/experiment.html?name=rates&by=config&metric=val_loss");
        waitFor("#groups tbody tr", 4);
        assertThat(browser.findElements(By.cssSelector("#groups tbody td.pairs"))).extracting(WebElement::getText)
                .containsExactly("learning_rate=1e-4", "learning_rate=0.01", "learning_rate=1.0", "learning_rate=100.0");
        WebElement canvas = browser.findElement(By.id("scatter"));
        waiting(10).until(d -> canvas.getAttribute("data-xticks") != null
                && canvas.getAttribute("data-xticks").contains("1e-4"));
        assertThat(canvas.getAttribute("data-xticks")).isEqualTo("[\"1e-4\",\"0.01\",\"1.0\",\"100.0\"]");
        assertThat(canvas.getAttribute("aria-label"))
                .isEqualTo("scatter of val_loss against configuration (learning_rate): 4 run(s)");
    }

    @Test
    void configurationsWithDifferentKeysLabelTheScatterWithTheirKeys() {
        // found by a new-user check: the axis title named the first configuration's keys ("configuration
        // (learning_rate; name)") and Adam's label, with its betas too, read as values of those keys
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            StoreSeeds.run(store, "mixed-keys", "m-0", 0, Map.of("training.optimizer.name", "sgd",
                    "training.optimizer.learning_rate", "0.1"), Map.of("val_loss", new double[] {0.5}), RunStatus.COMPLETED);
            StoreSeeds.run(store, "mixed-keys", "m-1", 1, Map.of("training.optimizer.name", "adam",
                    "training.optimizer.learning_rate", "0.001", "training.optimizer.beta1", "0.8"),
                    Map.of("val_loss", new double[] {0.4}), RunStatus.COMPLETED);
        }
        open("/experiment.html?name=mixed-keys&by=config&metric=val_loss");
        WebElement canvas = browser.findElement(By.id("scatter"));
        waiting(10).until(d -> canvas.getAttribute("data-xticks") != null && canvas.getAttribute("data-xticks").contains("="));
        assertThat(canvas.getAttribute("aria-label")).isEqualTo("scatter of val_loss against configuration: 2 run(s)");
        assertThat(canvas.getAttribute("data-xticks")).contains("beta1=0.8").contains("name=sgd");
    }

    @Test
    void groupsOfOneRunEachAreNotListedRunByRun() {
        // found by a UI check at scale: x defaulted to a param with a value per run, and the groups table listed
        // 150 groups of one run (a 7,000-px page); "wide" has a param i with 30 values, one run each
        open("/experiment.html?name=wide");
        WebElement note = waitFor("#groups caption[data-singletons]", 1).get(0);
        assertThat(note.getText()).isEqualTo("each of the 30 values of i holds one run: nothing to average or compare."
                + " Choose an x with fewer values (a categorical param, or \"configuration (repeats)\") to group the runs.");
        assertThat(browser.findElements(By.cssSelector("#groups tbody tr"))).isEmpty();
    }

    @Test
    void theGroupsTableGivesWelchsPAgainstTheBestGroup() throws IOException {
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            double[] loss = {0.40, 0.42, 0.44, 0.60, 0.65, 0.70};
            for (int i = 0; i < loss.length; i++) {
                StoreSeeds.run(store, "welch", "w-" + i, i, Map.of("model.params.dropout", i < 3 ? "0.1" : "0.5",
                        "training.seed", String.valueOf(42 + i % 3)), Map.of("val_loss", new double[] {loss[i]}),
                        RunStatus.COMPLETED);
            }
            // a fourth seed of dropout 0.5, pruned at an early epoch: counted, not in the statistics
            StoreSeeds.run(store, "welch", "w-6", 6, Map.of("model.params.dropout", "0.5", "training.seed", "45"),
                    Map.of("val_loss", new double[] {0.99}), RunStatus.PRUNED);
            // and a configuration whose two seeds diverged to +Inf: no finite value, so no statistics
            for (int i = 7; i < 9; i++) {
                StoreSeeds.run(store, "welch", "w-" + i, i, Map.of("model.params.dropout", "0.9", "training.seed",
                        String.valueOf(35 + i)), Map.of("val_loss", new double[] {Double.POSITIVE_INFINITY}),
                        RunStatus.DIVERGED);
            }
        }
        open("/experiment.html?name=welch&by=config&metric=val_loss");
        List<WebElement> rows = waitFor("#groups tbody tr", 3);
        screenshot("groups-welch");

        // the filter's example named params.training.optimizer.name and val_accuracy, which this experiment lacks
        assertThat(browser.findElement(By.id("filter")).getAttribute("placeholder"))
                .isEqualTo("e.g. params.model.params.dropout = … and metrics.val_loss > …");
        List<WebElement> headers = browser.findElements(By.cssSelector("#groups thead th"));
        assertThat(headers.get(6).getText()).isEqualTo("missing");
        assertThat(headers.get(6).getAttribute("title")).isEqualTo("runs that never logged val_loss");
        WebElement header = headers.get(7);
        assertThat(header.getText()).isEqualTo("p vs best (Welch)");
        // val_loss: the lowest mean is best (mode: auto's reading of a loss)
        assertThat(header.getAttribute("title")).contains("the lowest mean");
        // dropout 0.5 (0.60, 0.65, 0.70) against dropout 0.1 (0.40, 0.42, 0.44): SciPy's Welch p 0.007946641456569594
        assertThat(rows.get(0).findElements(By.tagName("td"))).extracting(WebElement::getText)
                .containsExactly("dropout=0.1", "3", "0.42 ± 0.02", "0.4", "0.44", "0", "0", "best");
        assertThat(rows.get(1).findElements(By.tagName("td")).get(7).getText()).isEqualTo("0.0079");
        assertThat(rows.get(1).findElements(By.tagName("td")).get(1).getText()).isEqualTo("4 (1 pruned)");
        assertThat(rows.get(1).findElements(By.tagName("td")).get(1).getAttribute("title")).startsWith(
                "runs that did not complete are counted here but left out of the mean");
        assertThat(rows.get(1).findElements(By.tagName("td")).get(2).getText()).isEqualTo("0.65 ± 0.05");
        // a group of +Inf values read "NaN" in red as its mean, min and max; they are NaN/Inf, not missing
        assertThat(rows.get(2).findElements(By.tagName("td"))).extracting(WebElement::getText)
                .containsExactly("dropout=0.9", "2 (2 diverged)", "—", "—", "—", "2", "0", "—");
        // the scatter beside the groups drew the pruned run's epoch value (0.99) among the finished ones
        WebElement scatter = waitFor("#scatter[data-log]", 1).get(0);
        assertThat(scatter.getAttribute("data-hidden")).isEqualTo("0");
        assertThat(browser.findElement(By.id("scatter-note")).getText()).isEqualTo("3 runs that did not complete"
                + " (2 diverged, 1 pruned) not shown: their val_loss, if any, is from the epoch they stopped at");
        // the parallel coordinates still coloured the pruned run by its epoch value: now grey, params kept
        WebElement parallel = waitFor("#parallel[data-lines]", 1).get(0);
        assertThat(parallel.getAttribute("data-lines")).isEqualTo("9");
        assertThat(parallel.getAttribute("data-grey")).isEqualTo("3");
        assertThat(browser.findElement(By.id("parallel-note")).getText())
                .isEqualTo("9 runs; 3 runs that did not complete drawn grey, without their val_loss");
    }

    @Test
    void theGroupsTableCountsRunsThatNeverLoggedTheMetricAsMissingNotAsNaNOrInf() throws IOException {
        // found by a helper session: two runs that diverged before their test read "NaN/Inf 0", counted nowhere
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            for (int i = 0; i < 4; i++) {
                StoreSeeds.run(store, "never-logged", "n-" + i, i, Map.of("training.optimizer.learning_rate",
                        i < 2 ? "0.1" : "10", "training.seed", String.valueOf(42 + i)), i < 2
                        ? Map.of("test_accuracy", new double[] {0.80 + 0.04 * i})
                        : Map.of("batch_loss", new double[] {2.3, Double.NaN}), i < 2 ? RunStatus.COMPLETED
                        : RunStatus.DIVERGED);
            }
        }
        open("/experiment.html?name=never-logged&by=params.training.optimizer.learning_rate&metric=test_accuracy");
        List<WebElement> rows = waitFor("#groups tbody tr", 2);
        screenshot("groups-missing");
        assertThat(browser.findElements(By.cssSelector("#groups thead th"))).extracting(WebElement::getText)
                .containsExactly("value", "runs", "test_accuracy mean ± std", "min", "max", "NaN/Inf", "missing",
                        "p vs best (Welch)");
        assertThat(rows.get(1).findElements(By.tagName("td"))).extracting(WebElement::getText)
                .containsExactly("10", "2 (2 diverged)", "—", "—", "—", "0", "2", "—");
        assertThat(rows.get(0).findElements(By.tagName("td")).get(6).getText()).isEqualTo("0");
        assertThat(rows.get(1).findElements(By.tagName("td")).get(1).getAttribute("title"))
                .endsWith("a diverged run's NaN or ±Inf is counted under NaN/Inf, a run that never logged the metric"
                        + " under missing");
    }

    @Test
    void theGroupsTableCountsRunningRunsThatHaveNotLoggedTheMetricYetApartFromMissing() throws IOException {
        // a sweep in progress read "missing" for every running run that had not reached its test yet
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            RunStatus[] statuses = {RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.INTERRUPTED, RunStatus.RUNNING,
                RunStatus.RUNNING};
            for (int i = 0; i < statuses.length; i++) {
                StoreSeeds.run(store, "in-progress", "p-" + i, i, Map.of("training.optimizer.learning_rate",
                        i < 3 ? "0.1" : "10", "training.seed", String.valueOf(42 + i)), i < 2
                        ? Map.of("test_accuracy", new double[] {0.80 + 0.04 * i})
                        : Map.of("batch_loss", new double[] {2.3, 1.1}), statuses[i]);
            }
        }
        open("/experiment.html?name=in-progress&by=params.training.optimizer.learning_rate&metric=test_accuracy");
        List<WebElement> rows = waitFor("#groups tbody tr", 2);
        screenshot("groups-running");
        List<WebElement> headers = browser.findElements(By.cssSelector("#groups thead th"));
        assertThat(headers).extracting(WebElement::getText).containsExactly("value", "runs",
                "test_accuracy mean ± std", "min", "max", "NaN/Inf", "missing", "running", "p vs best (Welch)");
        assertThat(headers.get(6).getAttribute("title")).isEqualTo("runs that ended without logging test_accuracy");
        assertThat(headers.get(7).getAttribute("title"))
                .isEqualTo("runs still running that have not logged test_accuracy yet");
        assertThat(rows.get(0).findElements(By.tagName("td"))).extracting(WebElement::getText)
                .containsExactly("0.1", "3 (1 interrupted)", "0.82 ± 0.028284", "0.8", "0.84", "0", "1", "0", "best");
        assertThat(rows.get(1).findElements(By.tagName("td"))).extracting(WebElement::getText)
                .containsExactly("10", "2 (2 running)", "—", "—", "—", "0", "0", "2", "—");
        assertThat(rows.get(1).findElements(By.tagName("td")).get(1).getAttribute("title"))
                .endsWith("a run that ended without logging the metric under missing, one still running that has not"
                        + " logged it yet under running");
    }

    @Test
    void aMetricWhoseNameTellsNoDirectionIsComparedWithTheHighestGroupNotTheBest() throws IOException {
        // found by a helper session: a GAN's d_real (the discriminator's mean output on real images) got a "best" group
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            double[] dReal = {0.52, 0.55, 0.81, 0.86};
            for (int i = 0; i < dReal.length; i++) {
                StoreSeeds.run(store, "gan", "g-" + i, i, Map.of("training.optimizer.learning_rate", i < 2 ? "0.0002" : "0.002",
                        "training.seed", String.valueOf(42 + i % 2)), Map.of("epoch_d_real", new double[] {dReal[i]}),
                        RunStatus.COMPLETED);
            }
        }
        open("/experiment.html?name=gan&by=params.training.optimizer.learning_rate&metric=epoch_d_real");
        List<WebElement> rows = waitFor("#groups tbody tr", 2);
        screenshot("groups-no-direction");

        WebElement header = browser.findElements(By.cssSelector("#groups thead th")).get(7);
        assertThat(header.getText()).isEqualTo("p vs highest (Welch)");
        assertThat(header.getAttribute("title")).contains("equals the highest group's (the highest mean; the name"
                + " epoch_d_real tells no better direction)");
        assertThat(rows.get(1).findElements(By.tagName("td"))).extracting(WebElement::getText)
                .containsExactly("0.002", "2", "0.835 ± 0.035355", "0.81", "0.86", "0", "0", "highest");
        assertThat(rows.get(0).findElements(By.tagName("td")).get(7).getText()).isNotIn("best", "highest", "—");
    }

    @Test
    void largeValuesAreWrittenInExponentFormAndCountsInFull() {
        open("/experiment.html?name=tiny-web");
        waitFor("#runs tbody tr", 2);

        // a float32 loss of 6.4e12 holds a whole number: it read 6445540048896 in the runs table, and
        // its chart's axis labels were clipped 15-digit numbers
        assertThat(js("return [Assay.fmt(6445540048896), Assay.fmt(972202508288), Assay.fmt(-2e6), Assay.fmt(123456),"
                + " Assay.fmt(0.5), Assay.fmt(1.5e-4), Assay.int(1234567), Assay.count(2500000, 'point')]"))
                .isEqualTo(List.of("6.446e12", "9.722e11", "-2e6", "123456", "0.5", "1.5e-4", "1234567",
                        "2500000 points"));
        // params: the runs table showed 1.0E-5 where the CLI shows 1e-5 (ValueTextTest holds the same values)
        assertThat(js("return ['0.04110815668956829', '1.2345678901E-7', '1.0E-5', '1.0E12', '2.5E7', '0.001',"
                + " '1000000.0', '64', 'adam'].map(Assay.paramText)")).isEqualTo(List.of("0.0411082", "1.23457e-7",
                        "1e-5", "1e12", "2.5e7", "0.001", "1000000", "64", "adam"));
    }

    @Test
    void aZoomAndTheSeriesSwitchedOffSurviveALivePagesRedraw() {
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);

        // a running run's page redraws its charts every 2 s: the zoom a reader dragged out was undone
        Object after = js("""
                const tick = () => new Promise(done => setTimeout(done, 50)); // uPlot sets its scales in a later task
                return (async () => {
                  const box = document.createElement('div'); box.style.width = '700px'; document.body.append(box);
                  const steps = [...Array(10).keys()];
                  const series = ['a', 'b'].map((label, k) => ({ label, t0: 0, data: { step: steps, epoch: steps.map(() => 1),
                    wallTimeMillis: steps, value: steps.map(i => i * (k + 1)) } }));
                  const opts = { x: 'step', log: false, smoothing: 0 }, view = AssayCharts.newView();
                  let u = AssayCharts.line(box, series, opts, view);
                  await tick();
                  const l = u.valToPos(2, 'x'), r = u.valToPos(5, 'x');
                  u.setSelect({ left: l, width: r - l, top: 0, height: 20 });
                  u.setSeries(2, { show: false });
                  u.setCursor({ left: u.valToPos(4, 'x'), top: 10 }); // the pointer over step 4
                  u.destroy();
                  u = AssayCharts.line(box, series, opts, view);
                  await tick();
                  // the hover readout went blank at every redraw under a pointer that had not moved
                  const legend = [...u.root.querySelectorAll('.u-legend .u-series .u-value')].map(e => e.textContent);
                  return [Math.round(u.scales.x.min * 100) / 100, Math.round(u.scales.x.max * 100) / 100,
                    u.series[1].show, u.series[2].show, u.cursor.idx !== null && u.cursor.idx >= 2,
                    legend[1] === String(u.cursor.idx)]; // series a's value at step i is i
                })();
                """);
        assertThat(after).isEqualTo(List.of(2L, 5L, true, false, true, true));
    }

    @Test
    void aLogScaleOverManyDecadesLabelsPowersOfTenFromBelowItsLowestPoint() {
        // found by a UI check: a loss from 2.36 to 5.4e22 on a log scale had grid lines at 1..9 times every
        // decade (the plot solid grey), labels every 5 decades from 1000, and its scale starting at 2
        List<?> r = drawnYScales(true, "[2.36, 40, 3e9, 1e17, 5.4e22]").get(0);
        assertThat(((Number) r.get(0)).doubleValue()).isEqualTo(1.0);
        assertThat(((Number) r.get(1)).doubleValue()).isEqualTo(1e23);
        String[] labels = ((String) r.get(2)).trim().split(" +");
        assertThat(labels.length).isBetween(4, 9);
        assertThat(labels[0]).isEqualTo("1");
    }

    @Test
    void aDivergingSeriesStillGetsYTicks() {
        // uPlot's default tick steps stop near 5e15: a loss of 1.66e30 had no y tick labels or grid lines at all;
        // an ordinary loss keeps its ticks
        List<String> ticks = drawnYScales(false, "[2.3, 1e29, 9e29, 1.66e30]", "[2.3, 1.5, 0.9, 0.6]").stream()
                .map(r -> (String) r.get(2)).toList();
        assertThat(ticks).allSatisfy(t -> assertThat(t.trim().split(" +").length).isGreaterThanOrEqualTo(3));
        assertThat(ticks.get(0)).contains("e29");
        assertThat(ticks.get(1)).isEqualTo("0.5 1 1.5 2 2.5"); // as uPlot's own steps gave
    }

    @Test
    void aSeriesThatIsZeroThroughoutGetsAnAxisFromZeroToOne() {
        // found by a new-user check: a seq2seq run's exact_match, 0 at every epoch, had an axis from 0 to 100
        List<List<Double>> ranges = drawnYScales(false, "[0, 0, 0]", "[0.25, 0.25, 0.25]", "[0, 0.5, 1]").stream()
                .map(r -> List.of(((Number) r.get(0)).doubleValue(), ((Number) r.get(1)).doubleValue())).toList();
        assertThat(ranges.get(0)).containsExactly(0.0, 1.0);
        // other series keep uPlot's own range: a flat 0.25 around itself, 0..1 padded a little
        assertThat(ranges.get(1).get(0)).isLessThan(0.25);
        assertThat(ranges.get(1).get(1)).isGreaterThan(0.25).isLessThanOrEqualTo(1.0);
        assertThat(ranges.get(2).get(0)).isBetween(-0.2, 0.0);
        assertThat(ranges.get(2).get(1)).isBetween(1.0, 1.2);
    }

    /**
     * Draws a one-series line chart (steps 0, 1, ...) of each array of values on a run page, one after
     * another, and returns each chart's y scale: {@code [min, max, tick labels]}.
     *
     * @param log whether the y scale is logarithmic
     * @param values JavaScript array literals, e.g. {@code "[2.3, 1.5]"}
     */
    private List<List<?>> drawnYScales(boolean log, String... values) {
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);
        Object drawn = js("""
                return (async () => {
                  const box = document.createElement('div'); box.style.width = '700px'; document.body.append(box);
                  const out = [];
                  for (const value of [%s]) {
                    const steps = value.map((v, i) => i);
                    const u = AssayCharts.line(box, [{ label: 'loss', t0: 0, data: { step: steps,
                      epoch: steps.map(() => 1), wallTimeMillis: steps, value } }],
                      { x: 'step', log: %s, smoothing: 0 }, AssayCharts.newView());
                    await new Promise(done => setTimeout(done, 50));
                    out.push([u.scales.y.min, u.scales.y.max, u.root.dataset.yTicks]);
                    u.destroy();
                  }
                  return out;
                })();
                """.formatted(String.join(", ", values), log));
        return ((List<?>) drawn).stream().<List<?>>map(r -> (List<?>) r).toList();
    }

    @Test
    void wallTimeTicksOfAShortRunAreDistinct() {
        // found by a UI check: a 0.1-s run's wall-time axis read "0.078 0.079 0.079 0.08 0.08 0.081"
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);
        Object ticks = js("""
                return (async () => {
                  const box = document.createElement('div'); box.style.width = '700px'; document.body.append(box);
                  const steps = [...Array(40).keys()].map(i => i + 1);
                  const u = AssayCharts.line(box, [{ label: 'loss', t0: 1000, data: { step: steps,
                    epoch: steps.map(() => 1), wallTimeMillis: steps.map(s => 1078 + s / 10), value: steps.map(s => 1 / s) } }],
                    { x: 'wall', log: false, smoothing: 0 }, AssayCharts.newView());
                  await new Promise(done => setTimeout(done, 50));
                  const labels = u.root.dataset.xTicks;
                  u.destroy();
                  return labels;
                })();
                """);
        List<String> labels = List.of(String.valueOf(ticks).split(" "));
        assertThat(labels).hasSizeGreaterThan(2).doesNotHaveDuplicates();
        assertThat(labels).allMatch(l -> l.matches("0\\.0(7|8)\\d+"));
    }

    @Test
    void aDownSampledChartNamesTheLimitNotTheLengthOfItsFirstSeries() throws IOException {
        // found by a UI check: "down-sampled to ≤ 1999 points" (the first series' length) where the limit is 2,000
        String id;
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            double[] loss = new double[5000];
            for (int i = 0; i < loss.length; i++) {
                loss[i] = 1.0 / (1 + i) + (i % 7) * 1e-3;
            }
            id = StoreSeeds.run(store, "long-series", "long", 0, Map.of(), Map.of("batch_loss", loss), RunStatus.COMPLETED);
        }
        open("/run.html?id=" + id);
        WebElement heading = waitFor(".chart[data-metric='loss'] h3", 1).get(0);
        assertThat(heading.getText()).isEqualTo("loss (down-sampled to ≤ 2000 points; min/max kept)");
    }

    @Test
    void aSinglePointChartSpansOneStepEitherSide() {
        open("/run.html?id=" + trained.get(0).runId());
        waitFor(".chart canvas", 1);

        // a test metric's one point at step 18 got an x axis of 0..36; two points keep their own range
        Object ranges = js("""
                return (async () => {
                  const box = document.createElement('div'); box.style.width = '700px'; document.body.append(box);
                  const draw = steps => AssayCharts.line(box, [{ label: 'test_loss', t0: 0, data: { step: steps,
                    epoch: steps.map(() => 1), wallTimeMillis: steps, value: steps.map(() => 0.5) } }],
                    { x: 'step', log: false, smoothing: 0 }, AssayCharts.newView());
                  let u = draw([18]);
                  await new Promise(done => setTimeout(done, 50));
                  const one = [u.scales.x.min, u.scales.x.max]; u.destroy();
                  u = draw([9, 18]);
                  await new Promise(done => setTimeout(done, 50));
                  const two = [u.scales.x.min, u.scales.x.max]; u.destroy();
                  // ticks at whole steps: a 2-step run's axis read 1, 1.1, ... 2 and a one-point chart's 84.2, 84.4
                  const whole = [];
                  for (const steps of [[1, 2], [84]]) {
                    u = draw(steps);
                    await new Promise(done => setTimeout(done, 50));
                    whole.push(u.axes[0]._splits.length > 0 && u.axes[0]._splits.every(Number.isInteger)); u.destroy();
                  }
                  return [one, two, whole];
                })();
                """);
        assertThat(ranges).isEqualTo(List.of(List.of(17L, 19L), List.of(9L, 18L), List.of(true, true)));
    }

    @Test
    void comparingRunsThatLoggedNothingShowsTheirParams() {
        open("/compare.html?runs=" + failedA + "," + failedB);

        // it answered only "The query parameter 'metric' is required." (the series request had no metric)
        waitFor("#params tbody tr.diff", 1);
        assertThat(browser.findElement(By.id("params")).getText()).contains("model.params.filters", "[4]",
                "[4,4,4,4,4,4,4]", "failed");
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
        assertThat(browser.findElement(By.id("charts")).getText()).isEqualTo("None of these runs logged a metric.");
    }

    private static final java.util.function.Supplier<String> WIDEST_SUPPLIER = () -> String.valueOf(((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
            "return document.documentElement.scrollWidth + ' > ' + window.innerWidth + ': ' + [...document.querySelectorAll('body *')].filter(e => !e.closest('table'))"
            + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 6)"
            + ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join('; ')"));

    @Test
    void theHomeExperimentAndRunPagesFitA420PixelWindow() {
        // found by a UI check: at 420 px the experiments table, the groups table, a run's metric
        // summaries and its confusion matrix stuck out past the page's edge
        browser.manage().window().setSize(new Dimension(420, 900));
        try {
            open("/");
            waitFor("#content table tbody tr", 1);
            assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).as(WIDEST_SUPPLIER).isEqualTo(true);
            open("/experiment.html?name=tiny-web");
            waitFor("#groups tbody tr", 1);
            assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).as(WIDEST_SUPPLIER).isEqualTo(true);
            open("/run.html?id=" + trained.get(0).runId());
            waitFor("#metrics tbody tr", 1);
            assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).as(WIDEST_SUPPLIER).isEqualTo(true);
        } finally {
            browser.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    @Test
    void theExperimentAndRunPagesFitAnEightHundredPixelWindow() throws IOException {
        browser.manage().window().setSize(new Dimension(800, 1000));
        try {
            // a 1000-px parallel-coordinates canvas and unwrapped tags widened them to 1022 and 1278 px
            open("/experiment.html?name=parallel");
            waitFor("#parallel[data-lines]", 1);
            screenshot("experiment-800px");
            assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
            open("/run.html?id=" + trained.get(0).runId());
            waitFor("#tags tbody tr", 1);
            waitFor(".chart canvas", 1);
            assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
            // a compare page of runs with long names (many swept values) was 1407 px wide
            String longName;
            try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
                longName = StoreSeeds.run(store, "long-names", "learning_rate=0.0123457 dropout=0.0441292 ".repeat(4),
                        0, Map.of("lr", "0.1"), Map.of("val_loss", new double[] {1.0, 0.5}), RunStatus.COMPLETED);
            }
            open("/compare.html?runs=" + longName + "," + trained.get(0).runId());
            waitFor(".chart canvas", 1);
            assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        } finally {
            browser.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    @Test
    void aWideRunsTableKeepsTheRunNameInViewAndComparedParamNamesStayReadableAtEightHundredPixels()
            throws IOException {
        browser.manage().window().setSize(new Dimension(800, 1000));
        try {
            open("/experiment.html?name=wide");
            waitFor("#runs tbody tr", 2);
            js("document.querySelectorAll('#chooser input:not(:checked)').forEach(c => c.click())");
            waiting(10).until(d -> d.findElements(By.cssSelector("#runs thead th")).size() > 20);
            js("document.querySelector('.scroll').scrollLeft = 600");
            screenshot("experiment-wide-scrolled");
            // the run names scrolled out of view with the other columns
            assertThat(js("const box = document.querySelector('.scroll').getBoundingClientRect();"
                    + " const a = document.querySelector('#runs tbody a').getBoundingClientRect();"
                    + " return a.left >= box.left && document.elementFromPoint(a.left + 2, a.top + a.height / 2)"
                    + ".closest('a') !== null")).isEqualTo(true);

            // the compare page's param names wrapped a few characters a line
            open("/compare.html?runs=" + trained.get(0).runId() + "," + trained.get(1).runId());
            WebElement name = waitFor("#params tbody tr.diff td", 1).get(0);
            screenshot("compare-800px");
            assertThat(name.getText().replace("\n", "")).isEqualTo("training.optimizer.learning_rate");
            assertThat(name.getSize().getHeight()).isLessThan(50);
        } finally {
            browser.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    @Test
    void aLongRunNameTakesAtMostTwoFifthsOfANarrowWindow() {
        // found by a UI check: at 420 px a sweep's run names (505 px) stayed pinned over the whole table, and
        // the columns scrolled under them could never be seen
        String name = "learning_rate=0.1 optimizer.name=adam momentum=0.9 weight_decay=1e-4 dropout=0.5 batch_size=128";
        try (TrackingStore store = TrackingStore.open(TrackingStore.defaultUrl(dir.resolve("db")))) {
            StoreSeeds.run(store, "long-names", name, 0, Map.of("lr", "0.1"), Map.of("val_loss", new double[] {0.5}),
                    RunStatus.COMPLETED);
        }
        browser.manage().window().setSize(new Dimension(420, 900));
        try {
            open("/experiment.html?name=long-names");
            waitFor("#runs tbody tr", 1);
            Number nameWidth = (Number) js("return document.querySelector('#runs tbody td:nth-child(2)').getBoundingClientRect().width");
            Number viewWidth = (Number) js("return window.innerWidth");
            assertThat(nameWidth.doubleValue()).isLessThanOrEqualTo(0.4 * viewWidth.doubleValue() + 1);
            assertThat(browser.findElement(By.cssSelector("#runs tbody td:nth-child(2) a")).getAttribute("title"))
                    .isEqualTo(name);
        } finally {
            browser.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    @Test
    void aParallelAxisOfOneValueLabelsItOnceWhereItsLinesMeet() {
        // found by a UI check: beta1 (0.9 for Adam's runs, absent for the others) read "0.9" at both ends of its
        // axis while its lines met at the unlabelled middle
        open("/experiment.html?name=tiny-web");
        waitFor("#runs tbody tr", 2);
        assertThat(js("""
                const c = document.createElement('canvas'); c.width = 800; c.height = 360; document.body.append(c);
                const runs = [{ params: { beta1: '0.9', lr: '0.1' }, metrics: { m: { last: 1 } }, status: 'completed' },
                  { params: { lr: '0.2' }, metrics: { m: { last: 2 } }, status: 'completed' }];
                AssayParallel.draw(c, runs, ['beta1', 'lr'], 'm');
                return c.dataset.ends;
                """)).isEqualTo("[[\"0.9\"],[\"0.1\",\"0.2\"],[\"1\",\"2\"]]");
    }

    @Test
    void parallelCoordinateTitlesTakeTurnsOnTwoRowsCutToTheirRoom() {
        open("/experiment.html?name=parallel");
        WebElement canvas = waitFor("#parallel[data-titles]", 1).get(0);

        // training.optimizer.beta1 and ...beta2 side by side printed on top of each other
        assertThat(js("""
                const c = document.createElement('canvas'); c.height = 300; c.width = 600;
                const div = document.createElement('div'); div.style.width = '640px'; div.append(c); document.body.append(div);
                const params = [...Array(10).keys()].map(i => 'training.optimizer.parameter_number_' + i);
                const runs = [1, 2].map(k => ({ params: Object.fromEntries(params.map(p => [p, String(k)])),
                  metrics: { m: { last: k } } }));
                AssayParallel.draw(c, runs, params, 'm');
                return JSON.parse(c.dataset.titles).slice(0, 2);
                """)).isEqualTo(List.of("…r_number_0", "…r_number_1"));
        // named as the runs table names them (the full dotted keys were cut from the left)
        assertThat(canvas.getAttribute("data-titles")).contains("\"learning_rate (log)\"", "\"optimizer.name\"")
                .doesNotContain("training.optimizer.learning_rate");
        // a parameter axis's ends read 1.000e-4 (the metric columns' form), not 1e-4 as the runs table writes it
        assertThat(js("const c = document.getElementById('parallel'), t = JSON.parse(c.dataset.titles);"
                + " return JSON.parse(c.dataset.ends)[t.indexOf('learning_rate (log)')]"))
                .isEqualTo(List.of("1e-4", "0.1"));

    }

    @Test
    void aPageOpenedWithoutItsQueryParameterSaysWhatItNeeds() {
        open("/experiment.html");
        // it read "Experiment null"
        assertThat(waitFor("#summary .error", 1).get(0).getText())
                .startsWith("This page needs ?name= in its address, e.g. /experiment.html?name=EXPERIMENT");
        assertThat(browser.findElement(By.id("title")).getText()).isEmpty();
        // and not the empty filter, pickers and plot headings of no experiment (found by a helper)
        assertThat(browser.findElement(By.id("filter")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Param vs metric");
        open("/run.html");
        assertThat(waitFor("#summary .error", 1).get(0).getText()).startsWith("This page needs ?id= in its address");
    }

    @Test
    void aFilterErrorClearsTheRunsItNoLongerDescribesAndTheFilterBoxShowsUnderscores() {
        open("/experiment.html?name=tiny-web");
        waitFor("#runs tbody tr", 2);
        // an underscore fell below the box of a monospace font at line-height: normal
        assertThat(js("return getComputedStyle(document.getElementById('filter')).lineHeight")).isNotEqualTo("normal");

        js("document.getElementById('filter').value = 'metrics.test_acc > 0.5'; document.getElementById('apply').click();");

        waiting(15).until(d -> !d.findElement(By.id("filter-error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("filter-error")).getText()).contains("did you mean 'test_accuracy'");
        assertThat(browser.findElements(By.cssSelector("#runs tbody tr"))).isEmpty();
        assertThat(browser.findElement(By.id("pager")).getText()).isEmpty();
    }

    @Test
    void theRunsTableSaysWhatItsGreyedRowsAreAndTheParallelCoordinatesTellSupersededFromRunningReruns()
            throws InterruptedException {
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        try (TrackingStore store = TrackingStore.open(url)) {
            // trial 0: completed, then a --rerun completed (the first is superseded); trial 1: completed,
            // then a --rerun stopped after one epoch (superseded); trial 2: completed, then a --rerun
            // still running (not counted yet, not superseded)
            for (String[] run : new String[][] {{"0", "COMPLETED"}, {"0", "COMPLETED"}, {"1", "COMPLETED"},
                    {"1", "INTERRUPTED"}, {"2", "COMPLETED"}, {"2", "RUNNING"}}) {
                int trial = Integer.parseInt(run[0]);
                StoreSeeds.run(store, "rerun-marks", "r-" + trial, trial, Map.of("lr", String.valueOf(trial)),
                        Map.of("val_loss", new double[] {1.0 - trial / 10.0}), RunStatus.valueOf(run[1]));
                Thread.sleep(5); // newest is by start time
            }
        }
        open("/experiment.html?name=rerun-marks");
        waitFor("#runs tbody tr", 6);
        waitFor("#parallel[data-lines]", 1);

        assertThat(browser.findElements(By.cssSelector("#runs tr.superseded"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#runs .status-superseded"))).hasSize(2);
        // the badge's tooltip was the only place that said what a greyed row is, and the running
        // rerun was greyed with no word; the parallel coordinates counted it as superseded
        assertThat(browser.findElement(By.id("runs-note")).getText())
                .startsWith("2 superseded runs (greyed): another run of the same trial")
                .contains("1 running rerun (greyed)");
        assertThat(browser.findElement(By.id("parallel-note")).getText())
                .isEqualTo("3 runs; 2 superseded runs and 1 running rerun not drawn");
        assertThat(browser.findElement(By.id("parallel")).getAttribute("data-lines")).isEqualTo("3");

        assertThat(browser.findElement(By.id("runs-note")).getText()).doesNotContain("no heartbeat");

        // a rerun whose process died is told to wait "until it ends" no longer (found by a UI check)
        String runningRerun = (String) js("return [...document.querySelectorAll('#runs tbody tr.superseded')]"
                + ".find(tr => tr.textContent.includes('running')).querySelector('a').href.split('id=')[1]");
        StoreSeeds.lastHeardTwoMinutesAgo(url, runningRerun);
        open("/experiment.html?name=rerun-marks");
        waitFor("#runs tbody tr", 6);
        assertThat(browser.findElement(By.id("runs-note")).getText()).endsWith("1 of them has no heartbeat: its process"
                + " has stopped, and the next run or resume of the experiment records it interrupted.");

        open("/experiment.html?name=tiny-web");
        waitFor("#runs tbody tr", 2);
        assertThat(browser.findElement(By.id("runs-note")).getText()).isEmpty();
    }

    @Test
    void aStaleRunningRunIsBadgedAsHavingNoHeartbeat() {
        open("/experiment.html?name=tiny-web");
        waitFor("#runs tbody tr", 2);

        assertThat(js("const b = Assay.statusBadge('running', true), c = Assay.statusBadge('running', false);"
                + " return [b.textContent, b.className, c.textContent, c.className]"))
                .isEqualTo(List.of("running · no heartbeat", "status status-stale", "running", "status status-running"));
        // a 200-character run name (many swept values) pushed the other columns off the page
        assertThat(js("const l = Assay.runLabel({ runName: 'x'.repeat(200), runId: 'abcdef0123' });"
                + " return [l.length, l.endsWith('…'), Assay.runLabel({ runName: null, runId: 'abcdef0123' })]"))
                .isEqualTo(List.of(60L, true, "abcdef01"));
    }

    @Test
    void theExperimentPageAddsColumnsForParamsThatStartToVaryWhileItIsOpen() {
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        String first;
        try (TrackingStore store = TrackingStore.open(url)) {
            first = StoreSeeds.run(store, "growing", "g-0", 0, Map.of("lr", "0.1"), Map.of("val_loss", new double[] {1.0}),
                    RunStatus.RUNNING);
        }
        open("/experiment.html?name=growing");
        waitFor("#runs tbody tr", 1);
        assertThat(browser.findElements(By.cssSelector("#runs thead th"))).extracting(WebElement::getText)
                .doesNotContain("lr");

        try (TrackingStore store = TrackingStore.open(url)) {
            StoreSeeds.run(store, "growing", "g-1", 1, Map.of("lr", "0.2"), Map.of("val_loss", new double[] {0.5}),
                    RunStatus.COMPLETED);
            store.finishRun(first, RunStatus.COMPLETED, null);
        }

        // the summary updated, but the columns and the parallel axes stayed as at page load
        waiting(20).until(d -> d.findElements(By.cssSelector("#runs thead th"))
                .stream().anyMatch(h -> h.getText().equals("lr")));
        assertThat(browser.findElement(By.id("summary")).getText()).startsWith("2 runs");
        waiting(20).until(d -> "2".equals(
                d.findElement(By.id("parallel")).getAttribute("data-axes")));
        assertThat(js("return document.getElementById('scatter-x').value")).isEqualTo("params.lr");
    }

    @Test
    void metricsThatAppearWhileTheExperimentPageIsOpenBecomeColumns() {
        // found by a UI check: a live page kept its first columns; test_accuracy, logged when a run ended,
        // came only with a reload
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        try (TrackingStore store = TrackingStore.open(url)) {
            StoreSeeds.run(store, "ending", "e-0", 0, Map.of("lr", "0.1"), Map.of("val_loss", new double[] {1.0}),
                    RunStatus.RUNNING);
        }
        open("/experiment.html?name=ending");
        waitFor("#runs tbody tr", 1);
        assertThat(browser.findElements(By.cssSelector("#runs thead th"))).extracting(WebElement::getText)
                .contains("val_loss").doesNotContain("test_accuracy");
        try (TrackingStore store = TrackingStore.open(url)) {
            StoreSeeds.run(store, "ending", "e-1", 1, Map.of("lr", "0.2"), Map.of("val_loss", new double[] {0.5},
                    "test_accuracy", new double[] {0.8}), RunStatus.COMPLETED);
        }
        waiting(20).until(d -> d.findElements(By.cssSelector("#runs thead th"))
                .stream().anyMatch(h -> h.getText().equals("test_accuracy")));
    }

    @Test
    void theFirstMetricsOfAnExperimentsOnlyRunBecomeColumnsWhileItTrains() {
        // found by a UI check: opened as a new experiment's first run started, the page read "1 run · 0
        // metrics" with no metric column until that run ended (its run set never changed)
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        String runId;
        try (TrackingStore store = TrackingStore.open(url)) {
            runId = StoreSeeds.run(store, "first-epoch", "f-0", 0, Map.of("lr", "0.1"), Map.of(), RunStatus.RUNNING);
        }
        open("/experiment.html?name=first-epoch");
        waitFor("#runs tbody tr", 1);
        assertThat(browser.findElement(By.id("summary")).getText()).endsWith("0 metrics");
        try (TrackingStore store = TrackingStore.open(url)) {
            store.appendMetrics(runId, Map.of("val_loss", List.of(new MetricPoint(29, 1, 0.4208, 1))));
        }
        waiting(20).until(d -> d.findElements(By.cssSelector("#runs thead th"))
                .stream().anyMatch(h -> h.getText().equals("val_loss")));
        assertThat(browser.findElement(By.id("summary")).getText()).endsWith("1 metric");
        waiting(10).until(d -> d.findElement(By.cssSelector("#runs tbody tr")).getText().contains("0.4208"));
    }

    @Test
    void theCompareButtonCountsTheSelectedRunsAndThoseTheTableNoLongerShows() {
        // found by a UI check: two runs ticked, then filtered away; no box ticked in view, yet "Compare selected"
        // opened them, and nothing said how many were selected
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        try (TrackingStore store = TrackingStore.open(url)) {
            for (int trial = 0; trial < 4; trial++) {
                StoreSeeds.run(store, "picked", "pk-" + trial, trial, Map.of("lr", "0." + (trial + 1)),
                        Map.of("val_loss", new double[] {1.0 / (trial + 1)}), RunStatus.COMPLETED);
            }
        }
        open("/experiment.html?name=picked");
        List<WebElement> boxes = waitFor("#runs tbody input[type=checkbox]", 4);
        WebElement compare = browser.findElement(By.id("compare"));
        assertThat(compare.getText()).isEqualTo("Compare selected");
        assertThat(browser.findElement(By.id("clear-selection")).isDisplayed()).isFalse();
        boxes.get(0).click();
        boxes.get(1).click();
        assertThat(compare.getText()).isEqualTo("Compare selected (2)");
        assertThat(compare.isEnabled()).isTrue();
        browser.findElement(By.id("filter")).sendKeys("trial > 1");
        browser.findElement(By.id("apply")).click();
        waiting(10).until(d -> d.findElements(By.cssSelector("#runs tbody tr")).size() == 2);
        waiting(10).until(d -> d.findElement(By.id("compare")).getText().equals("Compare selected (2, 2 not in view)"));
        browser.findElement(By.id("clear-selection")).click();
        assertThat(browser.findElement(By.id("compare")).getText()).isEqualTo("Compare selected");
        assertThat(browser.findElement(By.id("compare")).isEnabled()).isFalse();
    }

    @Test
    void anyPageSizeUpToFiveHundredAndAnOffsetOffAPageBoundaryAreTakenFromTheAddress() {
        // found by a helper: limit=5 became 50 without a word, and offset=10 of pages of 25 showed runs 10-34
        // as "page 1 of 3" with runs 0-9 out of reach
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        try (TrackingStore store = TrackingStore.open(url)) {
            for (int trial = 0; trial < 12; trial++) {
                StoreSeeds.run(store, "sized", "s-" + trial, trial, Map.of("lr", String.valueOf(trial + 1)),
                        Map.of("val_loss", new double[] {1.0 / (trial + 1)}), RunStatus.COMPLETED);
            }
        }
        open("/experiment.html?name=sized&limit=5&offset=7");
        waitFor("#runs tbody tr", 5);
        assertThat(browser.findElement(By.id("pager")).getText()).contains("page 2 of 3");
        assertThat(browser.findElements(By.cssSelector("#runs tbody a"))).extracting(WebElement::getText)
                .containsExactly("s-5", "s-6", "s-7", "s-8", "s-9");
        assertThat(js("return document.querySelector('#pager select').value")).isEqualTo("5");
        assertThat((String) js("return location.search")).contains("limit=5", "offset=5");
    }

    @Test
    void anOffsetPastTheLastRunShowsTheLastPage() {
        // found by a UI check: ?offset=100 on 36 runs read "page 3 of 1" over an empty table
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        try (TrackingStore store = TrackingStore.open(url)) {
            for (int trial = 0; trial < 3; trial++) {
                StoreSeeds.run(store, "paged", "p-" + trial, trial, Map.of("lr", "0." + (trial + 1)),
                        Map.of("val_loss", new double[] {1.0 / (trial + 1)}), RunStatus.COMPLETED);
            }
        }
        open("/experiment.html?name=paged&limit=25&offset=100");
        waitFor("#runs tbody tr", 3);
        assertThat(browser.findElement(By.id("pager")).getText()).contains("page 1 of 1");
        assertThat((String) js("return location.search")).doesNotContain("offset=100");
    }

    @Test
    void aSortTheAddressNamesThatIsNoColumnSortsByTrialAndSaysSo() {
        // found by a UI check: ?sort=bogus emptied the table, headers and all, with nothing left to click
        open("/experiment.html?name=parallel&sort=bogus");
        waitFor("#runs tbody tr", PARALLEL_RUNS);
        assertThat(browser.findElement(By.id("filter-error")).getText()).startsWith("Cannot sort by bogus: ")
                .endsWith("Sorted by trial instead.");
        assertThat((String) js("return location.search")).doesNotContain("sort=");
        // a filter that is wrong keeps the sort asked for and says what is wrong with the filter
        open("/experiment.html?name=parallel&sort=trial&filter=" + java.net.URLEncoder.encode("metrics.nosuch > 1",
                java.nio.charset.StandardCharsets.UTF_8));
        waiting(15).until(d -> !d.findElement(By.id("filter-error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("filter-error")).getText()).doesNotStartWith("Cannot sort");
        assertThat((String) js("return location.search")).contains("sort=trial");
    }

    @Test
    void theScatterStartsOnAParamEveryRunHasAndAParamARunLacksReadsADash() {
        // found by a new-user check: the scatter's x was the first varying param in key order, beta1, which
        // one run of four had; and the runs table left beta1 of the sgd runs blank where compare writes "—"
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        String[] optimizers = {"adam", "sgd", "rmsprop", "sgd"};
        try (TrackingStore store = TrackingStore.open(url)) {
            for (int i = 0; i < 4; i++) {
                Map<String, String> params = new java.util.HashMap<>(Map.of("training.optimizer.name", optimizers[i],
                        "training.optimizer.learning_rate", String.valueOf(0.1 * (i + 1)), "training.seed", "42"));
                if (i == 0) {
                    params.put("training.optimizer.beta1", "0.9");
                }
                StoreSeeds.run(store, "mixed-optimizers", "o-" + i, i, params,
                        Map.of("val_loss", new double[] {1.0 - 0.1 * i}), RunStatus.COMPLETED);
            }
        }
        open("/experiment.html?name=mixed-optimizers");
        waitFor("#runs tbody tr", 4);
        assertThat(js("return document.getElementById('scatter-x').value"))
                .isEqualTo("params.training.optimizer.learning_rate");
        List<String> headers = browser.findElements(By.cssSelector("#runs thead th")).stream().map(WebElement::getText)
                .toList();
        int beta1 = headers.indexOf(headers.stream().filter(h -> h.startsWith("beta1")).findFirst().orElseThrow());
        assertThat(browser.findElements(By.cssSelector("#runs tbody tr td:nth-child(" + (beta1 + 1) + ")")))
                .extracting(WebElement::getText).containsExactlyInAnyOrder("0.9", "—", "—", "—");
    }

    @Test
    void comparingWithAnUnknownRunIdShowsTheOthersAndNamesTheUnknownOne() {
        // found by a UI check: one deleted run in a bookmarked comparison left the whole page empty
        String known = trained.get(0).runId();
        open("/compare.html?runs=deadbeef," + known + "," + trained.get(1).runId());
        waitFor("#params thead th", 3);
        assertThat(browser.findElements(By.cssSelector("#params thead th"))).hasSize(3);
        assertThat(browser.findElement(By.id("error")).getText()).startsWith("deadbeef: ");
        waitFor(".chart canvas", 1);
        // but one run left is no comparison (found by a new-user check: a one-series "comparison" was drawn)
        open("/compare.html?runs=deadbeef," + known);
        waiting(15).until(d -> !d.findElement(By.id("error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("error")).getText()).startsWith("deadbeef: ")
                .endsWith(" Compare needs two or more runs; only " + known.substring(0, 8) + " was found. Open its run"
                        + " page to see it alone.");
        assertThat(browser.findElement(By.cssSelector("#error a")).getAttribute("href")).endsWith("/run.html?id=" + known);
        assertThat(browser.findElement(By.id("charts")).isDisplayed()).isFalse();
    }

    @Test
    void theComparePageRefusesOneRunAsTheCliDoes() {
        // found by a helper session: assay compare ID refused one run, the page compared it with nothing
        String id = trained.get(0).runId();
        open("/compare.html?runs=" + id.substring(0, 8));
        waiting(15).until(d -> !d.findElement(By.id("error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("error")).getText()).isEqualTo("Compare needs two or more runs (ids or"
                + " unique prefixes), got one: '" + id.substring(0, 8) + "'. Open its run page to see it alone.");
        assertThat(browser.findElement(By.cssSelector("#error a")).getAttribute("href")).endsWith("/run.html?id="
                + id.substring(0, 8));
        assertThat(browser.findElement(By.id("params")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("charts")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Params", "smoothing");
        // and one run named twice, as the CLI says
        open("/compare.html?runs=" + id.substring(0, 8) + "," + id);
        waiting(15).until(d -> !d.findElement(By.id("error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("error")).getText()).isEqualTo("'" + id.substring(0, 8) + "' and '" + id
                + "' name the same run, " + id + "; compare needs different runs. Open its run page to see it alone.");
        // with the link the README promises (found by a new-user check: it had none)
        assertThat(browser.findElement(By.cssSelector("#error a")).getAttribute("href")).endsWith("/run.html?id=" + id);
        assertThat(browser.findElements(By.cssSelector("#params thead th"))).isEmpty();
    }

    @Test
    void theScatterCountsRunsThatDidNotLogItsMetric() {
        // found by a UI check: a run without the metric was left out of the scatter without a word, while
        // the groups beside it counted it
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        try (TrackingStore store = TrackingStore.open(url)) {
            StoreSeeds.run(store, "partial", "q-0", 0, Map.of("lr", "0.1"), Map.of("val_loss", new double[] {1.0},
                    "test_accuracy", new double[] {0.7}), RunStatus.COMPLETED);
            StoreSeeds.run(store, "partial", "q-1", 1, Map.of("lr", "0.2"), Map.of("val_loss", new double[] {0.9}),
                    RunStatus.COMPLETED);
            StoreSeeds.run(store, "partial", "q-2", 2, Map.of("lr", "9e9"), Map.of("val_loss", new double[] {Double.NaN}),
                    RunStatus.DIVERGED);
        }
        open("/experiment.html?name=partial&by=params.lr&metric=test_accuracy");
        waiting(15).until(d -> !d.findElement(By.id("scatter-note")).getText().isEmpty());
        assertThat(browser.findElement(By.id("scatter-note")).getText()).isEqualTo("1 run that did not complete"
                + " (1 diverged) not shown: their test_accuracy, if any, is from the epoch they stopped at; 1 run without a"
                + " finite test_accuracy not shown");
    }

    @Test
    void aFilterThatMatchesNoRunLeavesThePlotsEmptyWithAMessage() {
        // found by a UI check: the scatter and the parallel axes were drawn over a made-up 0..1 range
        open("/experiment.html?name=parallel&filter=" + java.net.URLEncoder.encode("metrics.val_accuracy > 5",
                java.nio.charset.StandardCharsets.UTF_8));
        waiting(15).until(d -> "true".equals(d.findElement(By.id("scatter")).getAttribute("data-empty"))
                && "true".equals(d.findElement(By.id("parallel")).getAttribute("data-empty")));
        assertThat(browser.findElement(By.id("parallel")).getAttribute("data-axes")).isEqualTo("0");
        open("/experiment.html?name=parallel");
        waiting(15).until(d -> "false".equals(d.findElement(By.id("scatter")).getAttribute("data-empty"))
                && "false".equals(d.findElement(By.id("parallel")).getAttribute("data-empty")));
    }

    @Test
    void theComparePageShowsARunWithoutAHeartbeatAsSuchAndDoesNotRefreshForIt() throws Exception {
        String url = TrackingStore.defaultUrl(dir.resolve("db"));
        String dead;
        try (TrackingStore store = TrackingStore.open(url)) {
            dead = StoreSeeds.run(store, "killed", "k-0", 0, Map.of("lr", "0.1"), Map.of("val_loss", new double[] {1.0}),
                    RunStatus.RUNNING);
        }
        StoreSeeds.lastHeardTwoMinutesAgo(url, dead);
        open("/compare.html?runs=" + dead + "," + trained.get(0).runId());

        // it read "running" and "live: refreshing every 2 s" for good
        waitFor("#params thead .status-stale", 1);
        assertThat(browser.findElement(By.cssSelector("#params thead .status-stale")).getText())
                .isEqualTo("running · no heartbeat");
        assertThat(browser.findElement(By.id("live")).getText()).isEmpty();
    }
}
