package dev.assay.datasets;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads files in the idx format of the MNIST database (LeCun, Cortes, Burges;
 * http://yann.lecun.com/exdb/mnist/): a big-endian 32-bit magic number {@code 0x000008NN}
 * (type byte {@code 0x08} = unsigned byte, {@code NN} = number of dimensions), one big-endian
 * 32-bit size per dimension, then the values in row-major order. Images are {@link
 * #IMAGES_MAGIC} {@code (count, rows, columns)}, labels {@link #LABELS_MAGIC} {@code (count)}.
 * Gzip-compressed input is recognised by its magic bytes {@code 1f 8b}, whatever the file name.
 * Bytes after the declared records are ignored with a warning (the header's count may be wrong).
 */
public final class IdxReader {

    /** Magic number of an idx file of three-dimensional unsigned-byte images. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an idx file of one-dimensional unsigned-byte labels. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int UNSIGNED_BYTE = 0x08;
    private static final Logger LOG = LoggerFactory.getLogger(IdxReader.class);

    private IdxReader() {}

    /**
     * Reads an idx file from disk.
     *
     * @param file the file, gzip-compressed or plain
     * @param limit the most records to read; 0 or less reads all
     * @return the records read
     * @throws IOException if the file cannot be read, is not an unsigned-byte idx file, or is
     *     truncated; the message names the file
     */
    public static IdxArray read(Path file, int limit) throws IOException {
        return read(file.toString(), Files.readAllBytes(file), limit);
    }

    /**
     * Reads idx bytes already in memory (a file or classpath resource read whole).
     *
     * @param name the name to use in error messages
     * @param raw the bytes as stored, gzip-compressed or plain
     * @param limit the most records to read; 0 or less reads all
     * @return the records read
     * @throws IOException if the bytes are not an unsigned-byte idx file or are truncated
     */
    public static IdxArray read(String name, byte[] raw, int limit) throws IOException {
        return read(name, raw, limit, 0, null);
    }

    /**
     * {@link #read(String, byte[], int)} that checks the magic number before the dimensions: a
     * label file with an image file's magic read three dimensions out of one and said it was "too
     * large: 890870616887400 bytes".
     *
     * @param expected the magic number wanted, or 0 for any
     * @param what what the file should hold, for the message
     */
    private static IdxArray read(String name, byte[] raw, int limit, int expected, String what) throws IOException {
        boolean gzip = raw.length >= 2 && (raw[0] & 0xFF) == 0x1f && (raw[1] & 0xFF) == 0x8b;
        InputStream plain = new ByteArrayInputStream(raw);
        IdxArray array;
        try (InputStream in = gzip ? new GZIPInputStream(plain, 1 << 16) : plain) {
            array = parse(name, in, limit, expected, what);
        } catch (EOFException | ZipException e) {
            throw gzipEndsEarly(name, e);
        }
        if (array.dims()[0] < array.declaredCount()) {
            requireWholeFile(name, raw, gzip, array);
        }
        return array;
    }

    private static IOException gzipEndsEarly(String name, IOException e) {
        // the gzip message once: "(Unexpected end of ZLIB input stream)", not again as its cause
        return new IOException("file " + name + " is truncated or corrupt: the gzip stream ends early ("
                + e.getMessage() + ")");
    }

    /**
     * Checks that a file read only in part (a limit applied) still holds every record its header
     * declares: a file cut short trained without a word under {@code limit_train}, while the same
     * file read whole was refused. A plain file's length says it at once; a gzip file's trailer
     * holds its uncompressed length modulo 2^32 (RFC 1952, section 2.3.1: ISIZE), which settles it
     * without decompressing the rest, unless it disagrees (a cut file's last four bytes are
     * arbitrary; a file of several gzip members gives the last member's length): only then is the
     * rest decompressed and counted.
     *
     * @throws IOException if the file holds fewer bytes than its header declares, or its gzip
     *     stream ends early
     */
    private static void requireWholeFile(String name, byte[] raw, boolean gzip, IdxArray array) throws IOException {
        long declaredBytes = 4L + 4L * array.dims().length + (long) array.declaredCount() * recordSize(array.dims());
        long held;
        if (!gzip) {
            held = raw.length;
        } else {
            long trailer = raw.length < 18 ? -1 : ByteBuffer.wrap(raw, raw.length - 4, 4)
                    .order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
            if (trailer == (declaredBytes & 0xFFFF_FFFFL)) {
                return;
            }
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
                held = in.transferTo(OutputStream.nullOutputStream());
            } catch (EOFException | ZipException e) {
                throw gzipEndsEarly(name, e);
            }
        }
        if (held < declaredBytes) {
            throw new IOException("file " + name + " is truncated: its header declares " + array.declaredCount()
                    + " records, " + declaredBytes + " bytes in all, but it holds only " + held
                    + (gzip ? " bytes uncompressed" : " bytes") + " (the " + array.dims()[0]
                    + " records the limit reads are there; the file is damaged all the same)");
        }
    }

    /**
     * Reads an image file: magic {@link #IMAGES_MAGIC}, dimensions {@code (count, rows, columns)}.
     *
     * @param name the name to use in error messages
     * @param raw the bytes as stored, gzip-compressed or plain
     * @param limit the most images to read; 0 or less reads all
     * @return the images, {@code rows * columns} bytes each
     * @throws IOException if the file is not an idx image file or is truncated
     */
    public static IdxArray readImages(String name, byte[] raw, int limit) throws IOException {
        return read(name, raw, limit, IMAGES_MAGIC, "images (idx3, unsigned bytes)");
    }

    /**
     * Reads a label file: magic {@link #LABELS_MAGIC}, dimension {@code (count)}.
     *
     * @param name the name to use in error messages
     * @param raw the bytes as stored, gzip-compressed or plain
     * @param limit the most labels to read; 0 or less reads all
     * @return the labels, one byte each
     * @throws IOException if the file is not an idx label file or is truncated
     */
    public static IdxArray readLabels(String name, byte[] raw, int limit) throws IOException {
        return read(name, raw, limit, LABELS_MAGIC, "labels (idx1, unsigned bytes)");
    }

    /**
     * Checks that an image file and its label file declare the same number of records.
     *
     * @param images the images read
     * @param labels the labels read
     * @throws IOException naming both files and both counts, if they differ
     */
    public static void checkSameCount(IdxArray images, IdxArray labels) throws IOException {
        if (images.declaredCount() != labels.declaredCount()) {
            throw new IOException(
                    "count mismatch: " + images.name() + " holds " + images.declaredCount()
                            + " images but " + labels.name() + " holds "
                            + labels.declaredCount() + " labels");
        }
    }

    private static IdxArray parse(String name, InputStream in, int limit, int expected, String what)
            throws IOException {
        int magic = ByteBuffer.wrap(readFully(name, in, 4, "the magic number")).getInt();
        int dimCount = magic & 0xFF;
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UNSIGNED_BYTE || dimCount == 0) {
            throw new IOException(
                    "file " + name + " has bad magic number " + hex(magic)
                            + ": not an idx file of unsigned bytes (expected 0x000008NN, "
                            + "NN = number of dimensions)");
        }
        if (expected != 0 && magic != expected) { // before the dimensions, which it would misread
            throw new IOException(
                    "file " + name + " has magic number " + hex(magic) + ", expected " + hex(expected) + " for " + what);
        }
        ByteBuffer header = ByteBuffer.wrap(readFully(name, in, 4 * dimCount, "the header"));
        int[] dims = new int[dimCount];
        for (int i = 0; i < dimCount; i++) {
            dims[i] = header.getInt();
            if (dims[i] < 0) {
                throw new IOException("file " + name + " declares a negative size " + dims[i]);
            }
        }
        int declared = dims[0];
        dims[0] = limit > 0 ? Math.min(limit, declared) : declared;
        long bytes = (long) dims[0] * recordSize(dims);
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IOException("file " + name + " is too large: " + bytes + " bytes of data");
        }
        byte[] data = readFully(name, in, (int) bytes, dims[0] + " records");
        if (dims[0] == declared) {
            warnIfTrailing(name, in, declared, recordSize(dims));
        }
        return new IdxArray(name, magic, declared, dims, data);
    }

    /** Warns about bytes after the declared records: a wrong count in the header drops them. */
    private static void warnIfTrailing(String name, InputStream in, int declared, long recordSize)
            throws IOException {
        long extra;
        try {
            extra = in.transferTo(OutputStream.nullOutputStream());
        } catch (EOFException | ZipException e) {
            return; // a damaged gzip trailer after complete data: read as before
        }
        if (extra > 0) {
            // "(0 more records of 784 bytes?)" for 3 stray bytes
            String what = recordSize > 0 && extra % recordSize == 0
                    ? extra / recordSize + " more records of " + recordSize + " bytes?"
                    : "not a whole number of " + recordSize + "-byte records";
            LOG.warn("file {} has {} bytes after its {} declared records ({}); they are ignored: check the count in its"
                    + " header", name, extra, declared, what);
        }
    }

    private static byte[] readFully(String name, InputStream in, int length, String what)
            throws IOException {
        byte[] out = in.readNBytes(length);
        if (out.length < length) {
            throw new IOException(
                    "file " + name + " is truncated: expected " + length + " bytes for "
                            + what + ", found only " + out.length);
        }
        return out;
    }

    private static long recordSize(int[] dims) {
        long size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }

    private static String hex(int value) {
        return String.format(Locale.ROOT, "0x%08x", value);
    }
}
