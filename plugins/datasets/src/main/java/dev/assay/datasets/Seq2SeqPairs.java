package dev.assay.datasets;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.data.Seq2SeqData;
import dev.assay.data.Vocabulary;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns tokenized sentence pairs into {@link Seq2SeqData}: carves the validation split from the
 * training pairs with the trial seed ({@link SplitBuilder#permutation}), builds both vocabularies
 * from the remaining training pairs, sets the maximum lengths from them (longest source; longest
 * target plus one for {@code <bos>}/{@code <eos>}) and encodes every split in the layout that
 * {@link Seq2SeqData} documents. Longer validation or test sequences are truncated in the encoded
 * arrays; their target tokens are kept as read for scoring ({@link Seq2SeqData#testTargets()}).
 */
final class Seq2SeqPairs {

    /** Parameters shared by the seq2seq datasets: validation split and vocabulary limits. */
    static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("validation_split", ParamType.DOUBLE, 0.1,
                    "fraction of the training pairs held out for validation, by source sentence (trial seed)")
                    .range(0, 0.9),
            ParamDescriptor.of("min_frequency", ParamType.INT, 1L,
                    "keep tokens seen at least this often in the training pairs").range(1, 1e9),
            ParamDescriptor.of("max_vocab", ParamType.INT, 0L,
                    "largest vocabulary per side incl. <pad> <unk> <bos> <eos>; 0 = unlimited")
                    .range(0, 1e9));

    /**
     * One tokenized pair.
     *
     * @param source the source tokens
     * @param target the target tokens
     */
    record Pair(List<String> source, List<String> target) {

        /** Copies the token lists. */
        Pair {
            source = List.copyOf(source);
            target = List.copyOf(target);
        }
    }

    /** The tokens of a seq2seq vocabulary that are not words ({@link Seq2SeqData#buildVocabulary}). */
    static final java.util.Set<String> SPECIALS = java.util.Set.of(Vocabulary.PAD, Vocabulary.UNK,
            Seq2SeqData.BOS, Seq2SeqData.EOS);

    private Seq2SeqPairs() {}

    /**
     * Builds the splits.
     *
     * @param params {@code validation_split}, {@code min_frequency}, {@code max_vocab}
     * @param context manager, batch size and seed
     * @param train the training pairs, before the validation split (at least one)
     * @param test the test pairs
     * @param source where the pairs came from
     * @return the dataset
     * @throws IllegalArgumentException if no training pair is left after the validation split
     */
    static Seq2SeqData build(Params params, DatasetContext context, List<Pair> train,
            List<Pair> test, DataSource source) {
        List<Pair> validation = new ArrayList<>();
        List<Pair> fit = new ArrayList<>();
        splitValidation(train, params.getDouble("validation_split"), context.seed(), validation, fit);
        if (fit.isEmpty()) {
            throw new IllegalArgumentException("no training pairs left after the validation split"
                    + " (" + train.size() + " pairs, validation_split "
                    + params.getDouble("validation_split") + ")");
        }
        SplitCheck.warnIfNoValidation(source.location(), train.size(), params.getDouble("validation_split"),
                validation.size(), "pair");
        int minFrequency = params.getInt("min_frequency");
        int maxSize = params.getInt("max_vocab");
        VocabularyCheck.requireMaxVocab(source.location(), maxSize, SPECIALS);
        Vocabulary sourceVocabulary = VocabularyCheck.requireWords(source.location(), "the source",
                Seq2SeqData.buildVocabulary(fit.stream().map(Pair::source).toList(), minFrequency, maxSize), SPECIALS,
                minFrequency);
        Vocabulary targetVocabulary = VocabularyCheck.requireWords(source.location(), "the target",
                Seq2SeqData.buildVocabulary(fit.stream().map(Pair::target).toList(), minFrequency, maxSize), SPECIALS,
                minFrequency);
        int maxSource = Math.max(1, fit.stream().mapToInt(p -> p.source().size()).max().orElse(1));
        int maxTarget = fit.stream().mapToInt(p -> p.target().size()).max().orElse(0) + 1;
        Encoder encoder = new Encoder(context.manager(), sourceVocabulary, targetVocabulary,
                maxSource, maxTarget, context.batchSize());
        return new Seq2SeqData(encoder.encode(fit, true),
                validation.isEmpty() ? null : encoder.encode(validation, false),
                encoder.encode(test, false), sourceVocabulary, targetVocabulary, maxSource,
                maxTarget, source, validation.isEmpty() ? null : validation.stream().map(Pair::target).toList(),
                test.stream().map(Pair::target).toList());
    }

    /**
     * Carves the validation split out of the training pairs by source sentence, as the test split
     * is carved ({@link SentencePairsProvider#isTest}): the distinct sources ({@link #sourceKey},
     * as the test split compares them), in an order shuffled with the seed, go to validation with
     * all their pairs while they fit in {@code round(n · fraction)} pairs (a source with more is
     * passed over; when none fits, the smallest one goes), the rest to training.
     * Pairs drawn one by one put the translations of one source in both splits (Tatoeba and Anki
     * files list several for many sources), and the validation metrics that early stopping,
     * pruners and TPE read then scored sentences the model had trained on: found by a helper
     * session with each source twice, val_exact_match 0.63 against a test_exact_match of 0.
     *
     * @param train the training pairs before the split, in file order
     * @param fraction {@code validation_split}
     * @param seed the trial seed
     * @param validation receives the validation pairs
     * @param fit receives the pairs left for training, in file order
     */
    static void splitValidation(List<Pair> train, double fraction, long seed, List<Pair> validation,
            List<Pair> fit) {
        java.util.Map<String, List<Integer>> bySource = new java.util.LinkedHashMap<>();
        for (int i = 0; i < train.size(); i++) {
            bySource.computeIfAbsent(sourceKey(train.get(i).source()), k -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> groups = new ArrayList<>(bySource.values());
        int[] order = SplitBuilder.permutation(groups.size(), seed);
        int wanted = SplitBuilder.validationSize(train.size(), fraction);
        boolean[] held = new boolean[train.size()];
        int n = 0;
        for (int g = 0; g < order.length && n < wanted; g++) {
            List<Integer> group = groups.get(order[g]);
            if (n + group.size() > wanted) {
                continue; // one source with 60 translations took 63 of 66 pairs for validation
            }
            for (int i : group) {
                held[i] = true;
                n++;
            }
        }
        if (n == 0 && wanted > 0) { // every source has more pairs than validation wants: the smallest one
            groups.stream().min(java.util.Comparator.comparingInt(List::size)).orElseThrow().forEach(i -> held[i] = true);
        }
        for (int i = 0; i < train.size(); i++) {
            (held[i] ? validation : fit).add(train.get(i));
        }
    }

    /**
     * The text that tells source sentences apart, for both splits: the tokens joined by spaces,
     * lower-cased ({@link java.util.Locale#ROOT}).
     *
     * @param source the source tokens
     * @return the key
     */
    static String sourceKey(List<String> source) {
        return String.join(" ", source).toLowerCase(java.util.Locale.ROOT);
    }

    /** Encodes pairs into arrays of the {@link Seq2SeqData} layout. */
    private record Encoder(NDManager manager, Vocabulary sourceVocabulary,
            Vocabulary targetVocabulary, int maxSource, int maxTarget, int batchSize) {

        ArrayDataset encode(List<Pair> pairs, boolean shuffle) {
            int n = pairs.size();
            float[] src = new float[n * maxSource];
            float[] in = new float[n * maxTarget];
            float[] out = new float[n * maxTarget];
            for (int i = 0; i < n; i++) {
                List<String> target = pairs.get(i).target();
                System.arraycopy(sourceVocabulary.encode(pairs.get(i).source(), maxSource), 0,
                        src, i * maxSource, maxSource);
                System.arraycopy(Seq2SeqData.decoderInput(targetVocabulary, target, maxTarget),
                        0, in, i * maxTarget, maxTarget);
                System.arraycopy(Seq2SeqData.decoderLabels(targetVocabulary, target, maxTarget),
                        0, out, i * maxTarget, maxTarget);
            }
            return new ArrayDataset.Builder()
                    .setData(manager.create(src, new Shape(n, maxSource)),
                            manager.create(in, new Shape(n, maxTarget)))
                    .optLabels(manager.create(out, new Shape(n, maxTarget)))
                    .setSampling(batchSize, shuffle)
                    .build();
        }
    }
}
