package dev.assay.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of {@link Checkpoints} under a run's {@code checkpoints/} directory: complete
 * checkpoints in {@code epoch-NNNN/} (parameters, optimizer state, {@code checkpoint.json}),
 * half-written ones in {@code .epoch-N.tmp/}.
 */
final class CheckpointFiles {

    private static final Pattern EPOCH_DIR = Pattern.compile("epoch-\\d{4,}");
    private static final String METADATA = "checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFiles() {}

    /**
     * Writes a checkpoint's {@code checkpoint.json}.
     *
     * @param dir the checkpoint's directory
     * @param meta epoch, step and last logged step per metric
     * @throws IOException if it cannot be written
     */
    static void writeMetadata(Path dir, Map<String, Object> meta) throws IOException {
        JSON.writeValue(dir.resolve(METADATA).toFile(), meta);
    }

    /**
     * Deletes the {@code .epoch-N.tmp} directories (and the best weights' temporary file, {@link
     * BestWeights}) a stopped process left half-written (a save
     * interrupted by SIGTERM or a kill), before a new {@link Checkpoints} writes any: no checkpoint
     * is ever read from them.
     */
    static void removeUnpublished(Path root) {
        if (root == null || !Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().matches("\\.epoch-\\d+\\.tmp")
                    || p.getFileName().toString().equals("." + BestWeights.FILE + ".tmp")).toList()) {
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear unpublished checkpoints in " + root, e);
        }
    }

    /**
     * Finds the newest complete checkpoint under a directory.
     *
     * @param root a run's {@code checkpoints} directory (may not exist)
     * @return the checkpoint, or empty if there is none
     * @throws UncheckedIOException if the directory or a {@code checkpoint.json} cannot be read
     */
    static Optional<Checkpoint> latest(Path root) {
        List<Path> dirs = epochDirs(root);
        if (dirs.isEmpty()) {
            return Optional.empty();
        }
        Path dir = dirs.get(dirs.size() - 1);
        try {
            Map<String, Object> meta = JSON.readValue(dir.resolve(METADATA).toFile(),
                    new TypeReference<Map<String, Object>>() { });
            Map<String, Long> lastSteps = new LinkedHashMap<>();
            ((Map<?, ?>) meta.get("last_steps")).forEach((k, v) ->
                    lastSteps.put((String) k, ((Number) v).longValue()));
            return Optional.of(new Checkpoint(((Number) meta.get("epoch")).intValue(),
                    ((Number) meta.get("step")).longValue(), lastSteps, dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The complete checkpoint directories, oldest first. */
    static List<Path> epochDirs(Path root) {
        if (root == null || !Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> EPOCH_DIR.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(METADATA)))
                    .sorted(Comparator.comparing(p -> Integer.parseInt(
                            p.getFileName().toString().substring("epoch-".length()))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + root, e);
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
