package dev.assay.datasets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SHA-256 over every file read, in reading order, for a run's data fingerprint: each file's name
 * and length, then its bytes, and the {@linkplain #section sections} (a split, a class folder) the
 * reader marks; also counts the text files that were not valid UTF-8, for one warning per dataset.
 * The bytes alone, back to back, gave the same fingerprint to data whose file moved from one class
 * folder or split to the next (a review relabelled from neg to pos, a line moved from
 * wiki.train.tokens to wiki.valid.tokens).
 */
final class ContentDigest {

    private static final Logger LOG = LoggerFactory.getLogger(ContentDigest.class);

    private final MessageDigest digest;
    private final String dataset;
    private int malformedFiles;
    private String firstMalformed;

    /** Creates an empty digest for a dataset named {@code dataset} in messages. */
    ContentDigest() {
        this("dataset");
    }

    /**
     * Creates an empty digest.
     *
     * @param dataset the dataset's name for the warning of {@link #warnIfMalformed()}, e.g. {@code imdb}
     */
    ContentDigest(String dataset) {
        this.dataset = dataset;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /**
     * Reads a file as UTF-8 and adds its name, length and bytes to the digest. Bytes that are not
     * UTF-8 (a Latin-1 {@code é}) become U+FFFD and the file is counted for {@link
     * #warnIfMalformed()}. A leading byte order mark (U+FEFF) is left out of the text: it became a
     * token of its own, or part of the first word.
     *
     * @param file the file
     * @return its text, without a leading byte order mark
     * @throws IOException if it cannot be read; "... does not exist" (naming the directory it was
     *     looked for in) when it is missing, where Java's own message is the bare path; if it holds
     *     a NUL byte, which no UTF-8 text does (a binary or compressed file, or UTF-16 text)
     */
    String read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file.getFileName() + " does not exist in " + file.toAbsolutePath().getParent(), e);
        }
        requireText(file, bytes);
        section(file.getFileName() + "\u0000" + bytes.length);
        digest.update(bytes);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.UTF_8);
            if (malformedFiles++ == 0) {
                int at = text.indexOf('\uFFFD');
                firstMalformed = file + ":" + (1 + text.substring(0, Math.max(at, 0)).chars().filter(c -> c == '\n').count());
            }
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * Marks where the files read next belong (e.g. {@code train/pos}), so that the same bytes
     * under another split or class give another fingerprint.
     *
     * @param name the section's name
     */
    void section(String name) {
        digest.update((name + "\u0000").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Refuses bytes that are not text: a NUL byte occurs in no UTF-8 text, and in every binary,
     * compressed or UTF-16 file of any length (a compressed file given to {@code text-corpus} was
     * trained on, with only the warning about malformed UTF-8).
     */
    private static void requireText(Path file, byte[] bytes) throws IOException {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                long line = 1;
                for (int j = 0; j < i; j++) {
                    line += bytes[j] == '\n' ? 1 : 0;
                }
                boolean gzip = bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b;
                throw new IOException(file + " is not a text file: byte " + i + " (line " + line + ") is NUL, as in"
                        + " binary, compressed or UTF-16 files" + (gzip ? " (it is gzip-compressed: gunzip it)"
                        : "") + "; give UTF-8 text");
            }
        }
    }

    /**
     * Logs one warning if any file read so far was not valid UTF-8, with their number and the
     * first one's {@code file:line}; does nothing when all were valid or it has warned already.
     */
    void warnIfMalformed() {
        if (malformedFiles > 0 && firstMalformed != null) {
            LOG.warn("{}: {} file(s) are not valid UTF-8, e.g. {}; their malformed bytes were read as U+FFFD,"
                    + " which changes the words and the vocabulary. Convert them to UTF-8 (e.g. iconv -f latin1"
                    + " -t utf-8)", dataset, malformedFiles, firstMalformed);
            firstMalformed = null;
        }
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
