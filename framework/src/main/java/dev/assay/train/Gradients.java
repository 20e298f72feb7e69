package dev.assay.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.assay.spec.TrialConfig;

/**
 * Gradient buffers on engines whose backward pass adds to them. DJL's MXNet engine attaches
 * gradients in MXNet's {@code write} mode: each backward pass overwrites them. DJL's PyTorch engine
 * leaves PyTorch's default, {@code accumulate}: each backward pass adds to them, and only DJL's
 * own PyTorch optimizer updates zero the gradients they consume. So on PyTorch an update rule
 * written outside DJL must zero the weight's gradient after updating it ({@link #updated}), and a backward pass through
 * parameters another trainer updates (a GAN's generator step back-propagates through the
 * discriminator) leaves gradients there that the other trainer's next step would add to its own
 * ({@link #clear(Block)} before that trainer's backward pass).
 */
public final class Gradients {

    private static final NDIndex ALL = new NDIndex("...");

    private Gradients() {}

    /**
     * Whether the engine owning {@code array} adds each backward pass's gradient to the last.
     *
     * @param array any array of the engine
     * @return false on MXNet (gradients overwritten), true on any other engine
     */
    public static boolean accumulate(NDArray array) {
        return !TrialConfig.MXNET.equals(array.getManager().getEngine().getEngineName());
    }

    /**
     * Zeroes the gradient of a weight an update rule has just updated, where the engine
     * accumulates (so the next backward pass starts from zero, as DJL's own PyTorch updates
     * ensure); a no-op on MXNet. The weight's own gradient, not the array the update was given:
     * DJL's {@code LocalParameterServer} hands the optimizer a copy.
     *
     * @param weight the updated parameter
     */
    public static void updated(NDArray weight) {
        if (accumulate(weight) && weight.hasGradient()) {
            weight.getGradient().set(ALL, 0f);
        }
    }

    /**
     * Zeroes the gradient of every trained parameter of a block, where the engine accumulates;
     * a no-op on MXNet.
     *
     * @param block an initialized block
     */
    public static void clear(Block block) {
        for (Parameter p : block.getParameters().values()) {
            if (p.isInitialized() && p.requiresGradient()) {
                NDArray array = p.getArray();
                if (array.hasGradient() && accumulate(array)) {
                    array.getGradient().set(ALL, 0f);
                }
            }
        }
    }
}
