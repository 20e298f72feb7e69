package dev.assay.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.sun.net.httpserver.HttpServer;
import dev.assay.data.ClassificationData;
import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.plugin.Params;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the providers find their files: search order, download, offline fallback. */
class ProviderSourceTest {

    @TempDir Path tmp;

    private NDManager manager;
    private final Map<String, String> env = new HashMap<>();
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private String offlineProperty;

    @BeforeEach
    void createManager() {
        manager = NDManager.newBaseManager();
        // The build sets -Dassay.offline=true for every test; these tests decide for themselves.
        offlineProperty = System.clearProperty(IdxFileLocator.OFFLINE_PROPERTY);
    }

    @AfterEach
    void close() {
        manager.close();
        if (server != null) {
            server.stop(0);
        }
        System.clearProperty(IdxFileLocator.OFFLINE_PROPERTY);
        if (offlineProperty != null) {
            System.setProperty(IdxFileLocator.OFFLINE_PROPERTY, offlineProperty);
        }
    }

    private Path cacheRoot() {
        return tmp.resolve("cache");
    }

    private FashionMnistProvider fashion(IdxDatasetSpec spec) {
        return new FashionMnistProvider(spec, cacheRoot(), env::get);
    }

    private IdxDatasetSpec noSystem() {
        return FashionMnistProvider.SPEC.withSystemDir(tmp.resolve("no-system"));
    }

    private ClassificationData load(IdxDatasetProvider provider, Path... dataDirs)
            throws IOException {
        Params params = Params.resolve(provider.parameters(), Map.of());
        return provider.load(
                params, new DatasetContext(manager, 8, 42, List.of(dataDirs)));
    }

