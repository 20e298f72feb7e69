package dev.assay.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** This process's CPU time, all threads together: a measure that load from other processes does not inflate. */
final class CpuClock {

    private CpuClock() {}

    /**
     * Returns the CPU time this process has used so far.
     *
     * @return nanoseconds, or -1 where the JVM cannot tell
     */
    static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
