package dev.assay.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;
import java.util.zip.CRC32;
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
 *
 * <p>{@code checkpoint.json} lists every other file of its checkpoint with its length in bytes and
 * its CRC-32 (ISO-HDLC, {@link CRC32}), and the best weights' file beside it when there is one, and
 * holds a CRC-32 of its own content; every file is forced to disk before the directory is renamed
 * into place ({@link #seal}). A checkpoint whose metadata cannot be read or whose files do
 * not match it (a disk that lost writes, a file truncated or emptied by hand) is skipped with a
 * warning naming the file, for an older one or, with none left, a trial that starts over: one
 * damaged file failed the trial on every resume ({@code EOFException}), or stopped the whole
 * experiment (an empty {@code checkpoint.json}).
 */
final class CheckpointFiles {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CheckpointFiles.class);
    private static final Pattern EPOCH_DIR = Pattern.compile("epoch-\\d{4,}");
    private static final String METADATA = "checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFiles() {}

    /**
     * Completes a checkpoint's directory before it is published: writes {@code checkpoint.json}
     * ({@code meta} plus {@code files}: each other file's {@code bytes} and {@code crc32}), then
     * forces every file and the directory to disk, so that the rename that publishes it cannot
     * reach the disk before the data it names.
     *
     * @param dir the checkpoint's (temporary) directory, holding its parameter and optimizer files
     * @param meta epoch, step and last logged step per metric
     * @throws IOException if a file cannot be read, written or forced
     */
    static void seal(Path dir, Map<String, Object> meta) throws IOException {
        Map<String, Object> files = new TreeMap<>();
        List<Path> written;
        try (Stream<Path> entries = Files.list(dir)) {
            written = entries.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(METADATA)).sorted().toList();
        }
        for (Path file : written) {
            files.put(file.getFileName().toString(), Map.of("bytes", Files.size(file), "crc32", crc32(file)));
            force(file);
        }
        Map<String, Object> all = new LinkedHashMap<>(meta);
        all.put("files", files);
        // and the metadata's own CRC-32: a digit changed in last_steps cut the metric history silently
        all.put("crc32", crc32(JSON.writeValueAsBytes(all)));
        JSON.writeValue(dir.resolve(METADATA).toFile(), all);
        force(dir.resolve(METADATA));
        force(dir);
    }

    /**
     * Forces a file's or directory's content and metadata to disk ({@code fsync}). A directory
     * that cannot be opened for it (some file systems and platforms refuse) is left as it is.
     *
     * @param path a regular file or a directory
     * @throws IOException if a regular file cannot be forced
     */
    static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(path)) {
                throw e;
            }
        }
    }

    /** The CRC-32 of bytes, as an unsigned value. */
    static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** The CRC-32 of a file's bytes, as an unsigned value. */
    static long crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                crc.update(buffer);
                buffer.clear();
            }
        }
        return crc.getValue();
    }

    /**
     * Deletes the {@code .epoch-N.tmp} directories (and the best weights' temporary file that
     * versions before 3 Dec 2026 wrote beside them, {@link BestWeights}) a stopped process left
     * half-written (a save
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
     * Finds the newest usable checkpoint under a directory: the newest complete one whose {@code
     * checkpoint.json} reads and whose files match the lengths and CRC-32s it lists (one written
     * before the list existed is taken as it reads). Each newer one that fails is skipped with a
     * warning naming its directory and what is wrong.
     *
     * @param root a run's {@code checkpoints} directory (may not exist)
     * @return the checkpoint, or empty if there is none or none is usable (the trial starts over)
     * @throws UncheckedIOException if the directory cannot be listed
     */
    static Optional<Checkpoint> latest(Path root) {
        List<Path> dirs = epochDirs(root);
        warnWithoutMetadata(root, dirs);
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Path dir = dirs.get(i);
            try {
                return Optional.of(read(dir));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Checkpoint {} is unusable: {}; {}", dir, e.getMessage(), i > 0
                        ? "trying the one before it" : "its trial starts over from epoch 1 in a new run");
            }
        }
        return Optional.empty();
    }

    /** Warns about epoch directories without a checkpoint.json (deleted): they were passed over silently. */
    private static void warnWithoutMetadata(Path root, List<Path> complete) {
        if (root == null || !Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(p -> EPOCH_DIR.matcher(p.getFileName().toString()).matches()).filter(p -> !complete.contains(p))
                    .sorted().forEach(p -> LOG.warn("Checkpoint {} is unusable: it has no {}; passed over", p, METADATA));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + root, e);
        }
    }

    /**
     * Reads and checks one checkpoint directory.
     *
     * @throws IOException naming the file that cannot be read or does not match its listing
     */
    private static Checkpoint read(Path dir) throws IOException {
        Path metadata = dir.resolve(METADATA);
        Map<String, Object> meta;
        try {
            meta = JSON.readValue(metadata.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IOException(metadata + " cannot be read (" + Files.size(metadata) + " bytes): "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (meta == null || !(meta.get("epoch") instanceof Number epoch) || !(meta.get("step") instanceof Number step)
                || !(meta.get("last_steps") instanceof Map<?, ?> steps)) {
            throw new IOException(metadata + " lacks its epoch, step or last_steps");
        }
        boolean legacy = !meta.containsKey("files") && !meta.containsKey("crc32"); // written before 2 Dec
        if (!legacy) {
            if (!(meta.get("crc32") instanceof Number written)) {
                throw new IOException(metadata + " lacks its crc32");
            }
            Map<String, Object> rest = new LinkedHashMap<>(meta);
            rest.remove("crc32");
            if (crc32(JSON.writeValueAsBytes(rest)) != written.longValue()) {
                throw new IOException(metadata + " does not hold what was written (CRC-32 differs)");
            }
            if (!(meta.get("files") instanceof Map<?, ?> files)) {
                throw new IOException(metadata + " lacks its list of files");
            }
            for (Map.Entry<?, ?> listed : files.entrySet()) {
                check(dir.resolve(String.valueOf(listed.getKey())), (Map<?, ?>) listed.getValue());
            }
            // written before 3 Dec 2026: the best epoch's weights were one file beside the epoch directories
            if (meta.get("best_weights") instanceof Map<?, ?> best) {
                check(dir.getParent().resolve(BestWeights.FILE), best);
            }
        }
        Map<String, Long> lastSteps = new LinkedHashMap<>();
        steps.forEach((k, v) -> lastSteps.put((String) k, ((Number) v).longValue()));
        return new Checkpoint(epoch.intValue(), step.longValue(), lastSteps, dir);
    }

    /** Fails unless a file has the length and CRC-32 listed for it. */
    private static void check(Path file, Map<?, ?> expected) throws IOException {
        long bytes = ((Number) expected.get("bytes")).longValue();
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is missing");
        }
        if (Files.size(file) != bytes) {
            throw new IOException(file + " holds " + Files.size(file) + " bytes, " + bytes + " were written");
        }
        if (crc32(file) != ((Number) expected.get("crc32")).longValue()) {
            throw new IOException(file + " does not hold the bytes written (CRC-32 differs)");
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