    @Test
    void aFailedDownloadSaysWhyInWords() {
        // a user's check: "download from https://... failed: ConnectException", the client's exception having no message
        assertThat(IdxFileLocator.describe(new java.net.ConnectException()))
                .isEqualTo("could not connect (refused, or no route to the host)");
        java.net.ConnectException unresolved = new java.net.ConnectException();
        unresolved.initCause(new java.nio.channels.UnresolvedAddressException());
        assertThat(IdxFileLocator.describe(unresolved)).isEqualTo("the host name could not be resolved (no network, or no DNS)");
        java.net.ConnectException refused = new java.net.ConnectException();
        refused.initCause(new java.net.ConnectException("Connection refused"));
        assertThat(IdxFileLocator.describe(refused)).isEqualTo("ConnectException: Connection refused");
        assertThat(IdxFileLocator.describe(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out")))
                .isEqualTo("the connection timed out");
        assertThat(IdxFileLocator.describe(new IOException("HTTP 404"))).isEqualTo("HTTP 404");
    }

    @Test
    void trainingFilesMissingSomeClassesAreAWarningNamingThem() throws IOException {
        // found by a dataset check: labels 0-4 only of 10 trained a 10-way classifier without a word
        Path data = tmp.resolve("half");
        IdxFixtures.writeDataset(data, 30, 7, false);
        byte[] labels = IdxFixtures.labels(30);
        for (int i = 8; i < labels.length; i++) {
            labels[i] = (byte) ((i - 8) % 5); // records: 0..29, labels 0-4 only
        }
        java.nio.file.Files.write(data.resolve(IdxDatasetSpec.TRAIN_LABELS), labels);
        try (LogCapture log = new LogCapture()) {
            load(fashion(noSystem()), data);
            assertThat(log.warnings()).contains("fashion-mnist: the 30 training records read hold no example of 5 of"
                    + " its 10 classes [Sandal, Shirt, Sneaker, Bag, Ankle boot], so the model cannot learn them");
        }
        try (LogCapture log = new LogCapture()) {
            IdxFixtures.writeDataset(tmp.resolve("all"), 30, 7, false);
            load(fashion(noSystem()), tmp.resolve("all"));
            assertThat(log.warnings()).noneMatch(w -> w.contains("hold no example"));
        }
    }

    @Test
    void aGzipAndAPlainCopyOfAFileSayWhichIsRead() throws IOException {
        // found by a dataset check: the .gz was read, without a word, beside a plain file the user may have edited
        Path data = tmp.resolve("both");
        IdxFixtures.writeDataset(data, 30, 7, true);
        IdxFixtures.writeDataset(data, 20, 5, false);
        try (LogCapture log = new LogCapture()) {
            assertThat(load(fashion(noSystem()), data).source().trainSamples()).isEqualTo(30);
            assertThat(log.infos()).contains(IdxDatasetSpec.TRAIN_IMAGES + ".gz and " + IdxDatasetSpec.TRAIN_IMAGES
                    + " are both in " + data + "; reading " + IdxDatasetSpec.TRAIN_IMAGES + ".gz");
        }
    }

    @Test
    void aDataDirWinsOverTheSystemDir() throws IOException {
        Path data = tmp.resolve("data");
        IdxFixtures.writeDataset(data, 30, 7, true);
        Path system = tmp.resolve("system");
        IdxFixtures.writeDataset(system, 20, 5, true);

        DataSource source = load(fashion(FashionMnistProvider.SPEC.withSystemDir(system)), data).source();

        assertThat(source.kind()).isEqualTo("data-dir");
        assertThat(source.location()).isEqualTo(data.toString());
        assertThat(source.trainSamples()).isEqualTo(30);
        assertThat(source.testSamples()).isEqualTo(7);
    }

    @Test
    void loadingFromLocalFilesStartsNoHttpClient() throws IOException {
        Path data = tmp.resolve("data");
        IdxFixtures.writeDataset(data, 30, 7, true);
        java.util.Set<String> before = httpClientThreads();

        assertThat(load(fashion(FashionMnistProvider.SPEC), data).source().kind()).isEqualTo("data-dir");

        // an HttpClient keeps a selector thread ("HttpClient-N-SelectorManager") while it exists
        assertThat(httpClientThreads()).as("HTTP client threads started by a load that downloads nothing")
                .isSubsetOf(before);
    }

    private static java.util.Set<String> httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("HttpClient-")).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void aDataDirWinsOverTheRealSystemCopy() throws IOException {
        Path data = tmp.resolve("data");
        IdxFixtures.writeDataset(data.resolve("fashion-mnist"), 30, 7, false);

        DataSource source = load(fashion(FashionMnistProvider.SPEC), data).source();

        assertThat(source.kind()).isEqualTo("data-dir");
        assertThat(source.location()).isEqualTo(data.resolve("fashion-mnist").toString());
        assertThat(source.trainSamples()).isEqualTo(30);
    }

    @Test
    void theSystemDirIsUsedWhenNoDataDirHasTheFiles() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path system = tmp.resolve("system");
        IdxFixtures.writeDataset(system, 20, 5, true);

        DataSource source = load(fashion(FashionMnistProvider.SPEC.withSystemDir(system)), empty).source();

        assertThat(source.kind()).isEqualTo("system");
        assertThat(source.location()).isEqualTo(system.toString());
        assertThat(source.trainSamples()).isEqualTo(20);
    }

    @Test
    void theEnvironmentDataDirComesBeforeTheSystemDir() throws IOException {
        Path envDir = tmp.resolve("env");
        IdxFixtures.writeDataset(envDir.resolve("fashion-mnist"), 12, 4, true);
        Path system = tmp.resolve("system");
        IdxFixtures.writeDataset(system, 20, 5, true);
        env.put(IdxFileLocator.DATA_DIR_ENV, tmp.resolve("missing") + java.io.File.pathSeparator + envDir);

        DataSource source = load(fashion(FashionMnistProvider.SPEC.withSystemDir(system))).source();

        assertThat(source.kind()).isEqualTo("data-dir");
        assertThat(source.trainSamples()).isEqualTo(12);
    }

    @Test
    void aDataDirWithSomeButNotAllFilesFailsInsteadOfFallingBackToTheSubset() throws IOException {
        Path data = tmp.resolve("data");
        Path dir = data.resolve("fashion-mnist");
        IdxFixtures.writeDataset(dir, 10, 3, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        env.put(IdxFileLocator.OFFLINE_ENV, "1");

        // it trained on the bundled 6,000-image subset, with a warning lost in the output
        assertThatThrownBy(() -> load(fashion(noSystem()), data))
                .hasMessage("fashion-mnist: " + dir + " holds 3 of the 4 idx files (train-images-idx3-ubyte.gz,"
                        + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz); missing t10k-labels-idx1-ubyte(.gz)."
                        + " This directory was given (--data-dir or $ASSAY_DATA_DIR), so no other copy and no"
                        + " bundled subset is used in its place: add the missing files (gzipped or not) or leave"
                        + " the directory out.");
    }

