package dev.assay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import one.profiler.AsyncProfiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Profiles a benchmark JVM with async-profiler ({@code tools.profiler:async-profiler}, whose jar
 * carries the native library for Linux x64 and arm64 and macOS; <a
 * href="https://github.com/async-profiler/async-profiler">github.com/async-profiler/async-profiler</a>),
 * for {@code assay bench --profile EVENT}: the benchmark JVM and each of its child JVMs write where
 * their time went, by thread, as a flame graph ({@code NAME.html}, self-contained, opens offline)
 * and as collapsed stacks ({@code NAME.collapsed}: one line per distinct stack, frames joined by
 * {@code ;}, then the sample count), which a script can sum and compare between two profiles.
 *
 * <p>The events ({@link #EVENTS}): {@code cpu} samples threads while they run on a CPU (perf
 * events, or a per-thread timer where perf events are not allowed), every {@value #INTERVAL};
 * {@code itimer} the same with {@code setitimer}; {@code wall} samples every thread whether it runs
 * or waits, every {@value #INTERVAL} of wall time (where a trial's time goes, waiting on the engine
 * or the store included); {@code alloc} samples Java heap allocations (TLAB refills and objects
 * outside TLABs); {@code lock} samples contended Java monitors and locks. Samples are split by
 * thread ({@code threads}): each flame graph's first level is a thread.
 *
 * <p>Child JVMs that train on PyTorch are not profiled: with async-profiler sampling (3.0 and 4.0,
 * events {@code cpu} and {@code itimer}, with or without native stacks) a PyTorch 2.7.1 child of
 * (c) ends within seconds with glibc's "corrupted size vs. prev_size" (the profiler loaded but not
 * started is harmless; 3 Dec 2026, Linux x86-64); MXNet children and the rest are profiled.
 *
 * <p>A profiled run measures the profiled JVMs, whose figures carry the profiler's cost (about 1%
 * of CPU at this interval for {@code cpu}, more for {@code wall} with many threads) and, for (d),
 * its memory (tens of MiB of resident set): use it to see where time goes, not for the published
 * figures.
 */
public final class BenchProfiler {

    /** The async-profiler events {@code --profile} accepts. */
    public static final List<String> EVENTS = List.of("cpu", "wall", "itimer", "alloc", "lock");

    /** System property of a child JVM: the event to profile with (unset: no profiling). */
    static final String EVENT_PROPERTY = "assay.bench.profile";

    /** System property of a child JVM: where its profile goes, without the extension. */
    static final String FILE_PROPERTY = "assay.bench.profile_file";

    /** The sampling interval of the {@code cpu}, {@code itimer} and {@code wall} events. */
    static final String INTERVAL = "10ms";

    private static final Logger LOG = LoggerFactory.getLogger(BenchProfiler.class);

    private static volatile BenchResults.Profile current;
    private static final Set<String> NAMES_GIVEN = ConcurrentHashMap.newKeySet();

    private final AsyncProfiler profiler;
    private final Path file;

    private BenchProfiler(AsyncProfiler profiler, Path file) {
        this.profiler = profiler;
        this.file = file;
    }

    /**
     * Checks an event name given on the command line.
     *
     * @param event the name, any case
     * @return it in lower case
     * @throws IllegalArgumentException if it is not one of {@link #EVENTS}
     */
    public static String event(String event) {
        String e = event == null ? "" : event.strip().toLowerCase(Locale.ROOT);
        if (!EVENTS.contains(e)) {
            throw new IllegalArgumentException("Unknown profiling event '" + event + "'; use one of "
                    + String.join(", ", EVENTS) + ".");
        }
        return e;
    }

    /**
     * Starts profiling this JVM.
     *
     * @param event one of {@link #EVENTS}
     * @param file where {@link #stop} writes, without extension: {@code file.html} and {@code
     *     file.collapsed}
     * @return the running profiler
     * @throws IllegalStateException if async-profiler cannot be loaded on this platform or refuses
     *     to start (the message says why and that {@code --profile} can be left out)
     */
    static BenchProfiler start(String event, Path file) {
        try {
            Files.createDirectories(file.getParent());
            AsyncProfiler profiler = AsyncProfiler.getInstance();
            String interval = event.equals("cpu") || event.equals("itimer") || event.equals("wall")
                    ? ",interval=" + INTERVAL : "";
            profiler.execute("start,event=" + event + interval + ",threads");
            return new BenchProfiler(profiler, file);
        } catch (IOException | IllegalStateException | IllegalArgumentException | UnsatisfiedLinkError
                | SecurityException e) {
            throw new IllegalStateException("Cannot start async-profiler (event " + event + ") on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ": " + e.getMessage()
                    + ". Run the benchmarks without --profile.", e);
        }
    }

