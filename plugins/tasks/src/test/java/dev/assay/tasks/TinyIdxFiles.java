package dev.assay.tasks;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes Fashion-MNIST's four idx files with a chosen number of blank 28x28 images (labels 0, 1, 2,
 * ... 9, 0, ...), for trials whose data size only loading tells: a {@code limit_train} that is too
 * small for its validation split is refused when the experiment is read, files that small are not.
 */
final class TinyIdxFiles {

    private TinyIdxFiles() {}

    /**
     * Writes the files, gzipped, under their standard names.
     *
     * @param dir the directory to create and write into (a {@code --data-dir})
     * @param train training images
     * @param test test images
     * @return {@code dir}
     * @throws IOException if a file cannot be written
     */
    static Path write(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        write(dir.resolve("train-images-idx3-ubyte.gz"), 0x803, train, new byte[train * 28 * 28]);
        write(dir.resolve("train-labels-idx1-ubyte.gz"), 0x801, train, labels(train));
        write(dir.resolve("t10k-images-idx3-ubyte.gz"), 0x803, test, new byte[test * 28 * 28]);
        write(dir.resolve("t10k-labels-idx1-ubyte.gz"), 0x801, test, labels(test));
        return dir;
    }

    private static byte[] labels(int n) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        return labels;
    }

    private static void write(Path file, int magic, int count, byte[] body) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(magic);
            out.writeInt(count);
            if (magic == 0x803) { // images: rows and columns
                out.writeInt(28);
                out.writeInt(28);
            }
            out.write(body);
        }
    }
}
