package dev.assay.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A held-out similarity score for word vectors that needs no human judgements and works on any
 * corpus: how well the vectors' cosine similarities rank word pairs the way a count-based model of
 * the <em>test</em> split does. Over the M most frequent test words (at least
 * {@value #MIN_COUNT} occurrences), each word a gets a positive-PMI context vector from the test
 * sentences with a fixed symmetric window w (Church &amp; Hanks 1990; Bullinaria &amp; Levy 2007):
 * {@code PPMI(a, c) = max(0, log(n(a,c)·T / (n(a)·n(c))))}, with {@code n(a,c)} the times c occurs
 * within w words of a, {@code n(a) = Σ_c n(a,c)}, {@code n(c)} the times c occurs as anyone's
 * context and T the total of all context pairs. The score is Spearman's rank correlation, over
 * all M(M-1)/2 pairs, between the word2vec cosine and the cosine of the two PPMI vectors (ties
 * get their mean rank).
 *
 * <p>It measures agreement with held-out distributional similarity, not semantic similarity as
 * people judge it: 0 for unrelated (e.g. random) vectors, 1 when the two orderings agree. It is
 * comparable across modes and hyperparameters on the same data split and {@code window}.
 */
final class Word2VecPpmiScore {

    /** The fewest test occurrences for a word to be compared. */
    static final int MIN_COUNT = 5;

    private Word2VecPpmiScore() {}

    /**
     * Computes the score.
     *
     * @param sentences test sentences of token indices (special tokens removed)
     * @param vocabularySize the vocabulary size
     * @param vectors the trained vectors
     * @param window the PPMI context window w (≥ 1)
     * @param words M, the most frequent test words to compare
     * @return Spearman's ρ in [-1, 1], or NaN if fewer than 3 words qualify or either similarity
     *     is constant
     */
    static double score(List<int[]> sentences, int vocabularySize, Word2VecVectors vectors,
            int window, int words) {
        int[] chosen = frequentWords(sentences, vocabularySize, words);
        if (chosen.length < 3) {
            return Double.NaN;
        }
        double[][] ppmi = ppmi(sentences, vocabularySize, chosen, window);
        int pairs = chosen.length * (chosen.length - 1) / 2;
        double[] model = new double[pairs];
        double[] counted = new double[pairs];
        int p = 0;
        for (int a = 0; a < chosen.length; a++) {
            for (int b = a + 1; b < chosen.length; b++, p++) {
                model[p] = vectors.cosine(chosen[a], chosen[b]);
                counted[p] = cosine(ppmi[a], ppmi[b]);
            }
        }
        return spearman(model, counted);
    }

    /** The up to {@code words} most frequent tokens with at least MIN_COUNT occurrences. */
    private static int[] frequentWords(List<int[]> sentences, int vocabularySize, int words) {
        long[] counts = new long[vocabularySize];
        for (int[] s : sentences) {
            for (int t : s) {
                counts[t]++;
            }
        }
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < vocabularySize; i++) {
            if (counts[i] >= MIN_COUNT) {
                eligible.add(i);
            }
        }
        eligible.sort(Comparator.comparingLong((Integer i) -> -counts[i]).thenComparing(i -> i));
        return eligible.stream().limit(words).mapToInt(Integer::intValue).toArray();
    }

    /** Rows of PPMI values, one per chosen word, over all context tokens. */
    static double[][] ppmi(List<int[]> sentences, int vocabularySize, int[] chosen, int window) {
        int[] row = new int[vocabularySize];
        Arrays.fill(row, -1);
        for (int r = 0; r < chosen.length; r++) {
            row[chosen[r]] = r;
        }
        double[][] joint = new double[chosen.length][vocabularySize];
        double[] contextCounts = new double[vocabularySize];
        double total = 0;
        for (int[] s : sentences) {
            for (int i = 0; i < s.length; i++) {
                for (int j = Math.max(0, i - window); j <= Math.min(s.length - 1, i + window); j++) {
                    if (j != i) {
                        contextCounts[s[j]]++;
                        total++;
                        if (row[s[i]] >= 0) {
                            joint[row[s[i]]][s[j]]++;
                        }
                    }
                }
            }
        }
        for (double[] counts : joint) {
            double rowTotal = Arrays.stream(counts).sum();
            for (int c = 0; c < counts.length; c++) {
                counts[c] = counts[c] == 0 ? 0
                        : Math.max(0, Math.log(counts[c] * total / (rowTotal * contextCounts[c])));
            }
        }
        return joint;
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /**
     * Spearman's rank correlation: Pearson's correlation of the mean ranks.
     *
     * @param x values
     * @param y values, same length
     * @return ρ in [-1, 1], or NaN if either side is constant
     */
    static double spearman(double[] x, double[] y) {
        return pearson(ranks(x), ranks(y));
    }

    private static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double mean = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                ranks[order[i]] = mean;
            }
            start = end + 1;
        }
        return ranks;
    }

    private static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }
}
