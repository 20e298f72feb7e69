package dev.assay.tasks;

import dev.assay.data.LanguageModelData;
import dev.assay.data.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The training examples of word2vec (Mikolov et al. 2013a/b) drawn from a token stream. The
 * stream is cut into sentences at {@value LanguageModelData#EOS}; {@code <pad>}, {@code <unk>} and
 * {@code <eos>} never take part (as the reference implementation drops out-of-vocabulary words).
 * Each epoch, every occurrence is kept with its {@link Word2VecSubsampler} probability (the
 * survivors close ranks, which widens the effective window), each centre word draws a window
 * {@code b} uniformly from {@code 1..window}, and every kept word within distance b in the same
 * sentence is a context word:
 * <ul>
 *   <li>skip-gram: one example per (centre, context) pair: input the centre word, target the
 *       context word;</li>
 *   <li>CBOW: one example per centre word with at least one context word: input its context
 *       words (at most {@code 2·window}), target the centre word.</li>
 * </ul>
 * {@link #batch} adds the negatives and lays a batch out as the arrays the {@code word2vec}
 * architecture takes.
 */
final class Word2VecExamples {

    /**
     * One epoch's examples. Example i has the input words
     * {@code inputs[offsets[i] .. offsets[i+1])} and the positive target {@code targets[i]};
     * batches visit them in {@code order}.
     *
     * @param offsets {@code size + 1} start offsets into {@code inputs}
     * @param inputs the input words of all examples, concatenated
     * @param targets the positive word of each example
     * @param order the visiting order (a permutation of {@code 0..size-1})
     */
    record Epoch(int[] offsets, int[] inputs, int[] targets, int[] order) {

        /**
         * Returns the number of examples (positive pairs).
         *
         * @return the size
         */
        int size() {
            return targets.length;
        }

        /**
         * Returns the number of batches, the last one possibly smaller.
         *
         * @param batchSize examples per batch (≥ 1)
         * @return {@code ceil(size / batchSize)}
         */
        int batches(int batchSize) {
            return (size() + batchSize - 1) / batchSize;
        }
    }

    /**
     * One batch as flat row-major arrays (token indices as floats, exact below 2²⁴).
     *
     * @param size the examples in the batch, B
     * @param inputs {@code (B, C)} input words, 0 ({@code <pad>}) where masked
     * @param mask {@code (B, C)}: 1 for a real input word, 0 for padding
     * @param candidates {@code (B, 1 + K)}: the positive word, then K negatives
     * @param labels {@code (B, 1 + K)}: 1 for the positive word, 0 for the negatives
     */
    record Batch(int size, float[] inputs, float[] mask, float[] candidates, float[] labels) {}

    private final List<int[]> sentences;
    private final long[] counts;

    private Word2VecExamples(List<int[]> sentences, long[] counts) {
        this.sentences = sentences;
        this.counts = counts;
    }

    /**
     * Splits a stream into sentences of real words and counts them.
     *
     * @param stream token indices of {@code vocabulary}, with {@code <eos>} after each line
     * @param vocabulary the vocabulary
     * @return the examples source
     */
    static Word2VecExamples of(int[] stream, Vocabulary vocabulary) {
        int eos = vocabulary.tokens().indexOf(LanguageModelData.EOS);
        long[] counts = new long[vocabulary.size()];
        List<int[]> sentences = new ArrayList<>();
        int[] current = new int[16];
        int length = 0;
        for (int t : stream) {
            if (t == eos) {
                length = flush(sentences, current, length);
            } else if (t != Vocabulary.PAD_INDEX && t != Vocabulary.UNK_INDEX) {
                counts[t]++;
                if (length == current.length) {
                    current = Arrays.copyOf(current, length * 2);
                }
                current[length++] = t;
            }
        }
        flush(sentences, current, length);
        return new Word2VecExamples(sentences, counts);
    }

    private static int flush(List<int[]> sentences, int[] current, int length) {
        if (length > 0) {
            sentences.add(Arrays.copyOf(current, length));
        }
        return 0;
    }

    /**
     * Returns the count of every token in the stream (0 for the special tokens).
     *
     * @return counts by token index (do not modify)
     */
    long[] counts() {
        return counts;
    }

    /**
     * Returns the sentences: token indices, special tokens removed, no empty sentence.
     *
     * @return the sentences (do not modify)
     */
    List<int[]> sentences() {
        return sentences;
    }

    /**
     * Returns the number of real words in the stream.
     *
     * @return N, the sum of {@link #counts()}
     */
    long words() {
        return Arrays.stream(counts).sum();
    }

    /**
     * Draws one epoch's examples.
     *
     * @param settings mode and window
     * @param subsampler keep probabilities (from the training counts)
     * @param random the random source for subsampling, windows and the shuffle
     * @param shuffle whether to visit the examples in random order (training) or in text order
     * @return the examples
     */
    Epoch epoch(Word2VecSettings settings, Word2VecSubsampler subsampler, Random random,
            boolean shuffle) {
        IntList offsets = new IntList();
        IntList inputs = new IntList();
        IntList targets = new IntList();
        offsets.add(0);
        int[] kept = new int[16];
        for (int[] sentence : sentences) {
            if (kept.length < sentence.length) {
                kept = new int[sentence.length];
            }
            int n = 0;
            for (int t : sentence) {
                if (random.nextDouble() < subsampler.keep(t)) {
                    kept[n++] = t;
                }
            }
            addSentence(kept, n, settings, random, offsets, inputs, targets);
        }
        int[] order = order(targets.size(), shuffle ? random : null);
        return new Epoch(offsets.toArray(), inputs.toArray(), targets.toArray(), order);
    }

    private static void addSentence(int[] words, int n, Word2VecSettings settings, Random random,
            IntList offsets, IntList inputs, IntList targets) {
        boolean cbow = settings.mode() == Word2VecSettings.Mode.CBOW;
        for (int i = 0; i < n; i++) {
            int b = 1 + random.nextInt(settings.window());
            int from = Math.max(0, i - b);
            int to = Math.min(n - 1, i + b);
            if (to == from) {
                continue;
            }
            for (int j = from; j <= to; j++) {
                if (j == i) {
                    continue;
                }
                inputs.add(cbow ? words[j] : words[i]);
                if (!cbow) {
                    targets.add(words[j]);
                    offsets.add(inputs.size());
                }
            }
            if (cbow) {
                targets.add(words[i]);
                offsets.add(inputs.size());
            }
        }
    }

    private static int[] order(int size, Random random) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (random != null) {
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        return order;
    }

    /**
     * Lays out examples {@code order[from .. to)} of an epoch as one batch, drawing K negatives
     * per example, each different from the example's positive word.
     *
     * @param epoch the epoch
     * @param from the first position in the visiting order
     * @param to one past the last position
     * @param width C, the input words per example (1 for skip-gram, {@code 2·window} for CBOW)
     * @param noise the negative-sampling distribution
     * @param negatives K
     * @param random the random source for the negatives
     * @return the batch, {@code B = to - from}
     */
    static Batch batch(Epoch epoch, int from, int to, int width, Word2VecNoiseSampler noise,
            int negatives, Random random) {
        int size = to - from;
        int k1 = 1 + negatives;
        float[] inputs = new float[size * width];
        float[] mask = new float[size * width];
        float[] candidates = new float[size * k1];
        float[] labels = new float[size * k1];
        for (int r = 0; r < size; r++) {
            int e = epoch.order()[from + r];
            int start = epoch.offsets()[e];
            int count = Math.min(width, epoch.offsets()[e + 1] - start);
            for (int c = 0; c < count; c++) {
                inputs[r * width + c] = epoch.inputs()[start + c];
                mask[r * width + c] = 1;
            }
            int positive = epoch.targets()[e];
            candidates[r * k1] = positive;
            labels[r * k1] = 1;
            for (int j = 1; j < k1; j++) {
                candidates[r * k1 + j] = noise.sampleOtherThan(positive, random);
            }
        }
        return new Batch(size, inputs, mask, candidates, labels);
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
