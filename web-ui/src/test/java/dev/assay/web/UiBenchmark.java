package dev.assay.web;

import dev.assay.track.MetricPoint;
import dev.assay.track.NewRun;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The web UI benchmark of issue 4 (a {@code main}, not a test; not run by {@code mvn verify}). Builds
 * a store in a temporary directory with 10,000 runs × 20 params, one 1,000,000-point series and 20
 * runs × 100,000 points, starts the server, and prints the HTTP round-trip time on loopback (server
 * work plus JSON transfer) of (a) one page of the runs table sorted by a metric, (b) one series
 * down-sampled to 2,000 points, (c) the compare view's data for 20 runs × 100,000 points. Series
 * times are given uncached (a different {@code points} value per request, so the server's cache
 * misses) and cached. How to run it: see the README, "Web UI".
 */
public final class UiBenchmark {

    private static final PrintStream OUT = System.out;
    private static final int REPEATS = 10;

    private UiBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args ignored
     * @throws Exception if building the store or a request fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("assay-ui-bench");
        String url = TrackingStore.defaultUrl(dir);
        long t0 = System.nanoTime();
        List<String> compareRuns;
        String bigRun;
        try (TrackingStore store = TrackingStore.open(url)) {
            manyRuns(store);
            bigRun = series(store, "big", 1, 1_000_000).get(0);
            compareRuns = series(store, "compare", 20, 100_000);
        }
        OUT.printf("store built in %.1f s at %s%n", (System.nanoTime() - t0) / 1e9, dir);
        try (AssayWebServer server = AssayWebServer.start(url, "127.0.0.1", 0)) {
            Http http = new Http(server.port());
            measure("(a) runs page: 10,000 runs x 20 params, 50 rows sorted by metrics.val_accuracy desc",
                    i -> "/api/runs?experiment=many&sort=metrics.val_accuracy&order=desc&limit=50&offset=" + (i * 50), http);
            measure("(a') runs page with filter params.p01 > 0.5 and metrics.val_accuracy > 0.3+i/1000, sorted",
                    i -> "/api/runs?experiment=many&sort=metrics.val_accuracy&order=desc&filter="
                            + Http.q("params.p01 > 0.5 and metrics.val_accuracy > " + (0.3 + i / 1000.0)), http);
            measure("(a'') column list (first call = uncached; H2 reuses identical query results after)",
                    i -> "/api/columns?experiment=many", http);
            measure("(b) 1,000,000-point series down-sampled to 2,000, uncached",
                    i -> "/api/series?metric=loss&run=" + bigRun + "&points=" + (2000 - i - 1), http);
            measure("(b') same, cached", i -> "/api/series?metric=loss&run=" + bigRun + "&points=2000", http);
            String runs = String.join(",", compareRuns);
            measure("(c) compare data: 20 runs x 100,000 points, 2,000 per series, uncached",
                    i -> "/api/series?metric=loss&run=" + runs + "&points=" + (2000 - i - 1), http);
            measure("(c') same, cached", i -> "/api/series?metric=loss&run=" + runs + "&points=2000", http);
        }
    }

    private static void measure(String what, IntFunction<String> path, Http http) {
        long first = System.nanoTime();
        http.get(path.apply(REPEATS + 5));
        double firstMs = (System.nanoTime() - first) / 1e6;
        double[] ms = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            Http.Response r = http.get(path.apply(i));
            ms[i] = (System.nanoTime() - start) / 1e6;
            if (r.status() != 200) {
                throw new IllegalStateException(what + ": HTTP " + r.status() + " " + r.body());
            }
        }
        Arrays.sort(ms);
        OUT.printf("%-95s first %7.1f ms  median %7.1f  min %7.1f  max %7.1f%n", what, firstMs, ms[REPEATS / 2], ms[0],
                ms[REPEATS - 1]);
    }

    private static void manyRuns(TrackingStore store) {
        for (int i = 0; i < 10_000; i++) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int p = 0; p < 20; p++) {
                params.put(String.format("p%02d", p), p % 4 == 0 ? "opt" + (i + p) % 3 : Double.toString(((i * 7919L + p * 104729L) % 1000) / 1000.0));
            }
            String id = store.createRun(new NewRun("many", null, "run-" + i, i, "k" + i, i, null, null, params, Map.of()));
            double acc = ((i * 48271L) % 10_000) / 10_000.0;
            store.appendMetrics(id, Map.of("val_accuracy", List.of(new MetricPoint(1, 1, acc, 0)),
                    "val_loss", List.of(new MetricPoint(1, 1, 1 - acc, 0))));
            store.finishRun(id, RunStatus.COMPLETED, null);
        }
    }

    private static List<String> series(TrackingStore store, String experiment, int runs, int points) {
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            String id = store.createRun(new NewRun(experiment, null, "run-" + r, r, null, r, null, null, Map.of(), Map.of()));
            List<MetricPoint> list = new ArrayList<>(points);
            for (int i = 0; i < points; i++) {
                double v = Math.exp(-i / (double) points) + 0.01 * Math.sin(i * 0.37 + r) + (i == points / 3 ? 5 : 0);
                list.add(new MetricPoint(i, 1 + i / 1000, v, 1_700_000_000_000L + i));
            }
            store.appendMetrics(id, Map.of("loss", list));
            store.finishRun(id, RunStatus.COMPLETED, null);
            ids.add(id);
        }
        return ids;
    }
}
