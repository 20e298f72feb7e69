package dev.assay.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of the Java heap's address range is resident, so that a process's resident set can be
 * split into the Java heap and everything else (engine buffers, the C heap, metaspace, code, thread
 * stacks). G1 commits heap regions long before it first writes them, and a page counts in
 * {@code VmRSS} only from its first write, so the resident set of a healthy JVM grows while the
 * young generation fills for the first time although the committed heap stays flat; the part
 * outside the heap is what a native leak would grow.
 *
 * <p>The heap's range comes from HotSpot's own log line ({@code -Xlog:gc+heap+coops=debug}, which
 * prints {@code Heap address: 0x..., size: N MB} at start-up; {@link #LOG_OPTION}); its resident
 * part is the sum of the {@code Rss} of the mappings in {@code /proc/self/smaps} that lie inside
 * that range (G1 maps the reserved heap as one range whose committed parts are mappings of their
 * own). Linux only.
 *
 * @param startAddress the heap's first byte
 * @param sizeBytes the heap's reserved size in bytes ({@code -Xmx})
 */
public record HeapResidency(long startAddress, long sizeBytes) {

    /** The documented form of {@link #logOption}, for messages. */
    public static final String LOG_OPTION = "-Xlog:gc+heap+coops=debug";

    /** The log line's pattern: {@code Heap address: 0x0000000700000000, size: 4096 MB, ...}. */
    private static final Pattern HEAP_LINE = Pattern.compile("Heap address: 0x([0-9a-fA-F]+), size: (\\d+) MB");

    /** A mapping's header in {@code smaps}: {@code 700000000-710000000 rw-p ...}. */
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ");

    /**
     * The JVM option that writes the heap's range to {@code logFile}, for {@link #fromLog}.
     *
     * @param logFile where HotSpot writes the line
     * @return the option, e.g. {@code -Xlog:gc+heap+coops=debug:file=/tmp/x/heap.log}
     */
    public static String logOption(Path logFile) {
        return LOG_OPTION + ":file=" + logFile;
    }

    /**
     * Reads the heap's range from a log written under {@link #logOption}.
     *
     * @param logFile the log file
     * @return the range, or empty if the file is missing or holds no such line (compressed oops
     *     off, a collector or JVM that does not print it)
     */
    public static Optional<HeapResidency> fromLog(Path logFile) {
        if (!Files.isReadable(logFile)) {
            return Optional.empty();
        }
        try {
            return parse(Files.readString(logFile));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Finds the heap's range in HotSpot's log text.
     *
     * @param logText the log's text
     * @return the range of the first {@code Heap address} line, or empty if there is none
     */
    static Optional<HeapResidency> parse(String logText) {
        Matcher m = HEAP_LINE.matcher(logText);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new HeapResidency(Long.parseUnsignedLong(m.group(1), 16), Long.parseLong(m.group(2)) << 20));
    }

    /**
     * Sums the resident set of the mappings inside the heap's range, from this process's
     * {@code /proc/self/smaps}.
     *
     * @return resident KiB of the Java heap
     * @throws UncheckedIOException if {@code /proc/self/smaps} cannot be read (not Linux)
     */
    public long residentKiB() {
        try (BufferedReader in = Files.newBufferedReader(Path.of("/proc/self/smaps"))) {
            return residentKiB(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read /proc/self/smaps (the memory benchmark needs Linux).", e);
        }
    }

    /**
     * Sums the {@code Rss} of the mappings inside the heap's range in {@code smaps} text.
     *
     * @param smaps the text, mapping by mapping
     * @return resident KiB inside the range
     * @throws IOException if reading fails
     */
    long residentKiB(BufferedReader smaps) throws IOException {
        long end = startAddress + sizeBytes;
        boolean inside = false;
        long kib = 0;
        for (String line = smaps.readLine(); line != null; line = smaps.readLine()) {
            Matcher m = MAPPING.matcher(line);
            if (m.find()) {
                long from = Long.parseUnsignedLong(m.group(1), 16);
                long to = Long.parseUnsignedLong(m.group(2), 16);
                inside = from >= startAddress && to <= end;
            } else if (inside && line.startsWith("Rss:")) {
                kib += Long.parseLong(line.substring(4).replace("kB", "").trim());
            }
        }
        return kib;
    }
}
