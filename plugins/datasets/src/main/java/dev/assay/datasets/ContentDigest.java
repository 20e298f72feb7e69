package dev.assay.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A SHA-256 over the bytes of every file read, in reading order, for a run's data fingerprint. */
final class ContentDigest {

    private final MessageDigest digest;

    /** Creates an empty digest. */
    ContentDigest() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /**
     * Reads a file as UTF-8 (malformed bytes replaced) and adds its bytes to the digest.
     *
     * @param file the file
     * @return its text
     * @throws IOException if it cannot be read; "... does not exist" (naming the directory it was
     *     looked for in) when it is missing, where Java's own message is the bare path
     */
    String read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file.getFileName() + " does not exist in " + file.toAbsolutePath().getParent(), e);
        }
        digest.update(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Adds bytes to the digest.
     *
     * @param bytes the bytes
     */
    void update(byte[] bytes) {
        digest.update(bytes);
    }

    /**
     * Returns the first 16 hex digits of the digest.
     *
     * @return the fingerprint
     */
    String fingerprint() {
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }
}
