package dev.assay.tasks;

import static dev.assay.plugin.ParamType.DOUBLE;
import static dev.assay.plugin.ParamType.INT;
import static dev.assay.plugin.ParamType.STRING;

import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The resolved parameters of the {@code word2vec} task.
 *
 * @param mode CBOW (predict the centre word from the mean of its context vectors) or skip-gram
 *     (predict each context word from the centre word)
 * @param window the largest distance, in words, between a centre word and a context word; each
 *     centre word draws its own window uniformly from {@code 1..window}, which weights near words
 *     more (Mikolov et al. 2013a, section 3.2)
 * @param negatives negative samples per positive pair, drawn from the unigram distribution raised
 *     to 3/4 (Mikolov et al. 2013b)
 * @param subsample the subsampling threshold t: a word of relative frequency f is kept with
 *     probability {@code min(1, sqrt(t / f))} (Mikolov et al. 2013b, eq. 5); 0 keeps every word
 * @param queryWords the words whose nearest neighbours are reported; empty for the default
 *     (the most frequent words of three or more letters that are not English function words)
 * @param neighbours how many nearest neighbours to report per query word
 * @param evalWords how many of the most frequent test-split words {@code test_ppmi_spearman}
 *     compares; 0 skips it
 */
record Word2VecSettings(Mode mode, int window, int negatives, double subsample,
        List<String> queryWords, int neighbours, int evalWords) {

    /** The two training objectives of Mikolov et al. 2013a. */
    enum Mode {
        /** Continuous bag of words: context words (mean of their vectors) → centre word. */
        CBOW,
        /** Continuous skip-gram: centre word → each context word. */
        SKIPGRAM
    }

    /** The task's parameter descriptors, in {@code assay plugins} order. */
    static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("mode", STRING, "skipgram",
                    "cbow (context mean -> centre word) or skipgram (centre word -> each context"
                            + " word)").choices("cbow", "skipgram"),
            ParamDescriptor.of("window", INT, 5L, "largest centre-context distance in words;"
                    + " each centre word draws its window from 1..window").range(1, 100),
            ParamDescriptor.of("negatives", INT, 5L, "negative samples per positive pair, drawn"
                    + " from unigram^0.75").range(1, 100),
            ParamDescriptor.of("subsample", DOUBLE, 1.0e-3, "subsampling threshold t: a word of"
                    + " frequency f is kept with probability min(1, sqrt(t/f)); 0 keeps all")
                    .range(0, 1),
            ParamDescriptor.of("query_words", STRING, "", "comma-separated words whose nearest"
                    + " neighbours go to neighbours.json; empty = 5 frequent content words"),
            ParamDescriptor.of("neighbours", INT, 10L, "nearest neighbours (by cosine) per query"
                    + " word").range(1, 1000),
            ParamDescriptor.of("eval_words", INT, 200L, "most frequent test words whose pairwise"
                    + " similarities are compared with test-split PPMI (0 = skip)")
                    .range(0, 500));

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a number is out of range, naming the parameter
     */
    Word2VecSettings {
        check(window >= 1, "window", window, ">= 1");
        check(negatives >= 1, "negatives", negatives, ">= 1");
        check(subsample >= 0 && subsample <= 1, "subsample", subsample, "in [0, 1]");
        check(neighbours >= 1, "neighbours", neighbours, ">= 1");
        check(evalWords >= 0, "eval_words", evalWords, ">= 0");
        queryWords = List.copyOf(queryWords);
    }

    /**
     * Reads the settings from resolved task parameters.
     *
     * @param params the values of {@link #PARAMS}
     * @return the settings
     * @throws IllegalArgumentException if {@code mode} is not {@code cbow} or {@code skipgram},
     *     or a number is out of range
     */
    static Word2VecSettings of(Params params) {
        return new Word2VecSettings(mode(params.getString("mode")), params.getInt("window"),
                params.getInt("negatives"), params.getDouble("subsample"),
                words(params.getString("query_words")), params.getInt("neighbours"),
                params.getInt("eval_words"));
    }

    /**
     * Returns the input words per example.
     *
     * @return {@code 2·window} for CBOW (padded, masked), 1 for skip-gram
     */
    int contextWidth() {
        return mode == Mode.CBOW ? 2 * window : 1;
    }

    private static Mode mode(String name) {
        return switch (name) {
            case "cbow" -> Mode.CBOW;
            case "skipgram" -> Mode.SKIPGRAM;
            default -> throw new IllegalArgumentException("task.params.mode must be one of"
                    + " [cbow, skipgram], got '" + name + "'");
        };
    }

    /** Splits {@code "god, king,water"} into {@code [god, king, water]}. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.split("[,\\s]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static void check(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "task.params.%s must be %s, got %s", name, rule, value));
        }
    }
}
