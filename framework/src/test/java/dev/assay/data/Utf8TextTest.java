package dev.assay.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.assay.spec.SpecException;
import dev.assay.spec.SpecLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are not UTF-8 are refused with their file, line, column and bytes: a Latin-1 {@code
 * café} in an experiment file gave "cannot read experiment file: Input length = 3".
 */
class Utf8TextTest {

    @TempDir
    Path dir;

    @Test
    void aLatin1LetterIsReportedAtItsLineAndColumnWithItsBytes() throws Exception {
        Path file = dir.resolve("exp.yaml");
        Files.write(file, "name: e\ndescription: caf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1));
        Utf8Text.Malformed e = catchThrowableOfType(Utf8Text.Malformed.class, () -> Utf8Text.read(file));
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(17);
        assertThat(e).hasMessage(file + ":2:17: not valid UTF-8 (bytes E9 20); save the file as UTF-8"
                + " (Latin-1's '\u00e9', for one, is the single byte E9)");
    }

    @Test
    void theExperimentLoaderSaysWhereTheFileStopsBeingUtf8() throws Exception {
        Path file = dir.resolve("exp.yaml");
        Files.write(file, "name: \u00e9t\u00e9\n".getBytes(StandardCharsets.UTF_8)); // UTF-8 is read
        assertThat(SpecLoader.parse(Utf8Text.read(file), "x", List.of()).name()).isEqualTo("\u00e9t\u00e9");
        Files.write(file, "# \u00fcber\nname: e\n".getBytes(StandardCharsets.ISO_8859_1));
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecLoader.load(file, List.of()));
        assertThat(e.location().line()).isEqualTo(1);
        assertThat(e.location().column()).isEqualTo(3);
        assertThat(e.getMessage()).startsWith(file + ":1:3: not valid UTF-8 (bytes FC 62)");
    }

    @Test
    void theFirstBadByteIsFoundPastTheFirstChunkWithCharactersCountedNotBytes() throws Exception {
        // 70,000 lines of two-byte letters, so the bad byte lies beyond the 64 KiB read at once
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 70_000; i++) {
            text.append("\u00e4\u00f6\n");
        }
        byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(good, good.length + 4);
        bytes[good.length] = 'a';
        bytes[good.length + 1] = 'b';
        bytes[good.length + 2] = (byte) 0xff;
        bytes[good.length + 3] = '\n';
        Path file = dir.resolve("vectors.txt");
        Files.write(file, bytes);
        Utf8Text.Malformed e = Utf8Text.malformed(file);
        assertThat(e.line()).isEqualTo(70_001);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.problem()).startsWith("not valid UTF-8 (bytes FF 0A)");
        // a file that decodes in full is not said to be malformed at a place
        Files.write(file, good);
        assertThat(Utf8Text.malformed(file).line()).isZero();
        // a supplementary character counts as one column
        Files.write(file, ("\ud83d\ude00x").getBytes(StandardCharsets.UTF_8));
        Files.write(file, concat(Files.readAllBytes(file), new byte[] {(byte) 0xc3}));
        e = Utf8Text.malformed(file);
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(3);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
