package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        Thread busy = new Thread(() -> {
            // spin until this thread itself has used 0.2 s of CPU, however loaded the machine is, then wait
            // (alive, so /proc still lists it) until the snapshot is taken
            java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
            long x = 0;
            while (bean.getCurrentThreadCpuTime() < 200_000_000L) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.println(x);
            }
            spun.countDown();
            try {
                measured.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "assay-tracking-test");
        busy.start();
        spun.await();
        Map<String, Double> seconds = ThreadCpuTimes.now().secondsSince(before);
        measured.countDown();
        busy.join();
        assertThat(seconds.keySet()).containsExactlyElementsOf(ThreadCpuTimes.CATEGORIES);
        // 0.2 s in clock ticks of 10 ms, counted by the kernel apart from the JVM's own clock
        assertThat(seconds.get("tracking")).isBetween(0.17, 0.3);
        assertThat(seconds.values()).allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(0.0));
    }

    @Test
    void threadsEndingWhileTheTimesAreReadAreLeftOut() throws Exception {
        // a JVM starting MXNet ends a short-lived thread of Assay's at start-up; reading its stat while it
        // exited failed with "No such process" (ESRCH), not NoSuchFileException, and a benchmark child died
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread churn = new Thread(() -> {
            while (!stop.get()) {
                Thread shortLived = new Thread(() -> { });
                shortLived.start();
                try {
                    shortLived.join();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        churn.start();
        try {
            for (int i = 0; i < 3000; i++) {
                assertThat(ThreadCpuTimes.now().ticks()).containsOnlyKeys(ThreadCpuTimes.CATEGORIES);
            }
        } finally {
            stop.set(true);
            churn.join();
        }
    }
}
