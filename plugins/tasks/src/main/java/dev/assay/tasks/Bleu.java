package dev.assay.tasks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus-level BLEU-4 (Papineni et al. 2002, "BLEU: a Method for Automatic Evaluation of Machine
 * Translation"), one reference per candidate, accumulated sentence by sentence:
 *
 * <pre>
 *   p_n  = Σ_sentences Σ_ngrams min(count_candidate, count_reference) / Σ_sentences #candidate n-grams
 *   BP   = 1 if c &gt; r, else exp(1 − r / c)      (c, r: total candidate and reference lengths)
 *   BLEU = BP · exp(Σ_{n=1..4} ¼ · log p_n)
 * </pre>
 *
 * No smoothing: BLEU is 0 when some {@code p_n} is 0 (e.g. every candidate shorter than 4 tokens)
 * or when there is no candidate token. Tokens are compared as strings.
 */
final class Bleu {

    /** The largest n-gram order. */
    static final int MAX_ORDER = 4;

    private final long[] matches = new long[MAX_ORDER];
    private final long[] totals = new long[MAX_ORDER];
    private long candidateLength;
    private long referenceLength;

    /**
     * Adds one sentence pair's counts.
     *
     * @param candidate the system output's tokens
     * @param reference the reference tokens
     * @return this
     */
    Bleu add(List<String> candidate, List<String> reference) {
        candidateLength += candidate.size();
        referenceLength += reference.size();
        for (int n = 1; n <= MAX_ORDER; n++) {
            Map<List<String>, Integer> ref = ngrams(reference, n);
            for (Map.Entry<List<String>, Integer> e : ngrams(candidate, n).entrySet()) {
                matches[n - 1] += Math.min(e.getValue(), ref.getOrDefault(e.getKey(), 0));
            }
            totals[n - 1] += Math.max(0, candidate.size() - n + 1);
        }
        return this;
    }

    /**
     * Returns the corpus BLEU-4 of everything added.
     *
     * @return BLEU in {@code [0, 1]}; 0 when nothing was added
     */
    double score() {
        if (candidateLength == 0) {
            return 0;
        }
        double logPrecision = 0;
        for (int n = 0; n < MAX_ORDER; n++) {
            if (matches[n] == 0) {
                return 0;
            }
            logPrecision += Math.log(matches[n] / (double) totals[n]) / MAX_ORDER;
        }
        double brevity = candidateLength > referenceLength ? 1
                : Math.exp(1 - referenceLength / (double) candidateLength);
        return brevity * Math.exp(logPrecision);
    }

    /**
     * Corpus BLEU-4 of aligned lists.
     *
     * @param candidates the system outputs
     * @param references one reference per candidate
     * @return BLEU in {@code [0, 1]}
     * @throws IllegalArgumentException if the lists differ in size
     */
    static double corpus(List<List<String>> candidates, List<List<String>> references) {
        if (candidates.size() != references.size()) {
            throw new IllegalArgumentException(candidates.size() + " candidates but "
                    + references.size() + " references");
        }
        Bleu bleu = new Bleu();
        for (int i = 0; i < candidates.size(); i++) {
            bleu.add(candidates.get(i), references.get(i));
        }
        return bleu.score();
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }
}