    @Test
    void anEnvironmentDataDirWithKaggleFileNamesFailsNamingTheNearMatches() throws IOException {
        Path kaggle = tmp.resolve("kaggle");
        IdxFixtures.writeDataset(kaggle, 10, 3, false);
        for (String stem : IdxDatasetSpec.FILES) {
            Files.move(kaggle.resolve(stem), kaggle.resolve(stem.replace("-idx", ".idx")));
        }
        env.put(IdxFileLocator.DATA_DIR_ENV, kaggle.toString());
        env.put(IdxFileLocator.OFFLINE_ENV, "1");

        assertThatThrownBy(() -> load(fashion(noSystem())))
                .hasMessageStartingWith("fashion-mnist: " + kaggle + " holds 0 of the 4 idx files; missing"
                        + " train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz),"
                        + " t10k-labels-idx1-ubyte(.gz); found near matches t10k-images.idx3-ubyte for"
                        + " t10k-images-idx3-ubyte, t10k-labels.idx1-ubyte for t10k-labels-idx1-ubyte,"
                        + " train-images.idx3-ubyte for train-images-idx3-ubyte, train-labels.idx1-ubyte for"
                        + " train-labels-idx1-ubyte: rename them to the standard names.");
    }

    @Test
    void theUserCacheIsUsedAfterTheSystemDir() throws IOException {
        IdxFixtures.writeDataset(cacheRoot().resolve("fashion-mnist"), 14, 6, true);

        DataSource source = load(fashion(noSystem())).source();

        assertThat(source.kind()).isEqualTo("user-cache");
        assertThat(source.location()).isEqualTo(cacheRoot().resolve("fashion-mnist").toString());
    }

    @Test
    void fingerprintIsTheSha256PrefixOfTheFourFilesInOrder() throws Exception {
        Path data = tmp.resolve("data");
        IdxFixtures.writeDataset(data, 10, 3, true);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String stem : IdxDatasetSpec.FILES) {
            sha.update(Files.readAllBytes(data.resolve(stem + ".gz")));
        }

        DataSource source = load(fashion(noSystem()), data).source();

