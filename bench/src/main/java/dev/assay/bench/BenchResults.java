package dev.assay.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Everything one {@code assay bench} run measured, as written to {@code bench/results/*.json}.
 *
 * @param createdAt when the run started, ISO-8601 UTC
 * @param size {@code tiny} or {@code full}
 * @param sections the sections run, e.g. {@code [a, b, c, d]}
 * @param command the command line that reproduces it
 * @param elapsedSeconds wall time of the whole run, in seconds
 * @param machine the machine, with load averages before and after
 * @param rows the figures, in section order
 * @param errors one sentence per section that failed to run (empty when all ran)
 * @param profile null for a run that was not profiled; else the async-profiler event and the
 *     directory of the profiles, whose figures carry the profiler's cost ({@link BenchProfiler})
 */
public record BenchResults(String createdAt, String size, List<String> sections, String command,
        double elapsedSeconds, MachineInfo machine, List<BenchRow> rows, List<String> errors, Profile profile) {

    /**
     * How a run was profiled.
     *
     * @param event one of {@link BenchProfiler#EVENTS}
     * @param dir the directory of the flame graphs and collapsed stacks, one pair per JVM
     */
    public record Profile(String event, String dir) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** Copies the lists. */
    public BenchResults {
        sections = List.copyOf(sections);
        rows = List.copyOf(rows);
        errors = List.copyOf(errors);
    }

    /**
     * Counts the rows whose target was missed.
     *
     * @return rows with {@code pass == false}
     */
    public long missedTargets() {
        return rows.stream().filter(r -> Boolean.FALSE.equals(r.pass())).count();
    }

    /**
     * Writes this as indented JSON to {@code dir/bench-<size>-<yyyyMMdd-HHmmss>.json} (UTC start
     * time), creating the directory.
     *
     * @param dir the output directory, e.g. {@code bench/results}
     * @return the file written
     * @throws UncheckedIOException if the directory or file cannot be written
     */
    public Path write(Path dir) {
        Path file = dir.resolve("bench-" + size + "-" + fileTime(Instant.parse(createdAt)) + ".json");
        try {
            Files.createDirectories(dir);
            JSON.writeValue(file.toFile(), this);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the benchmark results to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The start time as the results' and profiles' names give it.
     *
     * @param time an instant
     * @return {@code yyyyMMdd-HHmmss} in UTC
     */
    static String fileTime(Instant time) {
        return FILE_TIME.format(time);
    }

    /**
     * Reads results written by {@link #write}.
     *
     * @param file the JSON file
     * @return the results
     * @throws UncheckedIOException if the file cannot be read or is not such a document
     */
    public static BenchResults read(Path file) {
        try {
            return JSON.readValue(file.toFile(), BenchResults.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read benchmark results from " + file + ": " + e.getMessage(), e);
        }
    }
}
