package dev.assay.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Waits, before a timed part of a benchmark, until the JIT compiler has finished what the
 * untimed set-up before it queued (opening a store runs Flyway's migration and H2's parser, whose
 * methods the compiler threads may still be compiling): until {@link
 * CompilationMXBean#getTotalCompilationTime()} has not advanced for {@value #IDLE_MILLIS} ms, or
 * {@value #MAX_MILLIS} ms at most. Compilation that the timed code itself causes still runs in
 * its window. Without compilation-time monitoring, returns at once. The total advances only when a
 * compilation ends, so one compilation running longer than {@value #IDLE_MILLIS} ms reads as idle
 * (C2 compiles of this project's methods take milliseconds to tens of milliseconds).
 */
final class CompilerIdle {

    /** How long the compiler must have been idle: 200 ms. */
    static final long IDLE_MILLIS = 200;
    /** The longest wait: 10 s. */
    static final long MAX_MILLIS = 10_000;

    private CompilerIdle() {}

    /**
     * Waits as described above.
     *
     * @return the milliseconds waited
     */
    static long await() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
            return 0;
        }
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);
        long total = compiler.getTotalCompilationTime();
        long idleSince = start;
        while (System.nanoTime() - idleSince < TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = compiler.getTotalCompilationTime();
            if (now != total) {
                total = now;
                idleSince = System.nanoTime();
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
