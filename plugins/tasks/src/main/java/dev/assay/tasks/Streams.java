package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * A token stream cut into {@code B} parallel rows of {@code L = ⌊n / B⌋} tokens (the remainder
 * dropped), read in windows of at most {@code bptt} steps: window {@code w} has inputs
 * {@code rows[:, w·bptt : w·bptt + T]} and targets shifted by one, {@code T = min(bptt, L - 1 -
 * w·bptt)}; {@code ⌈(L - 1) / bptt⌉} windows in all.
 *
 * @param tokens the stream
 * @param batch the rows B
 * @param bptt the window length
 */
record Streams(int[] tokens, int batch, int bptt) {

    /**
     * Validates and creates the view.
     *
     * @param tokens the stream
     * @param batch rows
     * @param bptt window length
     * @param split the split's name, for the error
     * @return the view
     * @throws IllegalArgumentException if each row would have fewer than 2 tokens
     */
    static Streams of(int[] tokens, int batch, int bptt, String split) {
        if (tokens.length / batch < 2) {
            throw new IllegalArgumentException("the " + split + " stream has " + tokens.length
                    + " tokens, too few for " + batch + " rows of at least 2 tokens; lower "
                    + ("training".equals(split) ? "training.batch_size" : "the task's eval_batch_size")
                    + " or use more data");
        }
        return new Streams(tokens, batch, bptt);
    }

    /** Tokens per row, L. */
    int rowLength() {
        return tokens.length / batch;
    }

    /**
     * Returns the number of windows.
     *
     * @return {@code ⌈(L - 1) / bptt⌉}
     */
    int windows() {
        return (rowLength() - 1 + bptt - 1) / bptt;
    }

    /**
     * Creates the rows array.
     *
     * @param manager where
     * @return float32 {@code (B, L)} token indices
     */
    NDArray rows(NDManager manager) {
        int l = rowLength();
        float[] values = new float[batch * l];
        for (int i = 0; i < values.length; i++) {
            values[i] = tokens[i];
        }
        return manager.create(values, new Shape(batch, l));
    }

    /**
     * Returns one window.
     *
     * @param rows the rows array
     * @param w the window index
     * @param manager where the slices are attached
     * @return inputs and targets, each {@code (B, T)}
     */
    NDArray[] window(NDArray rows, int w, NDManager manager) {
        int start = w * bptt;
        int t = Math.min(bptt, rowLength() - 1 - start);
        NDArray x = rows.get(new NDIndex(":, {}:{}", start, start + t));
        NDArray y = rows.get(new NDIndex(":, {}:{}", start + 1, start + 1 + t));
        x.attach(manager);
        y.attach(manager);
        return new NDArray[] {x, y};
    }

    /**
     * Returns every target token in window order: row by row, positions 1 to L-1.
     *
     * @return the targets
     */
    int[] targets() {
        int l = rowLength();
        int[] out = new int[batch * (l - 1)];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(tokens, b * l + 1, out, b * (l - 1), l - 1);
        }
        return out;
    }
}
