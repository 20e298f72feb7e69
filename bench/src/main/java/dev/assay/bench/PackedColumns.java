package dev.assay.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The byte layout of Assay's stored metric chunks (see the {@code metric_chunks} migration and the
 * framework's chunk codec), rewritten here so that the plain-JDBC chunk reference writes blobs of
 * exactly the size Assay writes (encoded straight into an array, the fastest way to produce them): a codec byte, then for steps, epochs and wall times the
 * zig-zag LEB128 varints of successive differences (codec 1; 1-2 bytes a point here), and for
 * values the raw big-endian IEEE-754 bits (codec 0; 8 bytes a point).
 */
final class PackedColumns {

    private static final byte RAW = 0;
    private static final byte DELTA_VARINT = 1;

    private PackedColumns() {}

    /** Delta-varint encoding of {@code count} longs from {@code from}, into one array (no stream). */
    static byte[] deltaVarint(long[] data, int from, int count) {
        byte[] out = new byte[1 + 10 * count];
        out[0] = DELTA_VARINT;
        int pos = 1;
        long previous = 0;
        for (int i = from; i < from + count; i++) {
            long delta = data[i] - previous;
            long rest = (delta << 1) ^ (delta >> 63);
            while ((rest & ~0x7FL) != 0) {
                out[pos++] = (byte) ((rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            out[pos++] = (byte) rest;
            previous = data[i];
        }
        return Arrays.copyOf(out, pos);
    }

    /** Raw encoding of {@code count} doubles from {@code from}. */
    static byte[] rawDoubles(double[] data, int from, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(1 + 8 * count).put(RAW);
        for (int i = from; i < from + count; i++) {
            buffer.putLong(Double.doubleToRawLongBits(data[i]));
        }
        return buffer.array();
    }
}
