package dev.assay.datasets;

import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.data.LanguageModelData;
import dev.assay.data.Vocabulary;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns lines of text into {@link LanguageModelData}: each line is tokenized and followed by
 * {@value LanguageModelData#EOS}; blank lines are skipped; the vocabulary comes from the training
 * lines only.
 */
final class LanguageModelBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(LanguageModelBuilder.class);

    /** The special tokens of a language model's vocabulary: padding, unknown and end of line. */
    static final java.util.Set<String> SPECIALS = java.util.Set.of(Vocabulary.PAD, Vocabulary.UNK, LanguageModelData.EOS);

    /** Parameters shared by the corpus datasets. */
    static final List<ParamDescriptor> TOKEN_PARAMS = List.of(
            ParamDescriptor.of("min_frequency", ParamType.INT, 1L,
                    "keep tokens seen at least this often in the training split").range(1, 1e9),
            ParamDescriptor.of("max_vocab", ParamType.INT, 0L,
                    "largest vocabulary incl. <pad> and <unk> (0 = unlimited)").range(0, 1e9),
            ParamDescriptor.of("tokenizer", ParamType.STRING, "word",
                    "word (CJK split by character), char (every character, a run of whitespace one space) or space (whitespace)")
                    .choices("word", "char", "space"),
            ParamDescriptor.of("lowercase", ParamType.BOOLEAN, true, "lower-case before tokenizing"),
            ParamDescriptor.of("limit_lines", ParamType.INT, 0L,
                    "use at most N lines of each split, the first ones that hold a token (blank lines are not counted; 0 = all)").range(0, 1e9));

    /** Parameters of a corpus split by lines. */
    static final List<ParamDescriptor> SPLIT_PARAMS = List.of(
            ParamDescriptor.of("validation_fraction", ParamType.DOUBLE, 0.05,
                    "share of lines for validation").range(0, 0.5),
            ParamDescriptor.of("test_fraction", ParamType.DOUBLE, 0.05,
                    "share of lines for test").range(0.01, 0.5));

    private LanguageModelBuilder() {}

    /**
     * Splits lines into train, validation and test: lines are taken in blocks of {@code b}
     * consecutive lines; in each block the first {@code b·(1 - v - t)} go to train, the next
     * {@code b·v} to validation, the rest to test ({@code b·v} and {@code b·t} rounded, at least
     * one line each for a positive share of a block of 3 lines or more). {@code b} is 100, or {@code 1/v} or
     * {@code 1/t} where that is more (so that a share as small as 0.004 still gets a line of each
     * block), or the number of lines where there are fewer (a corpus of 50 lines is split as one
     * block: with blocks of 100 it had no validation or test line at all). The split is the same
     * for every seed and keeps local context together while spreading every split over the whole
     * corpus.
     *
     * @param lines all lines, in order
     * @param validation the validation fraction
     * @param test the test fraction
     * @return three lists: train, validation, test
     */
    static List<List<String>> split(List<String> lines, double validation, double test) {
        double smallest = Math.min(validation > 0 ? validation : 1, test > 0 ? test : 1);
        int block = (int) Math.max(100, Math.ceil(1 / smallest));
        block = Math.max(1, Math.min(block, lines.size()));
        // a positive share gets at least one line of a block of 3 or more (10 lines at 0.05 gave no test line)
        int nTest = share(block, test);
        int nValid = share(block, validation);
        int trainEnd = block - nValid - nTest;
        int validEnd = block - nTest;
        List<List<String>> out = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < lines.size(); i++) {
            int r = i % block;
            out.get(r < trainEnd ? 0 : r < validEnd ? 1 : 2).add(lines.get(i));
        }
        return out;
    }

    /** Lines of a block of {@code block} for a share: rounded, at least 1 for a positive share of a block of 3 or more. */
    private static int share(int block, double fraction) {
        int n = (int) Math.round(block * fraction);
        return fraction > 0 && block >= 3 ? Math.max(1, n) : n;
    }

    /**
     * Builds the data.
     *
     * @param params the resolved {@link #TOKEN_PARAMS}
     * @param context manager and batch size
     * @param train training lines
     * @param validation validation lines (may be empty)
     * @param test test lines
     * @param source where the text came from (token counts replace its sample counts)
     * @return the data
     */
    static LanguageModelData build(Params params, DatasetContext context, List<String> train,
            List<String> validation, List<String> test, DataSource source) {
        TextTokenizer tokenizer = new TextTokenizer(params.getString("tokenizer"),
                params.getBoolean("lowercase"));
        int limit = params.getInt("limit_lines");
        List<List<String>> trainTokens = tokenize(train, tokenizer, limit);
        VocabularyCheck.requireMaxVocab(source.location(), params.getInt("max_vocab"), SPECIALS);
        Vocabulary vocabulary = VocabularyCheck.requireWords(source.location(), "the", Vocabulary.build(trainTokens,
                params.getInt("min_frequency"), params.getInt("max_vocab")),
                SPECIALS, params.getInt("min_frequency"));
        int[] tr = encode(trainTokens, vocabulary);
        int[] va = encode(tokenize(validation, tokenizer, limit), vocabulary);
        int[] te = encode(tokenize(test, tokenizer, limit), vocabulary);
        DataSource used = new DataSource(source.kind(), source.location(), tr.length, te.length,
                source.fingerprint());
        return new LanguageModelData(tr, va, te, vocabulary, used, context.manager(),
                context.batchSize());
    }

    /**
     * Warns when the validation stream has no tokens, so that no task can give a validation metric.
     * How many tokens a task needs is the task's to say ({@code language_model}: 2 per row of {@code
     * eval_batch_size}); this warning guessed it from the training batch size and a fixed window,
     * and was wrong both ways. Without any warning a run simply had no {@code val_*} metrics, and
     * early stopping or pruning on {@code val_loss} nothing to watch.
     *
     * @param dataset the dataset's name for the message, e.g. {@code wikitext}
     * @param data the built data
     * @param from where the validation text came from, e.g. the file
     * @return whether it warned
     */
    static boolean warnIfNoValidation(String dataset, LanguageModelData data, String from) {
        if (data.validationTokens().length > 0) {
            return false;
        }
        LOG.warn("{}: {} has no tokens (no line, or blank lines only), so the runs will have no val_* metrics and"
                + " early stopping or pruning on val_loss nothing to watch", dataset, from);
        return true;
    }

    private static List<List<String>> tokenize(List<String> lines, TextTokenizer tokenizer,
            int limit) {
        List<List<String>> out = new ArrayList<>();
        for (String line : lines) {
            if (limit > 0 && out.size() >= limit) {
                break;
            }
            List<String> tokens = tokenizer.tokenize(line);
            if (!tokens.isEmpty()) {
                List<String> withEos = new ArrayList<>(tokens);
                withEos.add(LanguageModelData.EOS);
                out.add(withEos);
            }
        }
        return out;
    }

    private static int[] encode(List<List<String>> lines, Vocabulary vocabulary) {
        return lines.stream().flatMap(List::stream).mapToInt(vocabulary::indexOf).toArray();
    }

    /**
     * Describes a loaded corpus for the log: where it came from and its splits in tokens (a
     * corpus's {@link dev.assay.data.DataSource} counts tokens, which the log once called train and
     * test without saying so, beside a count of verses).
     *
     * @param data the corpus
     * @return e.g. {@code system (/usr/lib/bible.data): 29,575 training, 1,540 validation, 30,885 test tokens; vocabulary 1,993}
     */
    static String describe(LanguageModelData data) {
        return String.format(java.util.Locale.ROOT, "%s (%s): %,d training, %,d validation, %,d test tokens; vocabulary %,d",
                data.source().kind(), data.source().location(), data.trainTokens().length,
                data.validationTokens().length, data.testTokens().length, data.vocabulary().size());
    }
}
