package dev.assay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The machine a benchmark ran on.
 *
 * @param cores logical processors the JVM sees ({@link Runtime#availableProcessors()})
 * @param cpuModel the first {@code model name} in {@code /proc/cpuinfo} with the processor's
 *     vendor, family, model and widest vector instruction set ({@link
 *     dev.assay.run.CpuInfo#describe()}: {@code AMD EPYC (AuthenticAMD family 25 model 1, AVX2)}), or
 *     {@code unknown}
 * @param memoryMiB total memory from {@code /proc/meminfo} in MiB, or -1 when unreadable
 * @param os name, version and architecture
 * @param jvm VM name and Java version
 * @param engines deep-learning engine name to its version, for every engine a benchmark loaded
 *     (plus DJL's own version under {@code DJL})
 * @param loadBefore {@code /proc/loadavg} (1, 5, 15-minute load averages) before the run
 * @param loadAfter {@code /proc/loadavg} after the run
 */
public record MachineInfo(int cores, String cpuModel, long memoryMiB, String os, String jvm,
        Map<String, String> engines, String loadBefore, String loadAfter) {

    /** Copies the engine map (sorted). */
    public MachineInfo {
        engines = Map.copyOf(new TreeMap<>(engines));
    }

    /**
     * Describes this machine now; engines are added as benchmarks load them.
     *
     * @return the description with {@code loadAfter} empty
     */
    public static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(),
                dev.assay.run.CpuInfo.read().describe(),
                procField("/proc/meminfo", "MemTotal").map(MachineInfo::kibToMib).orElse(-1L),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Map.of(), loadAverage(), "");
    }

    /**
     * Returns a copy with more engines.
     *
     * @param more engine name to version
     * @return the copy
     */
    public MachineInfo withEngines(Map<String, String> more) {
        Map<String, String> all = new TreeMap<>(engines);
        all.putAll(more);
        return new MachineInfo(cores, cpuModel, memoryMiB, os, jvm, all, loadBefore, loadAfter);
    }

    /**
     * Returns a copy with the load average read now as {@code loadAfter}.
     *
     * @return the copy
     */
    public MachineInfo finished() {
        return new MachineInfo(cores, cpuModel, memoryMiB, os, jvm, engines, loadBefore, loadAverage());
    }

    /**
     * Reads {@code /proc/loadavg}: the 1, 5 and 15-minute load averages and runnable/total tasks.
     *
     * @return the line, or {@code unknown} where there is no such file
     */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The value of the first {@code name: value} line of a /proc file. */
    private static Optional<String> procField(String file, String name) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(l -> l.startsWith(name) && l.indexOf(':') > 0)
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long kibToMib(String kib) {
        return Long.parseLong(kib.replace("kB", "").trim()) / 1024;
    }
}
