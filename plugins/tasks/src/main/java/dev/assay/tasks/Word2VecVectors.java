package dev.assay.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.assay.data.LanguageModelData;
import dev.assay.data.Vocabulary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Trained word vectors (the input table of word2vec, {@code (vocabulary, dim)}, row i for token i)
 * with cosine nearest neighbours and the two artifact formats: {@code vectors.txt} in the word2vec
 * text format and {@code neighbours.json}.
 */
final class Word2VecVectors {

    /** English function words left out of the default query words. */
    private static final Set<String> FUNCTION_WORDS = Set.of("the", "and", "that", "for", "with",
            "not", "but", "are", "was", "were", "his", "her", "him", "she", "they", "them",
            "their", "this", "these", "those", "from", "have", "has", "had", "which", "who",
            "whom", "will", "would", "shall", "should", "all", "one", "you", "your", "our", "its",
            "into", "unto", "upon", "when", "then", "than", "there", "what", "out", "also", "any",
            "can", "did", "been", "being", "more", "said", "thee", "thou", "thy", "hath", "ye",
            "let", "may", "how", "why", "where", "some", "such", "about", "over", "after",
            "before", "because", "here", "now", "many", "most", "other", "only", "very");

    /**
     * One neighbour of a query word.
     *
     * @param word the neighbour
     * @param cosine its cosine similarity to the query word, in [-1, 1]
     */
    record Neighbour(String word, double cosine) {}

    /**
     * The neighbours of one query word, as written to {@code neighbours.json}.
     *
     * @param word the query word
     * @param count its training count
     * @param neighbours the nearest words, most similar first
     */
    record Query(String word, long count, List<Neighbour> neighbours) {}

    /** The JSON document of {@link #writeNeighbours}. */
    private record Document(String similarity, String vectors, int k, List<Query> queries,
            List<String> missing) {}

    private final Vocabulary vocabulary;
    private final int dim;
    private final float[] matrix;
    private final float[] unit;
    private final boolean[] excluded;

    /**
     * Wraps a matrix.
     *
     * @param vocabulary the tokens, row i for token i
     * @param matrix row-major {@code (vocabulary size, dim)}
     * @param dim the vector size
     * @throws IllegalArgumentException if the matrix length is not {@code size · dim}
     */
    Word2VecVectors(Vocabulary vocabulary, float[] matrix, int dim) {
        if (matrix.length != vocabulary.size() * dim) {
            throw new IllegalArgumentException("expected " + vocabulary.size() + " x " + dim
                    + " values, got " + matrix.length);
        }
        this.vocabulary = vocabulary;
        this.dim = dim;
        this.matrix = matrix;
        this.unit = normalized(matrix, dim);
        this.excluded = new boolean[vocabulary.size()];
        excluded[Vocabulary.PAD_INDEX] = true;
        excluded[Vocabulary.UNK_INDEX] = true;
        int eos = vocabulary.tokens().indexOf(LanguageModelData.EOS);
        if (eos >= 0) {
            excluded[eos] = true;
        }
    }

