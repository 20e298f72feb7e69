package dev.assay.track;

import java.nio.ByteBuffer;

/**
 * Packs the columns of one metric chunk into byte arrays and back. Every blob starts with a codec
 * id byte:
 *
 * <ul>
 *   <li>{@code 0} (raw): big-endian fixed-width values, 8 bytes per long or double (the double's
 *       {@link Double#doubleToRawLongBits raw bits}, so NaN payloads and ±Infinity survive), 4 per
 *       int;
 *   <li>{@code 1} (delta varint): the first value, then each difference to the previous value, all
 *       zig-zag encoded as LEB128 varints (Protocol Buffers' {@code sint64}). Steps, epochs and
 *       wall-clock times of a series grow in small regular increments, so this takes 1-2 bytes a
 *       point instead of 8. Differences wrap around, so any long sequence round-trips.
 * </ul>
 *
 * <p>Steps, epochs and wall times are written with codec 1, values with codec 0; the decoder
 * accepts either codec for every column.
 */
final class ChunkCodec {

    static final byte RAW = 0;
    static final byte DELTA_VARINT = 1;

    /** The longest LEB128 varint of a 64-bit value: 10 bytes. */
    private static final int MAX_VARINT_BYTES = 10;

    private ChunkCodec() {}

    /**
     * Encodes {@code count} longs from {@code from} with the delta-varint codec, using {@code
     * scratch} (at least {@link #scratchSize}{@code (count)} bytes) as the working buffer, so that
     * only the result is allocated.
     */
    static byte[] encodeLongs(long[] data, int from, int count, byte[] scratch) {
        scratch[0] = DELTA_VARINT;
        int at = 1;
        long previous = 0;
        for (int i = from; i < from + count; i++) {
            at = writeVarint(scratch, at, zigZag(data[i] - previous));
            previous = data[i];
        }
        return java.util.Arrays.copyOf(scratch, at);
    }

    /**
     * Encodes {@code count} ints from {@code from} with the delta-varint codec (as longs), with a
     * working buffer as {@link #encodeLongs(long[], int, int, byte[])}.
     */
    static byte[] encodeInts(int[] data, int from, int count, byte[] scratch) {
        scratch[0] = DELTA_VARINT;
        int at = 1;
        long previous = 0;
        for (int i = from; i < from + count; i++) {
            at = writeVarint(scratch, at, zigZag(data[i] - previous));
            previous = data[i];
        }
        return java.util.Arrays.copyOf(scratch, at);
    }

    /** The working buffer the delta-varint encoding of {@code count} values needs at most, in bytes. */
    static int scratchSize(int count) {
        return 1 + MAX_VARINT_BYTES * count;
    }

    /** Encodes {@code count} doubles from {@code from} as raw bits. */
    static byte[] encodeDoubles(double[] data, int from, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(1 + 8 * count).put(RAW);
        for (int i = from; i < from + count; i++) {
            buffer.putLong(Double.doubleToRawLongBits(data[i]));
        }
        return buffer.array();
    }

    /** Decodes {@code count} longs into {@code target} from {@code offset}. */
    static void decodeLongs(byte[] blob, int count, long[] target, int offset) {
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        byte codec = buffer.get();
        long previous = 0;
        for (int i = 0; i < count; i++) {
            if (codec == RAW) {
                target[offset + i] = buffer.getLong();
            } else {
                previous += unZigZag(readVarint(buffer, codec));
                target[offset + i] = previous;
            }
        }
    }

    /** Decodes {@code count} ints into {@code target} from {@code offset}. */
    static void decodeInts(byte[] blob, int count, int[] target, int offset) {
        if (blob[0] == RAW) {
            ByteBuffer buffer = ByteBuffer.wrap(blob, 1, blob.length - 1);
            for (int i = 0; i < count; i++) {
                target[offset + i] = buffer.getInt();
            }
            return;
        }
        long[] widened = new long[count];
        decodeLongs(blob, count, widened, 0);
        for (int i = 0; i < count; i++) {
            target[offset + i] = (int) widened[i];
        }
    }

    /** Decodes {@code count} doubles into {@code target} from {@code offset}. */
    static void decodeDoubles(byte[] blob, int count, double[] target, int offset) {
        long[] bits = new long[count];
        decodeLongs(blob, count, bits, 0);
        for (int i = 0; i < count; i++) {
            target[offset + i] = Double.longBitsToDouble(bits[i]);
        }
    }

    private static long zigZag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unZigZag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }

    /** Writes an LEB128 varint at {@code at}; returns the index after it. */
    private static int writeVarint(byte[] out, int at, long value) {
        long rest = value;
        int i = at;
        while ((rest & ~0x7FL) != 0) {
            out[i++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out[i++] = (byte) rest;
        return i;
    }

    private static long readVarint(ByteBuffer buffer, byte codec) {
        if (codec != DELTA_VARINT) {
            throw new IllegalStateException("Unknown metric chunk codec id " + codec + ".");
        }
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buffer.get();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalStateException("A metric chunk holds a malformed varint.");
    }
}
