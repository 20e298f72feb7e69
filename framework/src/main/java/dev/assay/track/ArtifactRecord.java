package dev.assay.track;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A file a run produced, listed in the store.
 *
 * @param path the file's path relative to the run's artifact directory, with {@code /} separators
 * @param sizeBytes the file size in bytes, ≥ 0
 */
public record ArtifactRecord(String path, long sizeBytes) {

    /** The longest artifact path the store accepts, in characters. */
    public static final int MAX_PATH_LENGTH = 1000;

    /**
     * Validates the record.
     *
     * @throws IllegalArgumentException if {@code path} is null, blank or longer than {@link
     *     #MAX_PATH_LENGTH}, or {@code sizeBytes} is negative
     */
    public ArtifactRecord {
        if (path == null || path.isBlank() || path.length() > MAX_PATH_LENGTH) {
            throw new IllegalArgumentException(
                    "An artifact path must be 1 to " + MAX_PATH_LENGTH + " characters, got '" + path + "'.");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException(
                    "Artifact '" + path + "' has a negative size: " + sizeBytes + " bytes.");
        }
    }

    /**
     * Lists the regular files under a directory (recursively) as artifacts, ordered by path.
     *
     * @param directory the run's artifact directory; a missing directory yields an empty list
     * @return one record per file, with its path relative to {@code directory} and its size
     * @throws UncheckedIOException if the directory cannot be walked or a size cannot be read
     */
    public static List<ArtifactRecord> listDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<ArtifactRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String relative = directory.relativize(file).toString().replace('\\', '/');
                records.add(new ArtifactRecord(relative, Files.size(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the artifacts in " + directory + ".", e);
        }
        records.sort(Comparator.comparing(ArtifactRecord::path));
        return List.copyOf(records);
    }
}
