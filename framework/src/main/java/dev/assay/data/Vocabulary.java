package dev.assay.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A token vocabulary built from training data only: index 0 is {@value #PAD}, index 1 is
 * {@value #UNK}, then the kept tokens by descending frequency (ties in first-seen order, so the
 * result is deterministic). Tokens rarer than the minimum frequency or beyond the maximum size map
 * to {@value #UNK}.
 */
public final class Vocabulary {

    /** The padding token, always index {@value #PAD_INDEX}. */
    public static final String PAD = "<pad>";
    /** The unknown-token marker, always index {@value #UNK_INDEX}. */
    public static final String UNK = "<unk>";
    /** Index of {@link #PAD}. */
    public static final int PAD_INDEX = 0;
    /** Index of {@link #UNK}. */
    public static final int UNK_INDEX = 1;

    private final List<String> tokens;
    private final Map<String, Integer> index;

    private Vocabulary(List<String> tokens) {
        this.tokens = Collections.unmodifiableList(tokens);
        this.index = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            index.putIfAbsent(tokens.get(i), i);
        }
    }

    /**
     * Builds a vocabulary from tokenized training texts.
     *
     * @param texts the training texts, each a list of tokens
     * @param minFrequency keep tokens seen at least this often (≥ 1)
     * @param maxSize the largest vocabulary size including {@code <pad>} and {@code <unk>}
     *     (≥ 2); 0 means unlimited
     * @return the vocabulary
     * @throws IllegalArgumentException if minFrequency &lt; 1 or maxSize is 1 or negative
     */
    public static Vocabulary build(Iterable<? extends List<String>> texts, int minFrequency,
            int maxSize) {
        if (minFrequency < 1 || maxSize < 0 || maxSize == 1) {
            throw new IllegalArgumentException("min_frequency must be >= 1 and max_size 0 or >= 2,"
                    + " got " + minFrequency + " and " + maxSize);
        }
        Map<String, int[]> counts = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (List<String> text : texts) {
            for (String t : text) {
                counts.computeIfAbsent(t, k -> {
                    order.add(k);
                    return new int[1];
                })[0]++;
            }
        }
        List<String> kept = new ArrayList<>();
        for (String t : order) {
            if (counts.get(t)[0] >= minFrequency && !t.equals(PAD) && !t.equals(UNK)) {
                kept.add(t);
            }
        }
        kept.sort(Comparator.comparingInt((String t) -> -counts.get(t)[0]));
        List<String> all = new ArrayList<>(List.of(PAD, UNK));
        int limit = maxSize == 0 ? Integer.MAX_VALUE : maxSize - 2;
        all.addAll(kept.subList(0, Math.min(limit, kept.size())));
        return new Vocabulary(all);
    }

    /**
     * Wraps an existing token list (index = position); it must start with {@code <pad>, <unk>}.
     *
     * @param tokens the tokens
     * @return the vocabulary
     * @throws IllegalArgumentException if the first two tokens are not {@code <pad>, <unk>}
     */
    public static Vocabulary of(List<String> tokens) {
        if (tokens.size() < 2 || !tokens.get(0).equals(PAD) || !tokens.get(1).equals(UNK)) {
            throw new IllegalArgumentException("a vocabulary starts with <pad>, <unk>; got "
                    + tokens.subList(0, Math.min(2, tokens.size())));
        }
        return new Vocabulary(new ArrayList<>(tokens));
    }

    /**
     * Returns the number of tokens, {@code <pad>} and {@code <unk>} included.
     *
     * @return the size
     */
    public int size() {
        return tokens.size();
    }

    /**
     * Returns the index of a token.
     *
     * @param token the token
     * @return its index, or {@link #UNK_INDEX} if it is not in the vocabulary
     */
    public int indexOf(String token) {
        return index.getOrDefault(token, UNK_INDEX);
    }

    /**
     * Returns the token at an index.
     *
     * @param i the index in {@code [0, size())}
     * @return the token
     * @throws IndexOutOfBoundsException if i is out of range
     */
    public String token(int i) {
        return tokens.get(i);
    }

    /**
     * Returns all tokens, index = position.
     *
     * @return an unmodifiable list
     */
    public List<String> tokens() {
        return tokens;
    }

    /**
     * Encodes tokens to a fixed length: truncated to the first {@code maxLength} tokens, then
     * padded at the end with {@link #PAD_INDEX}.
     *
     * @param text the tokens
     * @param maxLength the output length (≥ 1)
     * @return {@code maxLength} indices, as floats (exact for indices below 2²⁴)
     */
    public float[] encode(List<String> text, int maxLength) {
        float[] out = new float[maxLength];
        for (int i = 0; i < Math.min(maxLength, text.size()); i++) {
            out[i] = indexOf(text.get(i));
        }
        return out;
    }
}
