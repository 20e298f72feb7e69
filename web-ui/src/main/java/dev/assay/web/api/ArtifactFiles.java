package dev.assay.web.api;

import dev.assay.track.ArtifactRecord;
import dev.assay.track.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a run's artifact files under the artifact root ({@code <root>/<runId>/<path>}). Only a
 * path the store lists for the run is served, and only when it resolves (after normalizing and
 * following links) to a regular file inside the run's directory.
 */
public final class ArtifactFiles {

    private static final Map<String, String> TYPES = Map.of(
            "png", "image/png",
            "jpg", "image/jpeg",
            "jpeg", "image/jpeg",
            "gif", "image/gif",
            "json", "application/json",
            "txt", "text/plain; charset=utf-8",
            "log", "text/plain; charset=utf-8",
            "csv", "text/plain; charset=utf-8",
            "yaml", "text/plain; charset=utf-8",
            "md", "text/plain; charset=utf-8");
    /** The content type of any other file; it is sent as an attachment. */
    public static final String BINARY = "application/octet-stream";

    private final Path root;

    /**
     * Creates the resolver.
     *
     * @param root the artifact root; each run's files lie under {@code root/<runId>/}
     */
    public ArtifactFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * Returns the artifact root.
     *
     * @return the absolute, normalized root
     */
    public Path root() {
        return root;
    }

    /**
     * Finds a listed artifact file of a run.
     *
     * @param run the run
     * @param requested the path relative to the run's artifact directory, as requested
     * @return the file, or empty if the path is not listed, escapes the run's directory or is not a
     *     regular file
     */
    public Optional<Path> find(RunRecord run, String requested) {
        if (requested == null || requested.isBlank() || requested.indexOf('\0') >= 0 || requested.contains("\\")) {
            return Optional.empty();
        }
        try {
            Path runDir = root.resolve(run.runId()).normalize();
            Path file = runDir.resolve(requested).normalize();
            if (!file.startsWith(runDir) || file.equals(runDir)) {
                return Optional.empty();
            }
            String relative = runDir.relativize(file).toString().replace('\\', '/');
            boolean listed = run.artifacts().stream().map(ArtifactRecord::path).anyMatch(relative::equals);
            if (!listed || !Files.isRegularFile(file)) {
                return Optional.empty();
            }
            Path real = file.toRealPath();
            Path realRunDir = runDir.toRealPath();
            return real.startsWith(realRunDir) && Files.isRegularFile(real) ? Optional.of(real) : Optional.empty();
        } catch (InvalidPathException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns the content type for a file name, by its extension.
     *
     * @param name the file name or path
     * @return e.g. {@code image/png}; {@link #BINARY} for unknown extensions
     */
    public static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, BINARY);
    }

    /**
     * Returns the default artifact root for a store URL: {@code <dir>/artifacts} for the embedded H2
     * file store of {@code TrackingStore.defaultUrl(dir)}, else {@code ./assay-runs/artifacts} (as
     * the command line's {@code --store} option defaults).
     *
     * @param jdbcUrl the store URL
     * @return the artifact root
     */
    public static Path defaultRoot(String jdbcUrl) {
        try {
            Path db = dev.assay.track.TrackingStore.embeddedFile(jdbcUrl);
            if (db != null && db.getFileName() != null && db.getFileName().toString().equals("assay")
                    && db.getParent() != null) {
                return db.getParent().resolve("artifacts");
            }
        } catch (InvalidPathException e) {
            // falls through to the default
        }
        return Path.of("assay-runs").resolve("artifacts");
    }
}
