package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PeriodicGcTest {

    @Test
    void setsTheIntervalInThisJvmAndRecordsIt() {
        assumeTrue(PeriodicGc.runsG1(), "the test JVM runs G1 on machines of 2+ cores and 2+ GiB");
        Long inForce = PeriodicGc.apply();
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assertThat(hotSpot.getVMOption(PeriodicGc.FLAG).getValue()).isEqualTo("5000");
        assertThat(inForce).isEqualTo(5000L);
        assertThat(System.getProperty(PeriodicGc.PROPERTY)).isEqualTo("5000");
    }

    @Test
    void anIdleJvmIsCollectedOnceTheIntervalPasses() throws Exception {
        // without the flag set, an idle JVM that has allocated a little is not collected for seconds
        assertThat(probe(List.of("-XX:+UseG1GC"), "0")).isEqualTo("in force 0, collections 0");
        assertThat(probe(List.of("-XX:+UseG1GC"), "200")).matches("in force 200, collections [1-9][0-9]*");
    }

    @Test
    void leavesAnIntervalTheUserGaveAndOtherCollectorsAlone() throws Exception {
        assertThat(probe(List.of("-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=0"), "200"))
                .isEqualTo("in force 0, collections 0");
        assertThat(probe(List.of("-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=60000"), "200"))
                .isEqualTo("in force 60000, collections 0");
        assertThat(probe(List.of("-XX:+UseSerialGC"), "200")).isEqualTo("in force null (not G1), collections 0");
    }

    /** Runs {@link Probe} in a child JVM with the given options; returns its answer line. */
    private static String probe(List<String> jvmOptions, String intervalMs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Xmx256m");
        cmd.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Probe.class.getName(), intervalMs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    /**
     * The child: applies the interval given ("0": does not apply it), allocates a little, then idles
     * 1.5 s and prints the interval in force and the collections counted while idle.
     */
    public static final class Probe {
        /**
         * Runs the probe.
         *
         * @param args the interval in milliseconds, or 0 to leave the flag as it is
         */
        public static void main(String[] args) throws InterruptedException {
            long interval = Long.parseLong(args[0]);
            Long inForce = interval == 0 ? Long.valueOf(0) : PeriodicGc.apply(interval);
            byte[][] garbage = new byte[64][];
            for (int i = 0; i < 64; i++) {
                garbage[i] = new byte[16 * 1024]; // 1 MiB in all: in eden, far from filling it
            }
            long before = collections();
            Thread.sleep(1_500);
            long during = collections() - before;
            String setting = inForce == null ? "null (" + System.getProperty(PeriodicGc.PROPERTY) + ")" : inForce.toString();
            System.out.println("in force " + setting + ", collections " + during);
        }

        private static long collections() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
        }
    }
}
