package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTimesTest {

    @Test
    void namesTheCategoryOfHotSpotsAndAssaysThreads() {
        assertThat(ThreadCpuTimes.category("C2 CompilerThre")).isEqualTo("JIT compiler");
        assertThat(ThreadCpuTimes.category("C1 CompilerThre")).isEqualTo("JIT compiler");
        assertThat(ThreadCpuTimes.category("GC Thread#0")).isEqualTo("GC and VM");
        assertThat(ThreadCpuTimes.category("G1 Conc#0")).isEqualTo("GC and VM");
        assertThat(ThreadCpuTimes.category("VM Thread")).isEqualTo("GC and VM");
        assertThat(ThreadCpuTimes.category("assay-tracking-")).isEqualTo("tracking");
        assertThat(ThreadCpuTimes.category("assay-heartbeat")).isEqualTo("tracking");
        assertThat(ThreadCpuTimes.category("H2 File Lock Wa")).isEqualTo("H2");
        assertThat(ThreadCpuTimes.category("java")).isEqualTo("training and other");
        assertThat(ThreadCpuTimes.category("main")).isEqualTo("training and other");
    }

    @Test
    void chargesABusyThreadsCpuTimeToItsCategory() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
        ThreadCpuTimes before = ThreadCpuTimes.now();
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + 700_000_000L; // 0.7 s of spinning
            long x = 0;
            while (System.nanoTime() < end) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.println(x);
            }
        }, "assay-tracking-test");
        busy.start();
        Thread.sleep(300); // measure while it still spins: a thread that ended leaves /proc
        Map<String, Double> seconds = ThreadCpuTimes.now().secondsSince(before);
        busy.join();
        assertThat(seconds.keySet()).containsExactlyElementsOf(ThreadCpuTimes.CATEGORIES);
        // it spun through the 0.3 s between the snapshots; on a loaded machine it gets less CPU, never more
        assertThat(seconds.get("tracking")).isBetween(0.05, 0.4);
        assertThat(seconds.values()).allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(0.0));
    }
}
