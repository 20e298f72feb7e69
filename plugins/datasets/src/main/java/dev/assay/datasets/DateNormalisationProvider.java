package dev.assay.datasets;

import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.data.Seq2SeqData;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generated date-normalisation task ({@code dates}): dates written in ten formats →
 * {@code yyyy-MM-dd}, character tokens (spaces included), made by {@link DateNormalisation} from
 * the seed; the test dates never occur in training. Nothing is read or downloaded. The validation
 * split is carved from the training pairs with the trial seed; vocabularies and maximum lengths
 * come from the remaining training pairs ({@link Seq2SeqPairs}).
 */
public final class DateNormalisationProvider implements DatasetProvider {

    private static final Logger LOG = LoggerFactory.getLogger(DateNormalisationProvider.class);
    private static final List<ParamDescriptor> PARAMS = params();

    /** Creates the provider. */
    public DateNormalisationProvider() {}

    private static List<ParamDescriptor> params() {
        List<ParamDescriptor> p = new ArrayList<>(List.of(
                ParamDescriptor.of("train_size", ParamType.INT, 10000L,
                        "generated training pairs (validation carved from them)")
                        .range(1, DateNormalisation.DAYS - 1),
                ParamDescriptor.of("test_size", ParamType.INT, 1000L,
                        "generated held-out pairs, dates disjoint from training")
                        .range(1, DateNormalisation.DAYS - 1),
                ParamDescriptor.of("seed", ParamType.LONG, -1L,
                        "generator seed; -1 uses the trial seed").range(-1, Integer.MAX_VALUE)));
        p.addAll(Seq2SeqPairs.PARAMS);
        return List.copyOf(p);
    }

    @Override
    public String description() {
        return "generated date normalisation (10 formats -> yyyy-MM-dd), char tokens, seq2seq";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Refuses, when the experiment file is read, a {@code max_vocab} with no room for a word, a
     * {@code train_size} whose {@code validation_split} holds out no pair or leaves too few to train on
     * ({@link SplitCheck}), and a {@code train_size} and {@code test_size} that add up to more than the
     * {@value DateNormalisation#DAYS} distinct dates (found only when each trial generated its data).
     *
     * @param params the resolved parameters
     * @return {@code max_vocab}, {@code train_size} and {@code test_size} → what is wrong, or empty
     */
    @Override
    public java.util.Map<String, String> checkParams(dev.assay.plugin.Params params) {
        java.util.Map<String, String> problems = new java.util.LinkedHashMap<>(
                VocabularyCheck.checkMaxVocab(params, Seq2SeqPairs.SPECIALS));
        problems.putAll(SplitCheck.check(params, SplitCheck.GENERATED_PAIRS));
        long train = params.getInt("train_size");
        long test = params.getInt("test_size");
        if (train + test > DateNormalisation.DAYS) {
            problems.put("test_size", "train_size " + train + " and test_size " + test + " add up to " + (train + test)
                    + ", more than the " + DateNormalisation.DAYS + " distinct dates from " + DateNormalisation.FIRST
                    + " to " + DateNormalisation.LAST + " that the pairs are drawn from without repeats: lower either");
        }
        return problems;
    }

    /**
     * Generates the pairs.
     *
     * @param params {@code train_size}, {@code test_size}, {@code seed} and the
     *     {@link Seq2SeqPairs#PARAMS}
     * @param context manager, batch size, trial seed
     * @return the splits; source kind {@code generated}
     * @throws IllegalArgumentException if train_size + test_size exceeds the distinct dates
     */
    @Override
    public Seq2SeqData load(Params params, DatasetContext context) {
        long seed = params.getLong("seed") < 0 ? context.seed() : params.getLong("seed");
        DateNormalisation.Examples examples = DateNormalisation.generate(seed,
                params.getInt("train_size"), params.getInt("test_size"));
        DataSource source = new DataSource("generated", "dates " + DateNormalisation.FIRST
                + ".." + DateNormalisation.LAST + ", " + DateNormalisation.FORMATS.size()
                + " formats, seed " + seed, examples.train().size(), examples.test().size(), fingerprint(examples));
        Seq2SeqData data = Seq2SeqPairs.build(params, context, pairs(examples.train()),
                pairs(examples.test()), source);
        LOG.info("dates: {}", source);
        return data;
    }

    /**
     * The generated pairs' fingerprint, as a file-backed dataset's is of its bytes (it was empty, and
     * {@code assay show --config} printed "(fingerprint )"): the same seed and sizes give the same one
     * on any machine, and a change to the generator shows as another.
     */
    static String fingerprint(DateNormalisation.Examples examples) {
        ContentDigest digest = new ContentDigest("dates");
        digestSplit(digest, "train", examples.train());
        digestSplit(digest, "test", examples.test());
        return digest.fingerprint();
    }

    /** Adds a split's pairs to the digest, one {@code source<TAB>target} line each, under its name. */
    private static void digestSplit(ContentDigest digest, String split, List<DateNormalisation.Example> examples) {
        digest.section(split);
        for (DateNormalisation.Example e : examples) {
            digest.update((e.source() + "\t" + e.target() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static List<Seq2SeqPairs.Pair> pairs(List<DateNormalisation.Example> examples) {
        return examples.stream().map(e -> new Seq2SeqPairs.Pair(
                DateNormalisation.characters(e.source()),
                DateNormalisation.characters(e.target()))).toList();
    }
}
