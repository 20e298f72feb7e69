package dev.assay.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file over HTTP(S) with {@link HttpClient}, checks its MD5 and moves it into place
 * atomically, so that a target file, once present, is always complete and verified.
 */
final class IdxDownloader {

    /** Connect timeout: 10 seconds. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Whole-request timeout per file: 10 minutes (the largest file is 26 MB). */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(IdxDownloader.class);

    /** Made at the first download: an HTTP client keeps a selector thread alive while it exists. */
    private HttpClient client;

    /**
     * Downloads {@code url} to {@code target}: streams it to a temporary file in the target's
     * directory while computing the MD5, then moves it over {@code target} atomically.
     *
     * @param url the file's URL
     * @param target where the verified file goes; its directory is created if missing
     * @param expectedMd5 the expected MD5, lower-case hex
     * @throws IOException if the connection fails, the status is not 200, or the MD5 differs (the
     *     message names the URL and both sums); the temporary file is deleted in every case
     */
    void download(URI url, Path target, String expectedMd5) throws IOException {
        Files.createDirectories(target.getParent());
        Path part = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        try {
            String actual = fetch(url, part);
            if (!actual.equalsIgnoreCase(expectedMd5)) {
                throw new IOException(
                        "MD5 mismatch for " + url + ": expected " + expectedMd5 + ", got "
                                + actual + "; the download was discarded");
            }
            moveIntoPlace(part, target);
            LOG.debug("downloaded {} to {} (md5 {})", url, target, actual);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private String fetch(URI url, Path part) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + url + " was interrupted");
        }
        MessageDigest md5 = md5();
        try (InputStream body = new DigestInputStream(response.body(), md5);
                OutputStream out = Files.newOutputStream(part)) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode() + " from " + url);
            }
            body.transferTo(out);
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return client;
    }
}
