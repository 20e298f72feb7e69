package dev.assay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory from {@code /proc/self/status} (Linux).
 *
 * @param rssKiB {@code VmRSS}: resident set size now, in KiB
 * @param hwmKiB {@code VmHWM}: the peak resident set size so far, in KiB
 */
public record ProcStatus(long rssKiB, long hwmKiB) {

    /**
     * Reads the current figures.
     *
     * @return them
     * @throws UncheckedIOException if {@code /proc/self/status} cannot be read (not Linux)
     * @throws IllegalStateException if it lacks {@code VmRSS} or {@code VmHWM}
     */
    public static ProcStatus read() {
        long rss = -1;
        long hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read /proc/self/status (the memory benchmark needs Linux).", e);
        }
        if (rss < 0 || hwm < 0) {
            throw new IllegalStateException("/proc/self/status has no VmRSS or VmHWM line.");
        }
        return new ProcStatus(rss, hwm);
    }

    /**
     * Resets this process's {@code VmHWM} to its current {@code VmRSS} (writes {@code 5} to {@code
     * /proc/self/clear_refs}, Linux 4.0+; {@code Documentation/filesystems/proc.rst}), so that the
     * next {@link #read()}'s {@code hwmKiB} is the peak since this call.
     *
     * @return false where the kernel refused it (older than 4.0, or no {@code /proc})
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).replace("kB", "").trim());
    }
}
