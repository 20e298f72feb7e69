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

    private static long kib(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).replace("kB", "").trim());
    }
}
