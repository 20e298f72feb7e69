package dev.assay.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes tiny idx files for tests: image {@code i} has pixel {@code k} = {@code (7 i + k) mod 256}, label {@code i mod 10}. */
final class IdxFixtures {

    private IdxFixtures() {}

    /** Returns the idx bytes of {@code n} images of {@code rows x cols}. */
    static byte[] images(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < rows * cols; k++) {
                b.put((byte) ((7 * i + k) % 256));
            }
        }
        return b.array();
    }

    /** Returns the idx bytes of {@code n} labels {@code i mod 10}. */
    static byte[] labels(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    /** Gzip-compresses bytes. */
    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the four files of a 28x28 dataset into {@code dir}, gzipped ({@code name.gz}) or
     * plain, and returns the MD5 of each written file by file name.
     */
    static Map<String, String> writeDataset(Path dir, int train, int test, boolean gzipped)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, byte[]> plain = new LinkedHashMap<>();
        plain.put(IdxDatasetSpec.TRAIN_IMAGES, images(train, 28, 28));
        plain.put(IdxDatasetSpec.TRAIN_LABELS, labels(train));
        plain.put(IdxDatasetSpec.TEST_IMAGES, images(test, 28, 28));
        plain.put(IdxDatasetSpec.TEST_LABELS, labels(test));
        Map<String, String> md5 = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : plain.entrySet()) {
            byte[] bytes = gzipped ? gzip(e.getValue()) : e.getValue();
            String name = e.getKey() + (gzipped ? ".gz" : "");
            Files.write(dir.resolve(name), bytes);
            md5.put(name, md5(bytes));
        }
        return md5;
    }

    /** Returns the lower-case hex MD5 of bytes. */
    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
