package dev.assay.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    private static final String SUBSET = "/dev/assay/datasets/fashion-mnist-subset/";

    @TempDir Path tmp;

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = IdxReaderTest.class.getResourceAsStream(SUBSET + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void bundledSubsetHoldsSixThousandTrainingAndOneThousandTestImagesOf28By28() throws IOException {
        IdxArray train = IdxReader.readImages("train", resource("train-images-idx3-ubyte.gz"), 0);
        IdxArray test = IdxReader.readImages("test", resource("t10k-images-idx3-ubyte.gz"), 0);

        assertThat(train.dims()).containsExactly(6000, 28, 28);
        assertThat(test.dims()).containsExactly(1000, 28, 28);
        assertThat(train.declaredCount()).isEqualTo(6000);
        assertThat(train.data()).hasSize(6000 * 784);
    }

    @Test
    void bundledSubsetLabelsAreClassIndicesAndMatchTheImageCounts() throws IOException {
        IdxArray trainLabels = IdxReader.readLabels("l", resource("train-labels-idx1-ubyte.gz"), 0);
        IdxArray testLabels = IdxReader.readLabels("l", resource("t10k-labels-idx1-ubyte.gz"), 0);

        assertThat(trainLabels.count()).isEqualTo(6000);
        assertThat(testLabels.count()).isEqualTo(1000);
        for (int i = 0; i < trainLabels.count(); i++) {
            assertThat(trainLabels.unsigned(i)).isBetween(0, 9);
        }
    }

    @Test
    void testLabelHistogramEqualsOneCountedFromTheRawGzipBytes() throws IOException {
        byte[] raw = resource("t10k-labels-idx1-ubyte.gz");
        int[] expected = new int[10];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            in.readNBytes(8);
            for (byte b : in.readAllBytes()) {
                expected[b]++;
            }
        }
        IdxArray labels = IdxReader.readLabels("t10k", raw, 1000);
        int[] actual = new int[10];
        for (int i = 0; i < labels.count(); i++) {
            actual[labels.unsigned(i)]++;
        }

        assertThat(actual).containsExactly(expected);
        assertThat(Arrays.stream(actual).sum()).isEqualTo(1000);
        assertThat(actual).containsExactly(107, 105, 111, 93, 115, 87, 97, 95, 95, 95);
    }

    @Test
    void gzippedAndPlainFilesReadTheSameWhateverTheirNames() throws IOException {
        byte[] plain = IdxFixtures.images(5, 2, 3);
        Path gz = tmp.resolve("images-without-gz-suffix");
        Path raw = tmp.resolve("images.gz");
        Files.write(gz, IdxFixtures.gzip(plain));
        Files.write(raw, plain);

        IdxArray a = IdxReader.read(gz, 0);
        IdxArray b = IdxReader.read(raw, 0);

        assertThat(a.dims()).containsExactly(5, 2, 3);
        assertThat(a.data()).isEqualTo(b.data());
        assertThat(a.unsigned(6)).isEqualTo(7);
        assertThat(a.recordSize()).isEqualTo(6);
    }

    @Test
    void limitReadsOnlyTheFirstRecordsAndKeepsTheDeclaredCount() throws IOException {
        byte[] gz = IdxFixtures.gzip(IdxFixtures.labels(25));

        IdxArray labels = IdxReader.readLabels("labels", gz, 12);

        assertThat(labels.count()).isEqualTo(12);
        assertThat(labels.declaredCount()).isEqualTo(25);
        assertThat(labels.unsigned(11)).isEqualTo(1);
        assertThat(IdxReader.readLabels("labels", gz, 99).count()).isEqualTo(25);
    }

    @Test
    void badMagicNumberIsRejectedNamingTheFile() throws IOException {
        Path file = tmp.resolve("bad.idx");
        byte[] bytes = IdxFixtures.labels(3);
        bytes[2] = 0x09;
        Files.write(file, bytes);

        assertThatThrownBy(() -> IdxReader.read(file, 0))
                .isInstanceOf(IOException.class)
                .hasMessage("file " + file + " has bad magic number 0x00000901: not an idx file "
                        + "of unsigned bytes (expected 0x000008NN, NN = number of dimensions)");
    }

    @Test
    void labelFileWhereImagesAreExpectedIsRejected() {
        byte[] labels = IdxFixtures.labels(3);

        assertThatThrownBy(() -> IdxReader.readImages("x-labels", labels, 0))
                .isInstanceOf(IOException.class)
                .hasMessage("file x-labels has magic number 0x00000801, expected 0x00000803 for "
                        + "images (idx3, unsigned bytes)");
    }

    @Test
    void aLabelFileWithAnImageFilesMagicIsRejectedForItsMagicNotItsSize() {
        // found by a dataset check: three dimensions were read out of a one-dimension file first, and the
        // message said "is too large: 890870616887400 bytes of data"
        byte[] labels = IdxFixtures.labels(200);
        labels[3] = 0x03; // 0x00000803: the images' magic on a label file
        assertThatThrownBy(() -> IdxReader.readLabels("train-labels", labels, 0))
                .isInstanceOf(IOException.class)
                .hasMessage("file train-labels has magic number 0x00000803, expected 0x00000801 for "
                        + "labels (idx1, unsigned bytes)");
    }

    @Test
    void truncatedPlainFileIsRejectedWithExpectedAndFoundSizes() throws IOException {
        Path file = tmp.resolve("short-images");
        Files.write(file, Arrays.copyOf(IdxFixtures.images(3, 2, 3), 16 + 10));

        assertThatThrownBy(() -> IdxReader.read(file, 0))
                .isInstanceOf(IOException.class)
                .hasMessage("file " + file + " is truncated: expected 18 bytes for 3 records, "
                        + "found only 10");
    }

    @Test
    void truncatedHeaderIsRejected() {
        byte[] bytes = Arrays.copyOf(IdxFixtures.images(3, 2, 3), 9);

        assertThatThrownBy(() -> IdxReader.read("h", bytes, 0))
                .hasMessage("file h is truncated: expected 12 bytes for the header, found only 5");
    }

    @Test
    void truncatedGzipStreamIsRejected() throws IOException {
        byte[] gz = IdxFixtures.gzip(IdxFixtures.images(200, 28, 28));
        Path file = tmp.resolve("cut.gz");
        Files.write(file, Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxReader.read(file, 0))
                .isInstanceOf(IOException.class)
                .hasMessage("file " + file + " is truncated or corrupt: the gzip stream ends "
                        + "early (Unexpected end of ZLIB input stream)");
    }

    @Test
    void aFileCutShortIsRejectedEvenWhenALimitReadsOnlyItsFirstRecords() throws IOException {
        // a user's check: with limit_train set, a file cut to half its length trained without a word
        byte[] plain = IdxFixtures.images(200, 28, 28); // 16 + 200 * 784 = 156,816 bytes
        byte[] cutPlain = Arrays.copyOf(plain, plain.length / 2);
        assertThatThrownBy(() -> IdxReader.readImages("cut-plain", cutPlain, 10))
                .isInstanceOf(IOException.class)
                .hasMessage("file cut-plain is truncated: its header declares 200 records, 156816 bytes in all, but"
                        + " it holds only 78408 bytes (the 10 records the limit reads are there; the file is damaged"
                        + " all the same)");

        byte[] gz = IdxFixtures.gzip(plain);
        byte[] cutGzip = Arrays.copyOf(gz, gz.length / 2);
        assertThatThrownBy(() -> IdxReader.readImages("cut.gz", cutGzip, 10))
                .isInstanceOf(IOException.class)
                .hasMessage("file cut.gz is truncated or corrupt: the gzip stream ends early (Unexpected end of ZLIB"
                        + " input stream)");

        // a whole gzip stream of half the records, the header still declaring 200
        byte[] shortContent = IdxFixtures.gzip(Arrays.copyOf(plain, 16 + 100 * 784));
        assertThatThrownBy(() -> IdxReader.readImages("half.gz", shortContent, 10))
                .isInstanceOf(IOException.class)
                .hasMessage("file half.gz is truncated: its header declares 200 records, 156816 bytes in all, but"
                        + " it holds only 78416 bytes uncompressed (the 10 records the limit reads are there; the"
                        + " file is damaged all the same)");
    }

    @Test
    void aLimitedReadOfAWholeFileIsAccepted() throws IOException {
        byte[] plain = IdxFixtures.images(200, 28, 28);
        assertThat(IdxReader.readImages("whole", plain, 10).count()).isEqualTo(10);
        assertThat(IdxReader.readImages("whole.gz", IdxFixtures.gzip(plain), 10).count()).isEqualTo(10);
        // two gzip members (as `cat a.gz b.gz` makes): the trailer gives only the last member's length,
        // so the rest is counted, and it is all there
        byte[] first = IdxFixtures.gzip(Arrays.copyOf(plain, 50_000));
        byte[] second = IdxFixtures.gzip(Arrays.copyOfRange(plain, 50_000, plain.length));
        byte[] twoMembers = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, twoMembers, first.length, second.length);
        IdxArray read = IdxReader.readImages("two-members.gz", twoMembers, 10);
        assertThat(read.count()).isEqualTo(10);
        assertThat(read.data()).isEqualTo(Arrays.copyOfRange(plain, 16, 16 + 10 * 784));
    }

    @Test
    void imageAndLabelCountMismatchIsRejectedNamingBothFiles() throws IOException {
        IdxArray images = IdxReader.readImages("imgs", IdxFixtures.images(4, 2, 2), 0);
        IdxArray labels = IdxReader.readLabels("lbls", IdxFixtures.labels(5), 0);

        assertThatThrownBy(() -> IdxReader.checkSameCount(images, labels))
                .isInstanceOf(IOException.class)
                .hasMessage("count mismatch: imgs holds 4 images but lbls holds 5 labels");
    }

    @Test
    void recordsAfterTheDeclaredCountAreAWarning() throws IOException {
        byte[] five = IdxFixtures.images(5, 2, 2);
        byte[] declaredThree = five.clone();
        declaredThree[7] = 3; // the count in the header: 3 of the 5 images written
        try (LogCapture log = new LogCapture()) {
            // the two extra images were dropped without a word
            IdxArray read = IdxReader.readImages("x-images", IdxFixtures.gzip(declaredThree), 0);
            IdxReader.readImages("limited", declaredThree, 2);
            IdxReader.readImages("exact", five, 0);
            assertThat(read.count()).isEqualTo(3);
            assertThat(log.warnings()).containsExactly("file x-images has 8 bytes after its 3 declared records"
                    + " (2 more records of 4 bytes?); they are ignored: check the count in its header");
        }
        // three stray bytes read "(0 more records of 4 bytes?)"
        byte[] stray = java.util.Arrays.copyOf(five, five.length + 3);
        try (LogCapture log = new LogCapture()) {
            IdxReader.readImages("stray", stray, 0);
            assertThat(log.warnings()).containsExactly("file stray has 3 bytes after its 5 declared records"
                    + " (not a whole number of 4-byte records); they are ignored: check the count in its header");
        }
    }
}
