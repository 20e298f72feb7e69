package dev.assay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this process's threads, native ones included (MXNet's OpenMP workers), summed by
 * what they do, from {@code /proc/self/task/<tid>/stat} (Linux; see proc(5): fields 14 and 15,
 * {@code utime} and {@code stime}, in clock ticks). A thread is put in a {@link #CATEGORIES
 * category} by its name (the 15-character {@code comm} field): the JIT compiler's threads ({@code
 * C1 CompilerThre}, {@code C2 CompilerThre}), the garbage collector's and the VM thread
 * (safepoints), Assay's tracking threads
 * ({@code assay-tracking-*}, {@code assay-heartbeat}), H2's own ({@code H2 ...}), and everything else:
 * the training thread and the engine's threads. A thread that ended between two snapshots is
 * missing from the second, so differences are meant for intervals in which the threads of
 * interest live throughout (a benchmark child's trials).
 *
 * @param ticks clock ticks per category, in {@link #CATEGORIES} order
 */
record ThreadCpuTimes(Map<String, Long> ticks) {

    /** The categories, in report order. */
    static final List<String> CATEGORIES = List.of("JIT compiler", "GC and VM", "tracking", "H2", "training and other");

    /**
     * Clock ticks per second of {@code /proc}'s times ({@code USER_HZ}): 100 on every Linux
     * architecture that Java runs on (see time(7)); {@code getconf CLK_TCK} prints it.
     */
    static final double TICKS_PER_SECOND = 100;

    /**
     * Reads the times now.
     *
     * @return ticks per category; all zero when {@code /proc/self/task} does not exist (not Linux)
     * @throws UncheckedIOException if {@code /proc/self/task} exists but cannot be listed
     */
    static ThreadCpuTimes now() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        CATEGORIES.forEach(c -> ticks.put(c, 0L));
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return new ThreadCpuTimes(ticks);
        }
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException e) {
                    // the thread ended while we listed: its files are gone (NoSuchFileException), or
                    // it is exiting and the kernel answers ESRCH ("No such process")
                    continue;
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')'); // the name may itself contain parentheses
                if (open < 0 || close < open) {
                    continue; // an exiting thread's stat read back empty
                }
                String[] fields = stat.substring(close + 2).split(" "); // fields[0] is field 3, state
                long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14, 15
                ticks.merge(category(stat.substring(open + 1, close)), used, Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the threads' CPU times under " + tasks + ": "
                    + e.getMessage(), e);
        }
        return new ThreadCpuTimes(ticks);
    }

    /**
     * Names the category of a thread.
     *
     * @param name the thread's {@code comm} name (at most 15 characters)
     * @return one of {@link #CATEGORIES}
     */
    static String category(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return "JIT compiler";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
            return "GC and VM";
        }
        if (name.startsWith("assay-tracking") || name.startsWith("assay-heartbea")) {
            return "tracking";
        }
        if (name.startsWith("H2 ")) {
            return "H2";
        }
        return "training and other";
    }

    /**
     * The CPU seconds per category spent since an earlier snapshot.
     *
     * @param earlier the snapshot taken first
     * @return seconds per category, in {@link #CATEGORIES} order
     */
    Map<String, Double> secondsSince(ThreadCpuTimes earlier) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        ticks.forEach((c, t) -> seconds.put(c, (t - earlier.ticks.getOrDefault(c, 0L)) / TICKS_PER_SECOND));
        return seconds;
    }
}