    /**
     * Starts profiling a child JVM if its parent asked for it ({@link #EVENT_PROPERTY} and {@link
     * #FILE_PROPERTY} set by {@link #childOptions}); the profile is written as the JVM exits (a
     * shutdown hook, so also when the parent ends the child with SIGTERM), a failure to write it
     * printed to standard error, the child's log.
     *
     * @return the running profiler, or null when not asked
     * @throws IllegalStateException as {@link #start}
     */
    static BenchProfiler startIfAsked() {
        String event = System.getProperty(EVENT_PROPERTY);
        String file = System.getProperty(FILE_PROPERTY);
        if (event == null || file == null) {
            return null;
        }
        BenchProfiler profiler = start(event, Path.of(file));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                profiler.stop();
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }, "assay-bench-profile"));
        return profiler;
    }

    /**
     * Returns whether this run profiles its child JVMs, which then write their profiles as they
     * exit (so {@link ChildJvm#close} waits for that).
     *
     * @return true while a profiling {@link BenchSuite#run} runs
     */
    static boolean profilesChildren() {
        return current != null;
    }

    /**
     * Stops profiling and writes the flame graph ({@code file.html}) and the collapsed stacks
     * ({@code file.collapsed}).
     *
     * @throws UncheckedIOException if the profiler cannot write them
     */
    void stop() {
        Path html = file.resolveSibling(file.getFileName() + ".html");
        try {
            profiler.execute("dump,collapsed,file=" + file.resolveSibling(file.getFileName() + ".collapsed"));
            profiler.execute("stop,file=" + html);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the profile " + html + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes child JVMs started from now on profile themselves with the run's event into its
     * directory; null: stop that.
     */
    static void profileChildren(BenchResults.Profile profile) {
        NAMES_GIVEN.clear();
        current = profile;
    }

    /**
     * The JVM options that make a child profile itself, when this run profiles.
     *
     * @param log the child's log file, e.g. {@code .../separate-mlp-3/runner.log}: its profile is
     *     named after it and its directory ({@code separate-mlp-3-runner}; {@code memory} for
     *     {@code .../memory/memory.log}, {@code throughput-MXNet} for a log right in the run's scratch
     *     directory), with {@code -2},
     *     {@code -3} ... where an earlier child of the run was given that name
     * @param jvmOptions the child's JVM options so far: a child whose engine is PyTorch ({@code
     *     -Dai.djl.default_engine=PyTorch}) is not profiled (see the class comment)
     * @return the options, empty when this run does not profile or the child runs PyTorch
     */
    static List<String> childOptions(Path log, List<String> jvmOptions) {
        BenchResults.Profile p = current;
        if (p == null) {
            return List.of();
        }
        if (jvmOptions.stream().anyMatch(o -> o.equalsIgnoreCase("-Dai.djl.default_engine=PyTorch"))) {
            LOG.warn("Not profiling the PyTorch child {}: async-profiler's sampling ends a PyTorch JVM with glibc"
                    + " heap corruption", log.getFileName());
            return List.of();
        }
        String stem = log.getFileName().toString().replaceFirst("\\.log$", "");
        Path parent = log.getParent() == null ? null : log.getParent().getFileName();
        String name = parent == null || stem.contains(parent.toString())
                || parent.toString().startsWith(BenchSuite.SCRATCH_PREFIX) ? stem : parent + "-" + stem;
        String unique = name;
        for (int i = 2; !NAMES_GIVEN.add(unique); i++) {
            unique = name + "-" + i;
        }
        return List.of("-D" + EVENT_PROPERTY + "=" + p.event(), "-D" + FILE_PROPERTY + "=" + Path.of(p.dir(), unique));
    }
}
