package dev.assay.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits for sequence-to-sequence learning (translation, normalisation): pairs of a source token
 * sequence and a target token sequence, as indices of two vocabularies that both start with
 * {@value Vocabulary#PAD}, {@value Vocabulary#UNK}, {@value #BOS}, {@value #EOS} (indices 0-3).
 *
 * <p>Each record's data is two float arrays of token indices and its label one:
 * <ul>
 *   <li>source {@code (maxSourceLength)}: the source tokens, truncated, padded at the end with
 *       {@link Vocabulary#PAD_INDEX};</li>
 *   <li>decoder input {@code (maxTargetLength)}: {@value #BOS} then the target tokens, padded;</li>
 *   <li>label {@code (maxTargetLength)}: the target tokens then {@value #EOS}, padded: the decoder
 *       input shifted left by one step (teacher forcing).</li>
 * </ul>
 * Batched, the data is {@code NDList((batch, maxSourceLength), (batch, maxTargetLength))} and the
 * labels {@code (batch, maxTargetLength)}; padding positions of the label are
 * {@link Vocabulary#PAD_INDEX} and carry no loss.
 *
 * <p>A seq2seq architecture is built with {@link #modelSampleShape()} and
 * {@code outputs = targetVocabulary().size()}.
 *
 * @param train the training split (shuffled with the trial seed)
 * @param validation the validation split, or null when none was carved
 * @param test the test split
 * @param sourceVocabulary the source vocabulary, built from the training split only
 * @param targetVocabulary the target vocabulary, built from the training split only
 * @param maxSourceLength source tokens per sample after truncation and padding (≥ 1)
 * @param maxTargetLength decoder steps per sample: the longest training target plus one for
 *     {@value #BOS}/{@value #EOS} (≥ 2)
 * @param source where the data came from
 * @param validationTargets the target tokens of each validation pair in the split's order, as
 *     read (untruncated, words outside the target vocabulary kept): the references that BLEU,
 *     exact match and token accuracy score against, so that a predicted {@value Vocabulary#UNK}
 *     never matches a word; null to score against the encoded labels (then an {@value
 *     Vocabulary#UNK} label position can never be matched either)
 * @param testTargets the same for the test split
 */
public record Seq2SeqData(
        RandomAccessDataset train,
        RandomAccessDataset validation,
        RandomAccessDataset test,
        Vocabulary sourceVocabulary,
        Vocabulary targetVocabulary,
        int maxSourceLength,
        int maxTargetLength,
        DataSource source,
        List<List<String>> validationTargets,
        List<List<String>> testTargets)
        implements LoadedDataset {

    /** The begin-of-sequence token, the decoder's first input. */
    public static final String BOS = "<bos>";
    /** The end-of-sequence token, the decoder's last output. */
    public static final String EOS = "<eos>";
    /** Index of {@link #BOS} in both vocabularies. */
    public static final int BOS_INDEX = 2;
    /** Index of {@link #EOS} in both vocabularies. */
    public static final int EOS_INDEX = 3;

    /**
     * Validates the vocabularies and lengths.
     *
     * @throws IllegalArgumentException if a vocabulary does not start with {@code <pad>, <unk>,
     *     <bos>, <eos>}, maxSourceLength &lt; 1 or maxTargetLength &lt; 2, or references are given
     *     for a split that is missing or of another size
     */
    public Seq2SeqData {
        checkSpecials(sourceVocabulary, "source");
        checkSpecials(targetVocabulary, "target");
        if (maxSourceLength < 1 || maxTargetLength < 2) {
            throw new IllegalArgumentException("maxSourceLength must be >= 1 and maxTargetLength"
                    + " >= 2, got " + maxSourceLength + " and " + maxTargetLength);
        }
        checkTargets(validationTargets, validation, "validation");
        checkTargets(testTargets, test, "test");
        validationTargets = validationTargets == null ? null : validationTargets.stream().map(List::copyOf).toList();
        testTargets = testTargets == null ? null : testTargets.stream().map(List::copyOf).toList();
    }

    /**
     * Splits without reference texts: BLEU, exact match and token accuracy score against the
     * encoded labels (see the record's {@code validationTargets}).
     *
     * @param train the training split
     * @param validation the validation split, or null
     * @param test the test split
     * @param sourceVocabulary the source vocabulary
     * @param targetVocabulary the target vocabulary
     * @param maxSourceLength source tokens per sample
     * @param maxTargetLength decoder steps per sample
     * @param source where the data came from
     * @throws IllegalArgumentException as the canonical constructor
     */
    public Seq2SeqData(RandomAccessDataset train, RandomAccessDataset validation, RandomAccessDataset test,
            Vocabulary sourceVocabulary, Vocabulary targetVocabulary, int maxSourceLength, int maxTargetLength,
            DataSource source) {
        this(train, validation, test, sourceVocabulary, targetVocabulary, maxSourceLength, maxTargetLength, source,
                null, null);
    }

    private static void checkTargets(List<List<String>> targets, RandomAccessDataset split, String which) {
        if (targets != null && (split == null || targets.size() != split.size())) {
            throw new IllegalArgumentException("the " + which + " references must be one per " + which + " pair: got "
                    + targets.size() + " for " + (split == null ? "no split" : split.size() + " pairs"));
        }
    }

    private static void checkSpecials(Vocabulary v, String which) {
        if (v.size() < 4 || v.indexOf(BOS) != BOS_INDEX || v.indexOf(EOS) != EOS_INDEX) {
            throw new IllegalArgumentException("the " + which + " vocabulary must start with"
                    + " <pad>, <unk>, <bos>, <eos>; got " + v.tokens().subList(0,
                            Math.min(4, v.size())));
        }
    }

    /**
     * Returns the sample shape a seq2seq architecture is built for: {@code (maxSourceLength,
     * sourceVocabularySize)}, read as "maxSourceLength steps over a vocabulary of that size".
     *
     * @return the shape
     */
    public Shape modelSampleShape() {
        return new Shape(maxSourceLength, sourceVocabulary.size());
    }

    /**
     * Builds a vocabulary for one side of the pairs: {@code <pad>, <unk>, <bos>, <eos>}, then the
     * tokens of the training texts by descending frequency (ties in first-seen order).
     *
     * @param texts the training texts of one side, each a list of tokens
     * @param minFrequency keep tokens seen at least this often (≥ 1)
     * @param maxSize the largest size including the four special tokens (≥ 4); 0 means unlimited
     * @return the vocabulary
     * @throws IllegalArgumentException if minFrequency &lt; 1 or maxSize is negative or 1-3
     */
    public static Vocabulary buildVocabulary(Iterable<? extends List<String>> texts,
            int minFrequency, int maxSize) {
        if (maxSize < 0 || (maxSize > 0 && maxSize < 4)) {
            throw new IllegalArgumentException("max vocabulary size must be 0 (unlimited) or >= 4,"
                    + " got " + maxSize);
        }
        Vocabulary counted = Vocabulary.build(texts, minFrequency, 0);
        List<String> tokens = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNK, BOS, EOS));
        int limit = maxSize == 0 ? Integer.MAX_VALUE : maxSize;
        for (String t : counted.tokens().subList(2, counted.size())) {
            if (tokens.size() >= limit) {
                break;
            }
            if (!t.equals(BOS) && !t.equals(EOS)) {
                tokens.add(t);
            }
        }
        return Vocabulary.of(tokens);
    }

    /**
     * Encodes a target as decoder input: {@code <bos> y₁ … y_{n}} truncated to {@code length}
     * tokens, then padded with {@link Vocabulary#PAD_INDEX}.
     *
     * @param vocabulary the target vocabulary
     * @param target the target tokens
     * @param length the output length (≥ 2)
     * @return {@code length} indices as floats
     */
    public static float[] decoderInput(Vocabulary vocabulary, List<String> target, int length) {
        float[] out = new float[length];
        out[0] = BOS_INDEX;
        for (int i = 0; i < Math.min(length - 1, target.size()); i++) {
            out[i + 1] = vocabulary.indexOf(target.get(i));
        }
        return out;
    }

    /**
     * Encodes a target as decoder labels: {@code y₁ … y_{n} <eos>}, truncated to {@code length}
     * tokens (a target longer than {@code length - 1} loses its {@code <eos>}), padded.
     *
     * @param vocabulary the target vocabulary
     * @param target the target tokens
     * @param length the output length (≥ 2)
     * @return {@code length} indices as floats
     */
    public static float[] decoderLabels(Vocabulary vocabulary, List<String> target, int length) {
        float[] out = new float[length];
        int n = Math.min(length, target.size());
        for (int i = 0; i < n; i++) {
            out[i] = vocabulary.indexOf(target.get(i));
        }
        if (target.size() < length) {
            out[target.size()] = EOS_INDEX;
        }
        return out;
    }

    /**
     * Decodes predicted or label indices back to tokens: everything before the first
     * {@value #EOS} (or the end), skipping {@value Vocabulary#PAD} and {@value #BOS}.
     *
     * @param vocabulary the target vocabulary
     * @param indices token indices, e.g. one row of {@code argmax} over logits
     * @return the tokens
     */
    public static List<String> decode(Vocabulary vocabulary, int[] indices) {
        List<String> out = new ArrayList<>();
        for (int i : indices) {
            if (i == EOS_INDEX) {
                break;
            }
            if (i != Vocabulary.PAD_INDEX && i != BOS_INDEX) {
                out.add(vocabulary.token(i));
            }
        }
        return out;
    }
}
