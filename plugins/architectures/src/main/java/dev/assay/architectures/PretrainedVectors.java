package dev.assay.architectures;

import dev.assay.data.Vocabulary;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads word vectors in the word2vec text format (Mikolov et al. 2013: an optional header line
 * {@code "<count> <dim>"}, then one line {@code word v1 ... vdim} per word, space-separated) or
 * the GloVe text format (Pennington et al. 2014: the same lines without a header), keeping only
 * the words of a vocabulary. A leading byte order mark (U+FEFF) is ignored.
 *
 * @param dim the vector dimension
 * @param matrix row-major {@code (vocabulary size, dim)}; rows of words absent from the file are
 *     zero, except that they are left for the caller to fill
 * @param found number of vocabulary words that had a vector
 * @param present per vocabulary index, whether the file had a vector for it
 */
public record PretrainedVectors(int dim, float[] matrix, int found, boolean[] present) {

    /**
     * Reads the vectors of a vocabulary's words from a file.
     *
     * @param file the text file (UTF-8)
     * @param vocabulary the words to keep
     * @return the vectors
     * @throws IOException if the file cannot be read, is empty, or a line has a different number
     *     of values than the first or than the header says (the message names the file and line
     *     number); a {@link
     *     dev.assay.data.Utf8Text.Malformed} naming the file, line and column if it is not UTF-8
     */
    public static PretrainedVectors read(Path file, Vocabulary vocabulary) throws IOException {
        try {
            return readUtf8(file, vocabulary);
        } catch (java.nio.charset.CharacterCodingException e) { // Java's message named neither file nor line
            throw dev.assay.data.Utf8Text.malformed(file);
        }
    }

    private static PretrainedVectors readUtf8(Path file, Vocabulary vocabulary) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                // a byte order mark: the header was read as a vector of one number, or the first word missed
                line = line.substring(1);
            }
            int lineNo = 1;
            int headerDim = -1;
            if (line != null && line.trim().matches("\\d+\\s+\\d+")) {
                headerDim = Integer.parseInt(line.trim().split("\\s+")[1]);
                line = in.readLine();
                lineNo++;
            }
            if (line == null) {
                throw new IOException("pretrained vector file " + file + " has no vectors");
            }
            int dim = line.trim().split(" ").length - 1;
            if (headerDim >= 0 && dim != headerDim) {
                throw new IOException(file + ":" + lineNo + ": the header (line 1) says " + headerDim
                        + " numbers per word, this line has " + dim);
            }
            float[] matrix = new float[vocabulary.size() * dim];
            boolean[] present = new boolean[vocabulary.size()];
            int found = 0;
            for (; line != null; line = in.readLine(), lineNo++) {
                found += readLine(line.trim(), dim, vocabulary, matrix, present, file, lineNo);
            }
            return new PretrainedVectors(dim, matrix, found, present);
        }
    }

    private static int readLine(String line, int dim, Vocabulary vocabulary, float[] matrix,
            boolean[] present, Path file, int lineNo) throws IOException {
        if (line.isEmpty()) {
            return 0;
        }
        String[] parts = line.split(" ");
        if (parts.length != dim + 1) {
            throw new IOException(file + ":" + lineNo + ": expected a word and " + dim
                    + " numbers, got " + (parts.length - 1) + " numbers");
        }
        int index = vocabulary.indexOf(parts[0]);
        if (index == Vocabulary.UNK_INDEX && !parts[0].equals(Vocabulary.UNK) || present[index]) {
            return 0;
        }
        try {
            for (int j = 0; j < dim; j++) {
                matrix[index * dim + j] = Float.parseFloat(parts[j + 1]);
            }
        } catch (NumberFormatException e) {
            throw new IOException(file + ":" + lineNo + ": not a number: " + e.getMessage(), e);
        }
        present[index] = true;
        return 1;
    }
}
