package dev.assay.architectures;

import static dev.assay.plugin.ParamType.BOOLEAN;
import static dev.assay.plugin.ParamType.DOUBLE;
import static dev.assay.plugin.ParamType.INT;
import static dev.assay.plugin.ParamType.INT_LIST;
import static dev.assay.plugin.ParamType.STRING;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import java.util.List;
import java.util.function.Function;

/**
 * A convolutional network for images (LeCun et al. 1998, "Gradient-based learning applied to
 * document recognition"): one block per entry of {@code filters}, each {@code Conv2d(k×k, same
 * padding, stride 1) → (BatchNorm) → activation → MaxPool(2×2, stride 2)}, then flatten, then for
 * each entry of {@code dense} {@code Linear → activation → (Dropout)}, then {@code Linear(outputs)}
 * giving logits. Batch normalization follows Ioffe &amp; Szegedy 2015; dropout Srivastava et al.
 * 2014 (units zeroed with probability {@code dropout} in training, the rest scaled by
 * {@code 1/(1-dropout)}; off at evaluation).
 *
 * <p>Shapes: input {@code (batch, channels, height, width)}, e.g. {@code (batch, 1, 28, 28)};
 * after block i the spatial size is {@code floor(size / 2^i)} (odd sizes round down) with
 * {@code filters[i]} channels; output {@code (batch, outputs)}. With the defaults ({@code filters
 * [32, 64]}, {@code dense [128]}) a 28×28 image becomes {@code (64, 7, 7)} = 3,136 features.
 *
 * <p>Trained by the {@code classification} task unchanged.
 */
public final class CnnProvider implements ArchitectureProvider {

    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("filters", INT_LIST, List.of(32L, 64L),
                    "output channels of each conv block; the list length is the number of blocks")
                    .range(1, Double.NaN),
            ParamDescriptor.of("kernel_size", INT, 3L,
                    "square convolution kernel size in pixels (odd, 'same' padding)").range(1, 15),
            ParamDescriptor.of("batch_norm", BOOLEAN, true,
                    "batch normalization after each convolution (Ioffe & Szegedy 2015)"),
            ParamDescriptor.of("dense", INT_LIST, List.of(128L),
                    "hidden dense layer sizes after the conv blocks").range(1, Double.NaN),
            ParamDescriptor.of("dropout", DOUBLE, 0.3,
                    "dropout rate after each hidden dense layer").range(0, 0.99),
            ParamDescriptor.of("activation", STRING, "relu", "activation after conv and dense")
                    .choices("relu", "tanh", "sigmoid", "gelu", "leaky_relu", "elu"));

    @Override
    public String description() {
        return "convolutional network: conv-(BN)-activation-maxpool blocks, dense layers, logits";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Refuses, when the experiment file is read, an even {@code kernel_size} ('same' padding pads
     * {@code (k - 1) / 2} on each side, so only an odd kernel keeps the size) and an empty {@code
     * filters} list (no convolution at all: an MLP under another name). Both failed only when the
     * trial built its model, leaving a failed run.
     *
     * @param params the resolved parameters
     * @return {@code kernel_size} and/or {@code filters} → what is wrong, or empty
     */
    @Override
    public java.util.Map<String, String> checkParams(dev.assay.plugin.Params params) {
        java.util.Map<String, String> wrong = new java.util.LinkedHashMap<>();
        int kernel = params.getInt("kernel_size");
        if (kernel % 2 == 0) {
            wrong.put("kernel_size", "must be odd for 'same' padding, got " + kernel + " (try " + (kernel - 1)
                    + " or " + (kernel + 1) + ")");
        }
        if (params.getIntArray("filters").length == 0) {
            wrong.put("filters", "needs at least one conv block, got []; for no convolution use architecture 'mlp'");
        }
        return wrong;
    }

    /**
     * Builds the CNN.
     *
     * @param params {@code filters}, {@code kernel_size}, {@code batch_norm}, {@code dense},
     *     {@code dropout}, {@code activation}
     * @param sampleShape one sample's shape {@code (channels, height, width)}
     * @param outputs the number of logits (≥ 1)
     * @return the block, mapping {@code (batch, channels, height, width)} to {@code (batch,
     *     outputs)}
     * @throws IllegalArgumentException if the sample is not 3-dimensional, the kernel size is
     *     even, or the image is too small for the number of pooling blocks
     */
    /**
     * Builds a {@link SequentialBlock}: not a sequence model, so the sequence tasks refuse it when the file is read.
     *
     * @return {@link SequentialBlock}
     */
    @Override
    public Class<?> blockType() {
        return SequentialBlock.class;
    }

    @Override
    public Block build(Params params, Shape sampleShape, int outputs) {
        int[] filters = params.getIntArray("filters");
        int kernel = params.getInt("kernel_size");
        checkInput(sampleShape, filters.length, kernel);
        Function<NDList, NDList> activation = DenseLayers.activation(params.getString("activation"));
        SequentialBlock net = new SequentialBlock();
        for (int f : filters) {
            net.add(conv(f, kernel));
            if (params.getBoolean("batch_norm")) {
                net.add(BatchNorm.builder().build());
            }
            net.add(activation).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        net.add(Blocks.batchFlattenBlock());
        DenseLayers.hidden(net, params.getIntArray("dense"), activation, false,
                params.getDouble("dropout"));
        return net.add(Linear.builder().setUnits(outputs).build());
    }

    /**
     * Returns a stride-1 convolution with "same" padding ({@code kernel / 2} on each side).
     *
     * @param filters output channels
     * @param kernel odd kernel size
     * @return the layer, {@code (batch, c, h, w)} to {@code (batch, filters, h, w)}
     */
    static Conv2d conv(int filters, int kernel) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(kernel / 2, kernel / 2)).build();
    }

    private static void checkInput(Shape sampleShape, int blocks, int kernel) {
        if (sampleShape.dimension() != 3) {
            throw new IllegalArgumentException("architecture 'cnn' needs image samples shaped"
                    + " (channels, height, width), got " + sampleShape);
        }
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException(
                    "cnn: kernel_size must be odd for 'same' padding, got " + kernel);
        }
        long smallest = Math.min(sampleShape.get(1), sampleShape.get(2));
        if (smallest >> blocks < 1) {
            throw new IllegalArgumentException("cnn: " + blocks + " pooling blocks halve a "
                    + sampleShape.get(1) + "x" + sampleShape.get(2) + " image to nothing; use at"
                    + " most " + (63 - Long.numberOfLeadingZeros(smallest)) + " filters entries");
        }
    }
}
