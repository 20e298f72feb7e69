package dev.assay.datasets;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The four idx files of a dataset as found, read whole into memory as stored (compressed or not).
 *
 * @param kind how they were found: {@code data-dir}, {@code system}, {@code user-cache},
 *     {@code download} or {@code bundled-subset} (see {@link dev.assay.data.DataSource#kind()})
 * @param location the directory, URL or classpath directory they came from
 * @param names a name per file for error messages (a path, URL or resource), in the order of
 *     {@link IdxDatasetSpec#FILES}
 * @param contents the stored bytes of each file, same order
 */
record LocatedFiles(String kind, String location, List<String> names, List<byte[]> contents) {

    /** Number of hex characters of the SHA-256 kept as the fingerprint. */
    static final int FINGERPRINT_CHARS = 16;

    /**
     * Copies the lists.
     *
     * @throws IllegalArgumentException if there are not exactly four names and four contents
     */
    LocatedFiles {
        names = List.copyOf(names);
        contents = List.copyOf(contents);
        if (names.size() != IdxDatasetSpec.FILES.size() || contents.size() != names.size()) {
            throw new IllegalArgumentException("expected four files, got " + names);
        }
    }

    /**
     * Returns the first 16 hex characters of the SHA-256 over the four files' stored bytes,
     * concatenated in the order of {@link IdxDatasetSpec#FILES}.
     *
     * @return 16 lower-case hex characters
     */
    String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            contents.forEach(sha::update);
            return HexFormat.of().formatHex(sha.digest()).substring(0, FINGERPRINT_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Whether a file is hidden: its name starts with a dot ({@code .DS_Store}, macOS's AppleDouble
     * {@code ._0_2.txt}, an editor's {@code .swp}). Text datasets skip them: read as data they were
     * reviews of binary junk, corpus tokens, or a message file that failed the trial as invalid JSON.
     *
     * @param file the file
     * @return true if its name starts with {@code .}
     */
    static boolean isHidden(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
