package dev.assay.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code assay bench} runs.
 *
 * @param sections benchmark letters among {@code a b c d}
 * @param size {@link BenchSize#TINY} or {@link BenchSize#FULL}
 * @param outDir where the JSON results file is written, e.g. {@code bench/results}
 * @param engines engines for (c), e.g. {@link ThroughputBench#ENGINES}
 * @param command the command line recorded with the results
 * @param profile the async-profiler event every benchmark JVM is profiled with ({@link
 *     BenchProfiler#EVENTS}), or null (the default) for no profiling
 */
public record BenchOptions(Set<String> sections, BenchSize size, Path outDir, List<String> engines, String command,
        String profile) {

    /** All four sections. */
    public static final Set<String> ALL = Set.of("a", "b", "c", "d");

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if no section is chosen, a section is not one of {@code a b c
     *     d}, an engine is neither MXNet nor PyTorch (any case; the names are made DJL's), a size,
     *     directory or engine list is missing, or the profiling event is not one of {@link
     *     BenchProfiler#EVENTS}
     */
    public BenchOptions {
        if (sections == null || sections.isEmpty()) {
            throw new IllegalArgumentException("Choose at least one benchmark section among a, b, c, d.");
        }
        for (String s : sections) {
            if (!ALL.contains(s)) {
                throw new IllegalArgumentException("Unknown benchmark section '" + s + "'; use a, b, c or d.");
            }
        }
        if (size == null || outDir == null || engines == null || engines.isEmpty()) {
            throw new IllegalArgumentException("A size, an output directory and at least one engine are required.");
        }
        sections = Set.copyOf(new TreeSet<>(sections));
        engines = engines.stream().map(BenchOptions::engine).distinct().toList();
        profile = profile == null ? null : BenchProfiler.event(profile);
    }

    /**
     * Options without profiling.
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public BenchOptions(Set<String> sections, BenchSize size, Path outDir, List<String> engines, String command) {
        this(sections, size, outDir, engines, command, null);
    }

    /**
     * The DJL name of an engine given in any case ({@code pytorch}, as experiment files write it).
     *
     * @throws IllegalArgumentException if it names neither engine: a child JVM failed on it with
     *     "Unknown default engine" and the run wrote a file of no figures
     */
    private static String engine(String name) {
        return ThroughputBench.ENGINES.stream().filter(e -> e.equalsIgnoreCase(name == null ? "" : name.strip()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("Unknown engine '" + name + "'; use "
                        + String.join(" or ", ThroughputBench.ENGINES) + " (any case)."));
    }
}
