package dev.assay.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads user files that must be UTF-8 (experiment files, pretrained vectors) so that a file in
 * another encoding is refused with its file, line and column and the bytes found there. Java's own
 * error for such a file is {@code MalformedInputException: Input length = 1}, which names neither
 * the file nor the place (a helper saw {@code cannot read experiment file: Input length = 3} for a
 * Latin-1 {@code café}).
 */
public final class Utf8Text {

    private static final int CHUNK = 1 << 16;

    private Utf8Text() {}

    /**
     * Reads a whole file as UTF-8 (RFC 3629).
     *
     * @param file the file
     * @return its text, a leading byte order mark included as read
     * @throws IOException if it cannot be read; a {@link Malformed} whose message
     *     is {@code FILE:LINE:COLUMN: not valid UTF-8 (bytes ...) ...} if it is not UTF-8
     */
    public static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return decoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(file);
        }
    }

    /**
     * Finds the first place a file stops being UTF-8, reading it in chunks (it may be larger than
     * memory, as pretrained vector files are), and describes it.
     *
     * @param file the file
     * @return a {@link Malformed} whose message is {@code FILE:LINE:COLUMN: not valid UTF-8 (bytes E9 20)
     *     ...}, lines and columns 1-based, columns in characters; or, where the whole file
     *     decodes, one that says it could not be read as UTF-8
     * @throws IOException if the file cannot be read
     */
    public static Malformed malformed(Path file) throws IOException {
        CharsetDecoder decoder = decoder();
        ByteBuffer in = ByteBuffer.allocate(CHUNK);
        CharBuffer out = CharBuffer.allocate(CHUNK);
        long line = 1;
        long column = 1;
        try (InputStream stream = Files.newInputStream(file)) {
            boolean end = false;
            while (true) {
                int n = end ? -1 : stream.read(in.array(), in.position(), in.remaining());
                if (n < 0) {
                    end = true;
                } else {
                    in.position(in.position() + n);
                }
                in.flip();
                CoderResult result = decoder.decode(in, out, end);
                out.flip();
                for (int i = 0; i < out.limit(); i++) {
                    if (out.get(i) == '\n') {
                        line++;
                        column = 1;
                    } else if (!Character.isLowSurrogate(out.get(i))) {
                        column++;
                    }
                }
                out.clear();
                if (result.isError()) {
                    StringBuilder hex = new StringBuilder();
                    for (int i = 0; i < Math.min(in.remaining(), Math.max(result.length(), 2)); i++) {
                        hex.append(hex.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02X",
                                in.get(in.position() + i) & 0xff));
                    }
                    return new Malformed(file, line, column, "not valid UTF-8 (bytes " + hex
                            + "); save the file as UTF-8 (Latin-1's 'é', for one, is the single byte E9)");
                }
                in.compact();
                if (end && !result.isOverflow()) {
                    break;
                }
            }
        }
        return new Malformed(file, 0, 0, "could not be read as UTF-8");
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** A file that is not UTF-8; the message says where. */
    public static final class Malformed extends CharacterCodingException {

        private static final long serialVersionUID = 1L;

        private final transient Path file;
        private final long line;
        private final long column;
        private final String problem;

        /**
         * Creates the exception.
         *
         * @param file the file
         * @param line the 1-based line of the first byte that is not UTF-8, 0 if unknown
         * @param column its 1-based column in characters, 0 if unknown
         * @param problem what is wrong there
         */
        public Malformed(Path file, long line, long column, String problem) {
            this.file = file;
            this.line = line;
            this.column = column;
            this.problem = problem;
        }

        /**
         * The line of the first byte that is not UTF-8.
         *
         * @return 1-based, 0 if unknown
         */
        public long line() {
            return line;
        }

        /**
         * The column of the first byte that is not UTF-8.
         *
         * @return 1-based, in characters, 0 if unknown
         */
        public long column() {
            return column;
        }

        /**
         * What is wrong, without the place.
         *
         * @return e.g. {@code not valid UTF-8 (bytes E9 0A); save the file as UTF-8 ...}
         */
        public String problem() {
            return problem;
        }

        /**
         * Says what is wrong and where.
         *
         * @return {@code FILE:LINE:COLUMN: not valid UTF-8 (bytes ...) ...}
         */
        @Override
        public String getMessage() {
            return file + (line > 0 ? ":" + line + ":" + column : "") + ": " + problem;
        }
    }
}
