package dev.assay.run;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Has the G1 collector run a collection after {@value #INTERVAL_MS} ms without one (HotSpot's
 * manageable flag {@value #FLAG}, from JEP 346 "Promptly Return Unused Committed Memory from G1",
 * JDK 12), unless the user set the flag; {@link EngineSelection#claim} calls {@link #apply()} when a
 * process first commits to an engine, so every training process ({@code assay run}, its
 * {@code --parallel} workers, the benchmarks' children) gets it.
 *
 * <p>Why: a training process allocates little on the Java heap (the README's (d) trial, a 10-epoch
 * CNN on the 6,000-image Fashion-MNIST subset, has about 14 MiB live), so with the launcher's
 * {@code -Xmx4g} G1 sized the young generation for its pause-time goal and then went 25 s without a
 * collection while the garbage of batches, metrics and checkpoints (DJL's {@code NDArray.encode}
 * buffers, humongous at 1 MiB and more) filled eden and humongous regions up to 153 MiB: the
 * resident set grew for 5-8 epochs as G1 wrote pages of its committed heap (220 MiB) for the first
 * time, though nothing leaked (the heap's resident part 94 → 154 MiB; {@code bench/results/HISTORY.md},
 * session 31). With a collection at least every 5 s the same trial's heap stayed at 56 MiB resident
 * from epoch 2 on and G1 gave the rest back (committed 220 → 60 MiB at its remark pauses), in five
 * runs out of five (3 Dec 2026, AMD EPYC Zen 3, 2 vCPUs). Each such collection is a concurrent cycle
 * (a young pause of about 4 ms, a remark of 10-13 ms, marking the few live MiB), at most one per
 * 5 s and only when the application has not caused one itself; under a steady allocation rate
 * (metric ingestion, {@code assay bench}'s (b)) they never happen. A heap that grows although
 * collections run is a leak, so the memory check sees leaks sooner, not later.
 *
 * <p>To turn it off or choose another interval, pass the flag to the JVM
 * ({@code ASSAY_JAVA_OPTS="-Xmx4g -XX:G1PeriodicGCInterval=0"}); a value given on the command line is
 * left as it is, as is one set at run time ({@code jcmd PID VM.set_flag}). With another collector the flag has no effect and nothing is set.
 */
public final class PeriodicGc {

    /** HotSpot's flag: milliseconds without a collection after which G1 starts one (0: never). */
    public static final String FLAG = "G1PeriodicGCInterval";

    /** The interval set where the user set none, in milliseconds. */
    public static final long INTERVAL_MS = 5_000;

    /**
     * Assay's system property that holds, once {@link #apply()} has run, the flag's value in force
     * in milliseconds, or {@code not G1} / {@code unavailable} (another collector, a JVM without the
     * flag); recorded in each run's engine settings.
     */
    public static final String PROPERTY = "assay.g1_periodic_gc_interval_ms";

    private PeriodicGc() {}

    /**
     * Sets {@value #FLAG} to {@value #INTERVAL_MS} if this JVM runs G1 and the flag has its default
     * value, and records the value in force as {@link #PROPERTY}. Safe to call more than once;
     * never throws (a JVM that refuses the flag leaves it as it was).
     *
     * @return the value in force in milliseconds, or {@code null} where the flag does not apply
     */
    public static synchronized Long apply() {
        return apply(INTERVAL_MS);
    }

    /** {@link #apply()} with another interval (tests: a short one to see a collection happen). */
    static synchronized Long apply(long intervalMs) {
        boolean g1 = runsG1();
        Long inForce = g1 ? set(intervalMs) : null;
        System.setProperty(PROPERTY, inForce != null ? inForce.toString() : g1 ? "unavailable" : "not G1");
        return inForce;
    }

    /**
     * Returns whether this JVM's collector is G1 (its collector beans are named "G1 Young
     * Generation", "G1 Old Generation", and in JDK 20+ "G1 Concurrent GC").
     *
     * @return true for G1
     */
    static boolean runsG1() {
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        return collectors.stream().anyMatch(c -> c.getName().startsWith("G1 "));
    }

    private static Long set(long intervalMs) {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotSpot == null) {
                return null;
            }
            VMOption option = hotSpot.getVMOption(FLAG);
            if (option.getOrigin() == VMOption.Origin.DEFAULT) {
                hotSpot.setVMOption(FLAG, Long.toString(intervalMs));
            }
            return Long.parseLong(hotSpot.getVMOption(FLAG).getValue());
        } catch (IllegalArgumentException | SecurityException e) {
            return null; // no such flag (not HotSpot, or older than JDK 12), or not writable here
        }
    }
}
