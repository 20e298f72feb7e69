package dev.assay.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the King James Bible text of the Debian package {@code bible-kjv-text}
 * ({@code /usr/lib/bible.data}): a file starting with the magic {@code "EC02Compressed Data
 * File"}; at byte 0x54 big-endian 32-bit integers: the uncompressed block size, the number of
 * blocks N, then N+1 file offsets (the last one is the file size). Block i is the bytes between
 * offsets i and i+1, compressed with Unix {@code compress} (LZW, Welch 1984; 16-bit codes, block
 * mode, without the 3-byte {@code 1f 9d 90} header except before the first block). The
 * decompressed text is one verse per line, {@code "Ge1:1 In the beginning ..."}, after a title
 * line.
 */
final class BibleDataReader {

    private static final byte[] MAGIC = "EC02Compressed Data File".getBytes(StandardCharsets.US_ASCII);
    private static final int TABLE = 0x54;
    private static final int MAX_BITS = 16;
    private static final int CLEAR = 256;

    private BibleDataReader() {}

    /**
     * Decompresses the whole text.
     *
     * @param file the bytes of {@code bible.data}
     * @return the text (ASCII)
     * @throws IOException if the magic, the offset table or a compressed block is invalid
     */
    static String read(byte[] file) throws IOException {
        if (file.length < TABLE + 8
                || !Arrays.equals(Arrays.copyOf(file, MAGIC.length), MAGIC)) {
            throw new IOException("not a bible.data file: the magic \"EC02Compressed Data File\""
                    + " is missing");
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        int blocks = b.getInt(TABLE + 4);
        if (blocks <= 0 || TABLE + 8 + 4L * (blocks + 1) > file.length) {
            throw new IOException("bible.data: bad block count " + blocks);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(blocks * 65536);
        for (int i = 0; i < blocks; i++) {
            int from = b.getInt(TABLE + 8 + 4 * i);
            int to = b.getInt(TABLE + 12 + 4 * i);
            if (from < 0 || to < from || to > file.length) {
                throw new IOException("bible.data: bad offsets of block " + i + ": " + from
                        + ".." + to);
            }
            decompress(file, from, to, out);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Decodes one LZW stream as {@code uncompress} does, including its quirk of skipping to the
     * next multiple of 8 codes whenever the code width changes (counted from the previous change, as {@code uncompress} restarts its buffer there).
     */
    static void decompress(byte[] in, int from, int to, ByteArrayOutputStream out)
            throws IOException {
        int[] prefix = new int[1 << MAX_BITS];
        byte[] suffix = new byte[1 << MAX_BITS];
        byte[] stack = new byte[1 << MAX_BITS];
        for (int c = 0; c < 256; c++) {
            suffix[c] = (byte) c;
        }
        long base = (long) from * 8;
        long pos = 0;
        long groupStart = 0;
        long end = (long) (to - from) * 8;
        int bits = 9;
        int maxCode = (1 << bits) - 1;
        int free = 257;
        int old = -1;
        int finChar = 0;
        while (pos + bits <= end) {
            if (free > maxCode && bits < MAX_BITS) {
                pos = groupStart + align(pos - groupStart, bits);
                groupStart = pos;
                bits++;
                maxCode = bits == MAX_BITS ? 1 << MAX_BITS : (1 << bits) - 1;
                continue;
            }
            if (pos + bits > end) {
                break;
            }
            int code = readCode(in, base + pos, bits);
            pos += bits;
            if (old == -1) {
                if (code >= 256) {
                    throw new IOException("bible.data: corrupt block at byte " + from);
                }
                old = code;
                finChar = code;
                out.write(code);
                continue;
            }
            if (code == CLEAR) {
                free = 256;
                pos = groupStart + align(pos - groupStart, bits);
                groupStart = pos;
                bits = 9;
                maxCode = (1 << bits) - 1;
                continue;
            }
            int in0 = code;
            int sp = 0;
            if (code >= free) {
                if (code > free) {
                    throw new IOException("bible.data: corrupt code " + code + " in block at byte "
                            + from);
                }
                stack[sp++] = (byte) finChar;
                code = old;
            }
            while (code >= 256) {
                stack[sp++] = suffix[code];
                code = prefix[code];
            }
            finChar = code;
            stack[sp++] = (byte) code;
            while (sp > 0) {
                out.write(stack[--sp]);
            }
            if (free < (1 << MAX_BITS)) {
                prefix[free] = old;
                suffix[free] = (byte) finChar;
                free++;
            }
            old = in0;
        }
    }

    /** Rounds a bit offset up to the next multiple of {@code bits·8} (a group of 8 codes). */
    private static long align(long pos, int bits) {
        long group = bits * 8L;
        return (pos - 1) + (group - (pos - 1 + group) % group);
    }

    private static int readCode(byte[] in, long bitPos, int bits) {
        int byteIndex = (int) (bitPos >> 3);
        int shift = (int) (bitPos & 7);
        int v = 0;
        for (int k = 0; k < 4 && byteIndex + k < in.length; k++) {
            v |= (in[byteIndex + k] & 0xFF) << (8 * k);
        }
        return (v >>> shift) & ((1 << bits) - 1);
    }
}
