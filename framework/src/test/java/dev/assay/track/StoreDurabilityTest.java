package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a writer was told is stored survives a {@code kill -9} of the process that serves the
 * store (H2's {@code AUTO_SERVER}: the first process to open the file serves the others). With
 * H2's default write delay of 500 ms such a kill lost runs and metric points (found by a
 * durability check: a run marked completed missing an epoch, runs that vanished after creation).
 */
class StoreDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void committedRunsAndPointsSurviveAKillOfTheServingProcess() throws Exception {
        String url = TrackingStore.defaultUrl(dir);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Serve.class.getName(), url)
                .redirectErrorStream(true)
                .start();
        String runId;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            do { // after its log lines
                line = out.readLine();
            } while (line != null && !line.equals("serving"));
            assertThat(line).isEqualTo("serving");
            TrackingStore client = TrackingStore.open(url);
            runId = client.createRun(new NewRun("durable", "", "r", 0, "k", 1, "", "{}", Map.of(), Map.of()));
            client.appendMetrics(runId, Map.of("train_loss", List.of(new MetricPoint(1, 1, 2.5, 1),
                    new MetricPoint(2, 1, 1.5, 2))));
            client.finishRun(runId, RunStatus.COMPLETED, null);
            server.destroyForcibly(); // at once: the commits are at most milliseconds old
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            client.close(); // finds the server gone, which is no error: everything was committed
        }
        try (TrackingStore reopened = TrackingStore.open(url)) {
            RunRecord run = reopened.run(runId).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(reopened.metric(runId, "train_loss")).extracting(MetricPoint::value).containsExactly(2.5, 1.5);
        }
    }

    /** Opens the store first, so that it serves the file to the test's process, and waits to be killed. */
    public static final class Serve {
        private Serve() {}

        /**
         * Serves the store.
         *
         * @param args the JDBC URL
         * @throws Exception if the store cannot be opened
         */
        public static void main(String[] args) throws Exception {
            try (TrackingStore store = TrackingStore.open(args[0])) {
                System.out.println("serving");
                System.out.flush();
                Thread.sleep(120_000);
            }
        }
    }
}
