package dev.assay.datasets;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.data.SequenceClassificationData;
import dev.assay.data.Vocabulary;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns labelled texts into {@link SequenceClassificationData}: tokenizes, carves the validation
 * split from the training texts (permutation from the trial seed), builds the vocabulary from the
 * remaining training texts only, and encodes every text to {@code max_length} indices (truncated,
 * then padded with {@code <pad>} = 0). Data float32 {@code (N, max_length)}, labels float32
 * {@code (N)}.
 */
final class TextClassificationBuilder {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TextClassificationBuilder.class);

    /** The special tokens of a text classifier's vocabulary: padding and unknown. */
    static final java.util.Set<String> SPECIALS = java.util.Set.of(Vocabulary.PAD, Vocabulary.UNK);

    /**
     * The checks, when the experiment file is read, that every text classification dataset makes
     * of its shared parameters ({@link #PARAMS}): a {@code max_vocab} with no room for a word
     * ({@link VocabularyCheck}) and a {@code limit_train} whose {@code validation_split} holds out no
     * example or leaves too few to train on ({@link SplitCheck}).
     *
     * @param params the dataset's resolved parameters
     * @return {@code max_vocab} and {@code limit_train} → what is wrong, or empty
     */
    static Map<String, String> checkParams(Params params) {
        Map<String, String> problems = new java.util.LinkedHashMap<>(VocabularyCheck.checkMaxVocab(params, SPECIALS));
        problems.putAll(SplitCheck.check(params, SplitCheck.CLASSIFIER));
        return problems;
    }

    /** The parameters every text classification dataset shares. */
    static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("max_length", ParamType.INT, 200L,
                    "tokens per text: longer texts are truncated, shorter padded").range(1, 100000),
            ParamDescriptor.of("min_frequency", ParamType.INT, 2L,
                    "keep tokens seen at least this often in the training split").range(1, 1e9),
            ParamDescriptor.of("max_vocab", ParamType.INT, 20000L,
                    "largest vocabulary incl. <pad> and <unk> (0 = unlimited)").range(0, 1e9),
            ParamDescriptor.of("tokenizer", ParamType.STRING, "word",
                    "word (CJK split by character), char (every character, a run of whitespace one space) or space (whitespace)")
                    .choices("word", "char", "space"),
            ParamDescriptor.of("lowercase", ParamType.BOOLEAN, true, "lower-case before tokenizing"),
            ParamDescriptor.of("validation_split", ParamType.DOUBLE, 0.1,
                    "fraction of the training texts held out for validation").range(0, 0.9),
            ParamDescriptor.of("limit_train", ParamType.INT, 0L,
                    "use at most N training texts, a seeded sample (0 = all)").range(0, 1e9),
            ParamDescriptor.of("limit_test", ParamType.INT, 0L,
                    "use at most N test texts, a fixed sample (0 = all)").range(0, 1e9));

    /**
     * Labelled texts of one split.
     *
     * @param texts the raw texts
     * @param labels the class index of each text
     */
    record Labelled(List<String> texts, List<Integer> labels) {
        Labelled() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        void add(String text, int label) {
            texts.add(text);
            labels.add(label);
        }

        /** A sample of at most {@code limit} texts drawn with a permutation of {@code seed}. */
        Labelled limit(int limit, long seed) {
            if (limit == 0 || limit >= texts.size()) {
                return this;
            }
            int[] order = SplitBuilder.permutation(texts.size(), seed);
            Labelled out = new Labelled();
            for (int i = 0; i < limit; i++) {
                out.add(texts.get(order[i]), labels.get(order[i]));
            }
            return out;
        }
    }

    private TextClassificationBuilder() {}

    /**
     * Builds the splits.
     *
     * @param dataset the dataset's name for messages, e.g. {@code imdb}
     * @param params the resolved {@link #PARAMS} (other parameters are ignored)
     * @param context manager, batch size and seed
     * @param train the training texts
     * @param test the test texts
     * @param classNames the class names
     * @param source where the texts came from (sample counts are replaced by the ones used)
     * @return the data
     */
    static SequenceClassificationData build(String dataset, Params params, DatasetContext context, Labelled train,
            Labelled test, List<String> classNames, DataSource source) {
        Labelled tr = train.limit(params.getInt("limit_train"), context.seed());
        Labelled te = test.limit(params.getInt("limit_test"), 0x5eed);
        TextTokenizer tokenizer = new TextTokenizer(params.getString("tokenizer"),
                params.getBoolean("lowercase"));
        List<List<String>> trainTokens = tr.texts().stream().map(tokenizer::tokenize).toList();
        int n = trainTokens.size();
        int nValid = SplitBuilder.validationSize(n, params.getDouble("validation_split"));
        int[] order = SplitBuilder.permutation(n, context.seed());
        int[] perClass = ClassCheck.requireTwoTrained(dataset, i -> tr.labels().get(i), order, nValid, classNames, params);
        SplitCheck.warnIfNoValidation(dataset, n, params.getDouble("validation_split"), nValid, "text");
        List<List<String>> fitting = new ArrayList<>();
        for (int i = nValid; i < n; i++) {
            fitting.add(trainTokens.get(order[i]));
        }
        VocabularyCheck.requireMaxVocab(dataset, params.getInt("max_vocab"), SPECIALS);
        Vocabulary vocabulary = VocabularyCheck.requireWords(dataset, "the", Vocabulary.build(fitting,
                params.getInt("min_frequency"), params.getInt("max_vocab")),
                SPECIALS, params.getInt("min_frequency"));
        int maxLength = params.getInt("max_length");
        Encoder enc = new Encoder(context, vocabulary, maxLength);
        ArrayDataset trainSet = enc.dataset(trainTokens, tr.labels(), order, nValid, n, true);
        ArrayDataset valid = nValid == 0 ? null
                : enc.dataset(trainTokens, tr.labels(), order, 0, nValid, false);
        List<List<String>> testTokens = te.texts().stream().map(tokenizer::tokenize).toList();
        int[] all = java.util.stream.IntStream.range(0, testTokens.size()).toArray();
        ArrayDataset testSet = enc.dataset(testTokens, te.labels(), all, 0, all.length, false);
        DataSource used = new DataSource(source.kind(), source.location(), n,
                testTokens.size(), source.fingerprint());
        // the counts used, after limit_train and limit_test (the providers logged the files' counts)
        LOG.info("{}: using {}; {} classes, examples per class trained on (validation held out) {}", dataset, used,
                classNames.size(), ClassCheck.perClass(perClass, classNames));
        return new SequenceClassificationData(trainSet, valid, testSet, maxLength, vocabulary,
                classNames, used);
    }

    /** Encodes token lists into datasets. */
    private record Encoder(DatasetContext context, Vocabulary vocabulary, int maxLength) {
        ArrayDataset dataset(List<List<String>> tokens, List<Integer> labels, int[] order,
                int from, int to, boolean shuffle) {
            int count = to - from;
            float[] data = new float[Math.multiplyExact(count, maxLength)];
            float[] target = new float[count];
            for (int i = 0; i < count; i++) {
                int record = order[from + i];
                System.arraycopy(vocabulary.encode(tokens.get(record), maxLength), 0, data,
                        i * maxLength, maxLength);
                target[i] = labels.get(record);
            }
            NDManager m = context.manager();
            return new ArrayDataset.Builder()
                    .setData(m.create(data, new Shape(count, maxLength)))
                    .optLabels(m.create(target, new Shape(count)))
                    .setSampling(context.batchSize(), shuffle)
                    .build();
        }
    }
}
