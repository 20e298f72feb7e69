package dev.assay.architectures;

import static dev.assay.plugin.ParamType.INT;
import static dev.assay.plugin.ParamType.INT_LIST;
import static dev.assay.plugin.ParamType.STRING;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2dTranspose;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import dev.assay.spec.TrialConfig;
import java.util.List;
import java.util.function.Function;

/**
 * An undercomplete autoencoder (Hinton &amp; Salakhutdinov 2006, "Reducing the dimensionality of
 * data with neural networks"): an encoder maps an image to a code of {@code bottleneck} numbers
 * and a decoder maps the code back to an image of the input's shape. Trained by the
 * {@code reconstruction} task (mean squared error, optionally denoising: Vincent et al. 2008).
 *
 * <p>{@code type: dense}: flatten → {@code Linear(hidden[i]) → activation} for each entry →
 * {@code Linear(bottleneck)} (the code, linear) → {@code Linear(hidden[i]) → activation} in
 * reverse order → {@code Linear(channels·height·width)} → output activation → reshape.
 *
 * <p>{@code type: conv}: for each entry of {@code filters} {@code Conv2d(3×3, same) → activation
 * → MaxPool(2×2)}, flatten → {@code Linear(bottleneck)} (the code) → {@code Linear(f·h·w) →
 * activation} → reshape to {@code (f, h, w)} (the last encoder feature map) → for each block in
 * reverse order an upsampling step that doubles height and width, {@code Conv2dTranspose(4×4,
 * stride 2, padding 1, filters[i]) → activation} with {@code upsampling: transpose} (default) or
 * nearest-neighbour ×2 then {@code Conv2d(3×3, same, filters[i]) → activation} with
 * {@code upsampling: nearest} (Odena et al. 2016, "Deconvolution and checkerboard artifacts";
 * the one DJL's PyTorch engine runs, as it does not implement transposed convolution), and,
 * between blocks, {@code Conv2d(3×3, same, filters[i-1]) →
 * activation} → finally {@code Conv2d(3×3, same, channels)} → output activation. Height and
 * width must be divisible by {@code 2^blocks} (28 allows two blocks).
 *
 * <p><b>Shapes and the {@code outputs} convention.</b> Input {@code (batch, channels, height,
 * width)}; code {@code (batch, bottleneck)}; output {@code (batch, channels, height, width)}, the
 * same as the input. The architecture learns the image shape from {@code sampleShape} of
 * {@link ArchitectureProvider#build}; the reconstruction task passes {@code outputs = 0}, meaning
 * "same as the input". Any other value must equal {@code channels·height·width}.
 *
 * <p>The output activation is {@code sigmoid} by default, matching pixels scaled to {@code [0, 1]}
 * (the datasets' {@code normalize: true}); use {@code none} for unscaled data.
 */
