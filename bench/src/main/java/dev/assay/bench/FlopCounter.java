package dev.assay.bench;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.RecurrentBlock;

/**
 * Counts the floating-point operations of one forward pass of an initialized block, per sample,
 * from its layers' weight shapes and input/output shapes (2 FLOPs per multiply-add):
 * <ul>
 *   <li>dense ({@link Linear}, weight {@code (out, in)}): {@code 2·in·out} per position (one
 *       position for a flat input; every time step for a sequence input);</li>
 *   <li>convolution ({@link Convolution}, weight {@code (Cout, Cin/groups, k, k)}): {@code
 *       2·k²·(Cin/groups)·Cout·Hout·Wout};</li>
 *   <li>recurrent ({@link RecurrentBlock}: LSTM, GRU, RNN): every weight matrix {@code (gates·H,
 *       X)} (input-to-hidden with X = input features, hidden-to-hidden with X = H, per layer and
 *       direction) costs {@code 2·gates·H·X} per time step; for one LSTM layer that is {@code
 *       2·4·(in + hidden)·hidden} per step.</li>
 * </ul>
 * Element-wise work (bias, activations, batch norm, pooling, dropout, the LSTM gate
 * non-linearities, the loss) is not counted: it is a few percent of the multiply-adds here.
 *
 * <p>Training ({@link #trainingPerSample}): the backward pass computes, for every weighted layer,
 * the gradient of its weights and the gradient of its input, each about one forward product of
 * multiply-adds, so a step costs about 3× the forward pass (the accounting of Kaplan et al. 2020,
 * "Scaling Laws for Neural Language Models", §2.1: forward 2N FLOPs per token for N parameters,
 * backward twice that, C ≈ 6N) less one thing that rule overcounts: nobody needs the gradient of
 * the data, so the first weighted layer's input gradient is not computed (MXNet skips it when the
 * input's gradient request is null, PyTorch when the input does not require a gradient). Training
 * FLOPs per sample = {@link #TRAINING_FACTOR} × forward − the forward product of the first layer
 * with the data (a dense or convolution layer's whole forward count; a recurrent block's first
 * layer's input-to-hidden products). For the benchmark MLP, whose first layer holds 85% of its
 * multiply-adds, that is 2.15× forward, not 3×. "A few percent" for element-wise work is this
 * counter's own estimate for the three benchmark models, not a measurement.
 */
public final class FlopCounter {

    /** Training step FLOPs ≈ 3 × forward FLOPs (forward + two backward products), less the data's gradient. */
    public static final int TRAINING_FACTOR = 3;

    private FlopCounter() {}

    /**
     * Counts forward FLOPs per sample.
     *
     * @param block an initialized block
     * @param batchSize the batch size it was initialized with (the first axis of its input shape)
     * @return forward FLOPs for one sample
     * @throws IllegalStateException if the block is not initialized
     */
    public static double forwardPerSample(Block block, long batchSize) {
        return count(block) / (double) batchSize;
    }

    /**
     * Counts the FLOPs of one training step per sample: {@link #TRAINING_FACTOR} × the forward
     * count, less the forward product of the first weighted layer with the data, whose input
     * gradient backpropagation does not compute (see the class comment).
     *
     * @param block an initialized block
     * @param batchSize the batch size it was initialized with (the first axis of its input shape)
     * @return training FLOPs for one sample
     * @throws IllegalStateException if the block is not initialized
     */
    public static double trainingPerSample(Block block, long batchSize) {
        return (TRAINING_FACTOR * count(block) - dataGradientNotComputed(block)) / (double) batchSize;
    }

    /** The forward product of the first weighted layer with the data (0 when there is none). */
    private static double dataGradientNotComputed(Block block) {
        if (block instanceof Linear || block instanceof Convolution) {
            return count(block);
        }
        if (block instanceof RecurrentBlock) {
            // only the first layer sees the data: its input-to-hidden weights, in both directions
            Shape input = block.getInputShapes()[0];
            double positions = input.get(0) * (double) input.get(1);
            double perStep = 0;
            for (Parameter p : block.getDirectParameters().values()) {
                if (p.getType() == Parameter.Type.WEIGHT && p.getName().contains("_0_i2h_")) {
                    perStep += 2 * p.getArray().getShape().size();
                }
            }
            return perStep * positions;
        }
        for (Block child : block.getChildren().values()) {
            if (count(child) > 0) {
                return dataGradientNotComputed(child);
            }
        }
        return 0;
    }

    private static double count(Block block) {
        if (block instanceof Linear) {
            Shape weight = weight(block);
            Shape input = block.getInputShapes()[0];
            double inputs = weight.get(1);
            return 2 * weight.size() * (input.size() / inputs);
        }
        if (block instanceof Convolution) {
            Shape out = block.getOutputShapes(block.getInputShapes())[0];
            double positions = out.size() / (double) out.get(1);
            return 2 * weight(block).size() * positions;
        }
        if (block instanceof RecurrentBlock) {
            Shape input = block.getInputShapes()[0];
            double positions = input.get(0) * (double) input.get(1);
            double perStep = 0;
            for (Parameter p : block.getDirectParameters().values()) {
                if (p.getType() == Parameter.Type.WEIGHT) {
                    perStep += 2 * p.getArray().getShape().size();
                }
            }
            return perStep * positions;
        }
        double total = 0;
        for (Block child : block.getChildren().values()) {
            total += count(child);
        }
        return total;
    }

    private static Shape weight(Block block) {
        for (Parameter p : block.getDirectParameters().values()) {
            if (p.getType() == Parameter.Type.WEIGHT) {
                return p.getArray().getShape();
            }
        }
        throw new IllegalStateException("Block " + block + " has no weight parameter.");
    }
}