        assertThat(source.fingerprint())
                .isEqualTo(HexFormat.of().formatHex(sha.digest()).substring(0, 16));
    }

    @Test
    void downloadWithMatchingMd5FillsTheUserCache() throws IOException {
        Map<String, String> md5 = IdxFixtures.writeDataset(tmp.resolve("served"), 16, 4, true);
        String url = serve(tmp.resolve("served"));

        FashionMnistProvider provider = fashion(noSystem().withBaseUrl(url).withMd5(md5));
        DataSource first = load(provider).source();
        DataSource second = load(provider).source();

        assertThat(first.kind()).isEqualTo("download");
        assertThat(first.location()).isEqualTo(url);
        assertThat(first.trainSamples()).isEqualTo(16);
        assertThat(requests).hasValue(4);
        assertThat(second.kind()).isEqualTo("user-cache");
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(requests).hasValue(4);
    }

    @Test
    void downloadWithWrongMd5IsDiscardedAndTheBundledSubsetUsed() throws IOException {
        Map<String, String> md5 = IdxFixtures.writeDataset(tmp.resolve("served"), 16, 4, true);
        md5.put("train-images-idx3-ubyte.gz", "00000000000000000000000000000000");
        String url = serve(tmp.resolve("served"));

        DataSource source = load(fashion(noSystem().withBaseUrl(url).withMd5(md5))).source();

        assertThat(source.kind()).isEqualTo("bundled-subset");
        assertThat(source.trainSamples()).isEqualTo(6000);
        assertThat(requests).hasValue(1);
        try (Stream<Path> left = Files.list(cacheRoot().resolve("fashion-mnist"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFailedDownloadIsNotRetriedByLaterTrialsOfTheSameProcess() throws IOException {
        Map<String, String> md5 = IdxFixtures.writeDataset(tmp.resolve("served"), 16, 4, true);
        md5.put("train-images-idx3-ubyte.gz", "00000000000000000000000000000000");
        String url = serve(tmp.resolve("served"));
        FashionMnistProvider provider = fashion(noSystem().withBaseUrl(url).withMd5(md5));

        DataSource first = load(provider).source();
        DataSource second = load(provider).source();

        assertThat(first.kind()).isEqualTo("bundled-subset");
        assertThat(second.kind()).isEqualTo("bundled-subset");
        assertThat(requests).hasValue(1);
    }

    @Test
    void downloaderRejectsAnMd5MismatchNamingTheUrlAndBothSums() throws IOException {
        Files.createDirectories(tmp.resolve("served"));
        Files.write(tmp.resolve("served/f.gz"), new byte[] {1, 2, 3});
        URI url = URI.create(serve(tmp.resolve("served")) + "f.gz");
        Path target = tmp.resolve("out/f.gz");

        assertThatThrownBy(() -> new IdxDownloader().download(url, target, "abc"))
                .isInstanceOf(IOException.class)
                .hasMessage("MD5 mismatch for " + url + ": expected abc, got "
                        + IdxFixtures.md5(new byte[] {1, 2, 3}) + "; the download was discarded");
        assertThat(target).doesNotExist();
        new IdxDownloader().download(url, target, IdxFixtures.md5(new byte[] {1, 2, 3}));
        assertThat(target).hasBinaryContent(new byte[] {1, 2, 3});
    }

    @Test
    void downloaderReportsAnHttpErrorStatus() throws IOException {
        URI url = URI.create(serve(Files.createDirectories(tmp.resolve("served"))) + "missing.gz");

        assertThatThrownBy(() -> new IdxDownloader().download(url, tmp.resolve("o/m.gz"), "x"))
                .isInstanceOf(IOException.class)
                .hasMessage("HTTP status 404 from " + url);
    }

    @Test
    void offlineEnvironmentSkipsTheDownloadAndUsesTheBundledSubset() throws IOException {
        IdxFixtures.writeDataset(tmp.resolve("served"), 16, 4, true);
        String url = serve(tmp.resolve("served"));
        env.put(IdxFileLocator.OFFLINE_ENV, "1");

        DataSource source = load(fashion(noSystem().withBaseUrl(url))).source();

        assertThat(source.kind()).isEqualTo("bundled-subset");
        assertThat(source.location()).isEqualTo("classpath:/dev/assay/datasets/fashion-mnist-subset");
        assertThat(source.testSamples()).isEqualTo(1000);
        assertThat(requests).hasValue(0);
    }

    @Test
    void offlineSystemPropertyAlsoDisablesTheDownload() throws IOException {
        String url = serve(Files.createDirectories(tmp.resolve("served")));
        System.setProperty(IdxFileLocator.OFFLINE_PROPERTY, "true");

        DataSource source = load(fashion(noSystem().withBaseUrl(url))).source();

        assertThat(source.kind()).isEqualTo("bundled-subset");
        assertThat(requests).hasValue(0);
    }

    @Test
    void mnistWithoutFilesOrDownloadFailsSayingWhereToPutThem() {
        env.put(IdxFileLocator.OFFLINE_ENV, "true");
        MnistProvider mnist = new MnistProvider(
                MnistProvider.SPEC.withSystemDir(tmp.resolve("none")), cacheRoot(), env::get);

        assertThatThrownBy(() -> load(mnist))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("mnist: no local copy was found and downloads are "
                        + "disabled (ASSAY_OFFLINE=1 or -Dassay.offline=true). Looked in [")
                .hasMessageContaining("put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                        + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (gzipped or not)")
                .hasMessageEndingWith("or in " + cacheRoot().resolve("mnist") + ".");
    }

    @Test
    void mnistDownloadsFromItsMirrorAndNamesDigitClasses() throws IOException {
        Map<String, String> md5 = IdxFixtures.writeDataset(tmp.resolve("served"), 11, 3, true);
        String url = serve(tmp.resolve("served"));
        MnistProvider mnist = new MnistProvider(MnistProvider.SPEC.withSystemDir(tmp.resolve("none"))
                .withBaseUrl(url).withMd5(md5), cacheRoot(), env::get);

        ClassificationData data = load(mnist);

        assertThat(data.source().kind()).isEqualTo("download");
        assertThat(data.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(cacheRoot().resolve("mnist/t10k-labels-idx1-ubyte.gz")).exists();
    }

    private String serve(Path dir) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1));
            exchange.getRequestBody().close();
            try (OutputStream out = exchange.getResponseBody()) {
                if (Files.isRegularFile(file)) {
                    byte[] body = Files.readAllBytes(file);
                    exchange.sendResponseHeaders(200, body.length);
                    out.write(body);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }
}