public final class AutoencoderProvider implements ArchitectureProvider {

    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("type", STRING, "dense", "dense (MLP) or conv (convolutional)")
                    .choices("dense", "conv"),
            ParamDescriptor.of("bottleneck", INT, 32L, "size of the code between encoder and"
                    + " decoder").range(1, Double.NaN),
            ParamDescriptor.of("hidden", INT_LIST, List.of(256L),
                    "dense: encoder hidden sizes, input to code (mirrored in the decoder)")
                    .range(1, Double.NaN),
            ParamDescriptor.of("filters", INT_LIST, List.of(16L, 32L),
                    "conv: channels of each encoder block (mirrored in the decoder)")
                    .range(1, Double.NaN),
            ParamDescriptor.of("upsampling", STRING, "transpose", "conv: decoder upsampling,"
                    + " transposed convolution or nearest-neighbour + conv (PyTorch engine: nearest)")
                    .choices("transpose", "nearest"),
            ParamDescriptor.of("activation", STRING, "relu", "hidden activation")
                    .choices("relu", "tanh", "sigmoid", "gelu", "leaky_relu", "elu"),
            ParamDescriptor.of("output_activation", STRING, "sigmoid",
                    "activation of the reconstruction: sigmoid for pixels in [0, 1], none")
                    .choices("sigmoid", "none"));

    /**
     * Refuses, when the experiment file is read, {@code type: conv} with an empty {@code filters}
     * list (no encoder block).
     *
     * @param params the resolved parameters
     * @return {@code filters} → what is wrong, or empty
     */
    @Override
    public java.util.Map<String, String> checkParams(dev.assay.plugin.Params params) {
        if (params.getString("type").equals("conv") && params.getIntArray("filters").length == 0) {
            return java.util.Map.of("filters", "needs at least one conv block for type conv, got []");
        }
        return java.util.Map.of();
    }

    @Override
    public String description() {
        return "autoencoder (dense or conv) with a bottleneck; output has the input's shape";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Builds the autoencoder.
     *
     * @param params {@code type}, {@code bottleneck}, {@code hidden}, {@code filters},
     *     {@code activation}, {@code output_activation}
     * @param sampleShape one sample's shape {@code (channels, height, width)}
     * @param outputs 0 (same as the input), or {@code channels·height·width}
     * @return a block mapping {@code (batch, channels, height, width)} to the same shape
     * @throws IllegalArgumentException if the sample is not 3-dimensional, {@code outputs} is
     *     neither 0 nor the sample size, (conv) the image size is not divisible by
     *     {@code 2^blocks}, or {@code upsampling: transpose} is asked of the PyTorch engine
     */
    /**
     * Builds an {@link AutoencoderNetwork} (encoder then decoder): not a sequence model, so the
     * sequence tasks refuse it when the file is read, and a {@link dev.assay.train.ReconstructionModel},
     * which classification refuses.
     *
     * @return {@link AutoencoderNetwork}
     */
    @Override
    public Class<?> blockType() {
        return AutoencoderNetwork.class;
    }

    /** The autoencoder's block: a {@link SequentialBlock} of encoder and decoder layers. */
    static final class AutoencoderNetwork extends SequentialBlock implements dev.assay.train.ReconstructionModel {
    }

    @Override
    public Block build(Params params, Shape sampleShape, int outputs) {
        checkShape(sampleShape, outputs);
        Function<NDList, NDList> act = DenseLayers.activation(params.getString("activation"));
        SequentialBlock net = params.getString("type").equals("dense")
                ? dense(params, sampleShape, act) : conv(params, sampleShape, act);
        if (params.getString("output_activation").equals("sigmoid")) {
            net.add(Activation::sigmoid);
        }
        return net;
    }

    private static SequentialBlock dense(Params params, Shape sample,
            Function<NDList, NDList> act) {
        int[] hidden = params.getIntArray("hidden");
        SequentialBlock net = new AutoencoderNetwork().add(Blocks.batchFlattenBlock());
        for (int units : hidden) {
            net.add(Linear.builder().setUnits(units).build()).add(act);
        }
        net.add(Linear.builder().setUnits(params.getInt("bottleneck")).build());
        for (int i = hidden.length - 1; i >= 0; i--) {
            net.add(Linear.builder().setUnits(hidden[i]).build()).add(act);
        }
        net.add(Linear.builder().setUnits(sample.size()).build());
        return net.add(reshape(sample));
    }

    private static SequentialBlock conv(Params params, Shape sample,
            Function<NDList, NDList> act) {
        int[] filters = params.getIntArray("filters");
        int scale = 1 << filters.length;
        long h = sample.get(1);
        long w = sample.get(2);
        if (h % scale != 0 || w % scale != 0) {
            throw new IllegalArgumentException("autoencoder type conv: " + filters.length
                    + " blocks need height and width divisible by " + scale + ", got " + h + "x"
                    + w);
        }
        SequentialBlock net = new AutoencoderNetwork();
        for (int f : filters) {
            net.add(CnnProvider.conv(f, 3)).add(act)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        int last = filters[filters.length - 1];
        Shape code = new Shape(last, h / scale, w / scale);
        net.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(params.getInt("bottleneck")).build())
                .add(Linear.builder().setUnits(code.size()).build()).add(act)
                .add(reshape(code));
        boolean transpose = params.getString("upsampling").equals("transpose");
        if (transpose) {
            checkEngineSupportsTranspose(Engine.getInstance().getEngineName());
        }
        for (int i = filters.length - 1; i >= 0; i--) {
            if (transpose) {
                // Same channels in and out: DJL 0.36 gives MXNet a transposed-conv weight of
                // (filters, in) where MXNet expects (in, filters), so the channel change is a conv.
                net.add(Conv2dTranspose.builder().setFilters(filters[i])
                        .setKernelShape(new Shape(4, 4)).optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1)).build()).add(act);
            } else {
                net.add(GanProvider.upsample()).add(CnnProvider.conv(filters[i], 3)).add(act);
            }
            if (i > 0) {
                net.add(CnnProvider.conv(filters[i - 1], 3)).add(act);
            }
        }
        return net.add(CnnProvider.conv((int) sample.get(0), 3));
    }

    /**
     * Checks that an engine runs transposed convolution.
     *
     * @param engineName the DJL engine name, e.g. {@code MXNet}
     * @throws IllegalArgumentException for {@code PyTorch}, whose DJL 0.36 engine does not
     *     implement it, naming the parameter that avoids it
     */
    static void checkEngineSupportsTranspose(String engineName) {
        if (engineName.equals(TrialConfig.PYTORCH)) {
            throw new IllegalArgumentException("autoencoder upsampling: transpose needs"
                    + " Conv2dTranspose, which DJL's PyTorch engine does not implement; set"
                    + " model.params.upsampling: nearest (or use engine: mxnet)");
        }
    }

    /**
     * Returns a block reshaping {@code (batch, ∏shape)} to {@code (batch, shape...)}.
     *
     * @param shape the per-sample shape
     * @return the parameter-free block
     */
    static Block reshape(Shape shape) {
        Shape target = new Shape(-1).addAll(shape);
        return LambdaBlock.singleton(x -> x.reshape(target), "reshape");
    }

    private static void checkShape(Shape sampleShape, int outputs) {
        if (sampleShape.dimension() != 3) {
            throw new IllegalArgumentException("architecture 'autoencoder' needs image samples"
                    + " shaped (channels, height, width), got " + sampleShape);
        }
        if (outputs != 0 && outputs != sampleShape.size()) {
            throw new IllegalArgumentException("architecture 'autoencoder' reconstructs its input:"
                    + " outputs must be 0 (same as the input) or " + sampleShape.size()
                    + " for samples " + sampleShape + ", got " + outputs);
        }
    }
}
