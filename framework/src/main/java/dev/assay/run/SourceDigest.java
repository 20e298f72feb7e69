package dev.assay.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of an experiment file: every run records the SHA-256 of the file's bytes when its
 * sweep started, so {@code assay resume} can tell that the file changed since and refuse to plan
 * other trials under the same experiment.
 */
public final class SourceDigest {

    /** Run tag holding the digest: 64 lowercase hex digits. */
    public static final String TAG = "assay.source_sha256";

    private SourceDigest() {}

    /**
     * The SHA-256 of a file's bytes (FIPS 180-4).
     *
     * @param file the file
     * @return 64 lowercase hex digits
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalStateException if the JVM offers no SHA-256 (every Java SE JVM must)
     */
    public static String of(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }
}
