package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.MetricPoint;
import dev.assay.track.NewRun;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code assay export --metrics} to CSV of a long series, in a heap that holds the series. */
class ExportLargeSeriesTest {

    @TempDir
    Path dir;

    @Test
    void csvSeriesExportStreamsItsRowsInsteadOfBuildingOneMapPerPoint() throws Exception {
        // 1,000,000 points: the series read takes ~40 MB; a map per point (before) took ~700 MB more
        // and ran out of this 256 MB heap (4,000,000 points ran out of 1 GB, where the JSON export fits)
        int n = 1_000_000;
        Path store = dir.resolve("store");
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
            String id = db.createRun(new NewRun("long", "", "long-run", 0, "k", 1, "", "{}", Map.of("lr", "0.1"), Map.of()));
            List<MetricPoint> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                points.add(new MetricPoint(i, i / 1000 + 1, i == 7 ? Double.NaN : i * 0.5, 1_000L + i));
                if (points.size() == 100_000) {
                    db.appendMetrics(id, Map.of("loss", points));
                    points = new ArrayList<>();
                }
            }
            db.finishRun(id, RunStatus.COMPLETED, null);
        }
        Path out = dir.resolve("long.csv");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process export = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "export", "long", "--metrics", "-o", out.toString(), "--store", store.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("export.log").toFile()).start();
        assertThat(export.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(export.exitValue()).as(Files.readString(dir.resolve("export.log"))).isZero();
        try (var lines = Files.lines(dir.resolve("long.csv.metrics.csv"), StandardCharsets.UTF_8)) {
            List<String> some = new ArrayList<>();
            long[] count = {0};
            lines.forEach(l -> {
                if (count[0]++ < 10) {
                    some.add(l);
                }
            });
            assertThat(count[0]).isEqualTo(n + 1);
            assertThat(some.get(0)).isEqualTo("run_id,metric,step,epoch,value,wall_time_ms");
            assertThat(some.get(2)).endsWith(",loss,1,1,0.5,1001");
            assertThat(some.get(8)).endsWith(",loss,7,1,NaN,1007");
        }
    }
}