    private static float[] normalized(float[] matrix, int dim) {
        float[] unit = new float[matrix.length];
        for (int r = 0; r < matrix.length / dim; r++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                norm += (double) matrix[r * dim + j] * matrix[r * dim + j];
            }
            double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            for (int j = 0; j < dim; j++) {
                unit[r * dim + j] = (float) (matrix[r * dim + j] * scale);
            }
        }
        return unit;
    }

    /**
     * Returns the cosine similarity of two tokens' vectors.
     *
     * @param a a token index
     * @param b a token index
     * @return the cosine in [-1, 1]; 0 if either vector is zero
     */
    double cosine(int a, int b) {
        double dot = 0;
        for (int j = 0; j < dim; j++) {
            dot += (double) unit[a * dim + j] * unit[b * dim + j];
        }
        return dot;
    }

    /**
     * Returns the k most similar tokens by cosine, leaving out the token itself and
     * {@code <pad>}, {@code <unk>}, {@code <eos>}.
     *
     * @param token the query token index
     * @param k how many (≥ 1)
     * @return at most k neighbours, most similar first (ties by lower index)
     */
    List<Neighbour> nearest(int token, int k) {
        double[] similarity = new double[vocabulary.size()];
        for (int i = 0; i < similarity.length; i++) {
            similarity[i] = cosine(token, i);
        }
        Comparator<Integer> worstFirst = Comparator.comparingDouble((Integer i) -> similarity[i])
                .thenComparing(Comparator.reverseOrder());
        PriorityQueue<Integer> best = new PriorityQueue<>(worstFirst);
        for (int i = 0; i < vocabulary.size(); i++) {
            if (i != token && !excluded[i]) {
                best.add(i);
                if (best.size() > k) {
                    best.poll();
                }
            }
        }
        List<Neighbour> out = new ArrayList<>();
        while (!best.isEmpty()) {
            int i = best.poll();
            out.add(0, new Neighbour(vocabulary.token(i), similarity[i]));
        }
        return out;
    }

    /**
     * Picks default query words: the most frequent tokens of three or more letters that are not
     * English function words.
     *
     * @param counts training count per token index
     * @param n how many
     * @return up to n words, most frequent first
     */
    List<String> defaultQueries(long[] counts, int n) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            String w = vocabulary.token(i);
            if (!excluded[i] && counts[i] > 0 && w.codePoints().filter(Character::isLetter)
                    .count() >= 3 && !FUNCTION_WORDS.contains(w)) {
                indices.add(i);
            }
        }
        indices.sort(Comparator.comparingLong((Integer i) -> -counts[i]).thenComparing(i -> i));
        return indices.stream().limit(n).map(vocabulary::token).toList();
    }

    /**
     * Writes the vectors in the word2vec text format: a header line {@code "<words> <dim>"},
     * then one line per token except {@code <pad>}, {@code word v1 ... vdim}, separated by
     * single spaces, values as Java's shortest exact float text (so reading them back gives the
     * same floats). Whitespace inside a token (never produced by the built-in tokenizers) is
     * written as {@code _}.
     *
     * @param file the file to write (UTF-8), replaced if it exists
     * @throws IOException if it cannot be written
     */
    void writeText(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write((vocabulary.size() - 1) + " " + dim + "\n");
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < vocabulary.size(); i++) {
                if (i == Vocabulary.PAD_INDEX) {
                    continue;
                }
                line.setLength(0);
                line.append(vocabulary.token(i).replaceAll("\\s", "_"));
                for (int j = 0; j < dim; j++) {
                    line.append(' ').append(matrix[i * dim + j]);
                }
                out.write(line.append('\n').toString());
            }
        }
    }

    /**
     * Finds the neighbours of query words; words not in the vocabulary are left out.
     *
     * @param words the query words
     * @param k neighbours per word
     * @param counts training count per token index
     * @return one entry per query word found
     */
    List<Query> queries(List<String> words, int k, long[] counts) {
        List<Query> out = new ArrayList<>();
        for (String w : words) {
            int i = vocabulary.indexOf(w);
            if (i != Vocabulary.UNK_INDEX || w.equals(Vocabulary.UNK)) {
                out.add(new Query(w, counts[i], nearest(i, k)));
            }
        }
        return out;
    }

    /**
     * Writes {@code neighbours.json}: {@code {"similarity": "cosine", "vectors": "input", "k": k,
     * "queries": [{"word", "count", "neighbours": [{"word", "cosine"}, ...]}, ...],
     * "missing": [words not in the vocabulary]}}.
     *
     * @param file the file to write, replaced if it exists
     * @param queries the neighbours from {@link #queries}
     * @param k neighbours per word
     * @param missing query words not in the vocabulary
     * @throws IOException if it cannot be written
     */
    static void writeNeighbours(Path file, List<Query> queries, int k, List<String> missing)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(),
                new Document("cosine", "input", k, queries, missing));
    }
}
