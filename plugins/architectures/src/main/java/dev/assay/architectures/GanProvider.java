package dev.assay.architectures;

import static dev.assay.plugin.ParamType.BOOLEAN;
import static dev.assay.plugin.ParamType.INT;
import static dev.assay.plugin.ParamType.INT_LIST;
import static dev.assay.plugin.ParamType.STRING;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import java.util.List;
import java.util.function.Function;

/**
 * A generative adversarial network (Goodfellow et al. 2014, "Generative Adversarial Nets"): a
 * generator G and a discriminator D, returned together as a {@link GanNetworks} block (which
 * implements {@link dev.assay.train.AdversarialNetworks}) and trained by the {@code adversarial}
 * task as two models with two optimizers. This is how a GAN fits the one-architecture spec:
 * {@code model.architecture: gan} configures both networks; the task's parameters configure the
 * two optimizers.
 *
 * <p>{@code type: mlp}: G is {@code Linear(generator_hidden[i]) → (BatchNorm) → ReLU} per entry,
 * then {@code Linear(channels·height·width) → sigmoid → reshape}; D is flatten → {@code
 * Linear(discriminator_hidden[i]) → LeakyReLU(0.2)} per entry → {@code Linear(1)}.
 *
 * <p>{@code type: dcgan} (after Radford, Metz &amp; Chintala 2016, "Unsupervised representation
 * learning with deep convolutional GANs"): with {@code f = filters}, G is {@code Linear(2f·h/4·w/4)
 * → BatchNorm → ReLU → reshape (2f, h/4, w/4) → upsample ×2 → Conv2d(3×3, f) → BatchNorm → ReLU →
 * upsample ×2 → Conv2d(3×3, channels) → sigmoid} (nearest-neighbour upsampling plus convolution
 * instead of transposed convolution: Odena et al. 2016, "Deconvolution and checkerboard
 * artifacts"); D is {@code Conv2d(4×4, stride 2, f) → LeakyReLU(0.2) → Conv2d(4×4, stride 2, 2f)
 * → BatchNorm → LeakyReLU(0.2) → flatten → Linear(1)}. Height and width must be divisible by 4.
 *
 * <p>Shapes: G maps {@code (batch, latent_size)} to {@code (batch, channels, height, width)} with
 * values in (0, 1) (sigmoid; pixels scaled by the datasets' {@code normalize: true}); D maps
 * {@code (batch, channels, height, width)} to logits {@code (batch, 1)}. The image shape comes from
 * {@code sampleShape}; {@code outputs} must be 0 (the adversarial task passes 0) or 1 (the
 * discriminator's output size).
 */
public final class GanProvider implements ArchitectureProvider {

    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("type", STRING, "mlp", "mlp (dense G and D) or dcgan (conv)")
                    .choices("mlp", "dcgan"),
            ParamDescriptor.of("latent_size", INT, 64L, "size of the generator's Gaussian input")
                    .range(1, Double.NaN),
            ParamDescriptor.of("generator_hidden", INT_LIST, List.of(256L, 512L),
                    "mlp: generator hidden sizes, latent to image").range(1, Double.NaN),
            ParamDescriptor.of("discriminator_hidden", INT_LIST, List.of(512L, 256L),
                    "mlp: discriminator hidden sizes, image to logit").range(1, Double.NaN),
            ParamDescriptor.of("filters", INT, 32L, "dcgan: base channel count f (layers use f"
                    + " and 2f)").range(1, Double.NaN),
            ParamDescriptor.of("batch_norm", BOOLEAN, true,
                    "mlp: batch normalization in the generator's hidden layers"));

    @Override
    public String description() {
        return "GAN: generator and discriminator (mlp or dcgan), for the adversarial task";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Builds both networks.
     *
     * @param params {@code type}, {@code latent_size}, {@code generator_hidden}, {@code
     *     discriminator_hidden}, {@code filters}, {@code batch_norm}
     * @param sampleShape one image's shape {@code (channels, height, width)}
     * @param outputs 0 or 1
     * @return a {@link GanNetworks}; its own forward pass is the generator's
     * @throws IllegalArgumentException if the sample is not 3-dimensional, {@code outputs} is not
     *     0 or 1, or (dcgan) the height or width is not divisible by 4
     */
    /**
     * Builds a generator and a discriminator in one block, which the {@code adversarial} task
     * trains.
     *
     * @return {@link GanNetworks}, a block and {@link dev.assay.train.AdversarialNetworks}
     */
    @Override
    public Class<?> blockType() {
        return GanNetworks.class;
    }

    @Override
    public Block build(Params params, Shape sampleShape, int outputs) {
        if (sampleShape.dimension() != 3) {
            throw new IllegalArgumentException("architecture 'gan' needs image samples shaped"
                    + " (channels, height, width), got " + sampleShape);
        }
        if (outputs != 0 && outputs != 1) {
            throw new IllegalArgumentException("architecture 'gan' has a one-logit discriminator:"
                    + " outputs must be 0 or 1, got " + outputs);
        }
        int latent = params.getInt("latent_size");
        boolean mlp = params.getString("type").equals("mlp");
        Block g = mlp ? mlpGenerator(params, sampleShape) : dcganGenerator(params, sampleShape);
        Block d = mlp ? mlpDiscriminator(params) : dcganDiscriminator(params);
        return new GanNetworks(g, d, latent);
    }

    private static Block mlpGenerator(Params params, Shape sample) {
        SequentialBlock g = new SequentialBlock();
        for (int units : params.getIntArray("generator_hidden")) {
            g.add(Linear.builder().setUnits(units).build());
            if (params.getBoolean("batch_norm")) {
                g.add(BatchNorm.builder().build());
            }
            g.add(Activation::relu);
        }
        return g.add(Linear.builder().setUnits(sample.size()).build()).add(Activation::sigmoid)
                .add(AutoencoderProvider.reshape(sample));
    }

    private static Block mlpDiscriminator(Params params) {
        SequentialBlock d = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int units : params.getIntArray("discriminator_hidden")) {
            d.add(Linear.builder().setUnits(units).build()).add(leakyRelu());
        }
        return d.add(Linear.builder().setUnits(1).build());
    }

    private static Block dcganGenerator(Params params, Shape sample) {
        long h = sample.get(1);
        long w = sample.get(2);
        if (h % 4 != 0 || w % 4 != 0) {
            throw new IllegalArgumentException("architecture 'gan' type dcgan needs height and"
                    + " width divisible by 4, got " + h + "x" + w);
        }
        int f = params.getInt("filters");
        Shape first = new Shape(2L * f, h / 4, w / 4);
        return new SequentialBlock()
                .add(Linear.builder().setUnits(first.size()).build())
                .add(BatchNorm.builder().build()).add(Activation::relu)
                .add(AutoencoderProvider.reshape(first))
                .add(upsample()).add(CnnProvider.conv(f, 3))
                .add(BatchNorm.builder().build()).add(Activation::relu)
                .add(upsample()).add(CnnProvider.conv((int) sample.get(0), 3))
                .add(Activation::sigmoid);
    }

    private static Block dcganDiscriminator(Params params) {
        int f = params.getInt("filters");
        return new SequentialBlock()
                .add(strided(f)).add(leakyRelu())
                .add(strided(2 * f)).add(BatchNorm.builder().build()).add(leakyRelu())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(1).build());
    }

    /** A 4×4 convolution with stride 2 and padding 1: halves height and width. */
    private static Block strided(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(4, 4))
                .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).build();
    }

    private static Function<NDList, NDList> leakyRelu() {
        return x -> Activation.leakyRelu(x, 0.2f);
    }

    /**
     * Nearest-neighbour upsampling by 2: {@code (batch, c, h, w)} → {@code (batch, c, 2h, 2w)},
     * each pixel copied into a 2×2 square (reshape and broadcast, differentiable on MXNet).
     */
    static Block upsample() {
        return LambdaBlock.singleton(GanProvider::upsample2, "upsample");
    }

    private static NDArray upsample2(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(b, c, h, 1, w, 1).broadcast(b, c, h, 2, w, 2).reshape(b, c, 2 * h, 2 * w);
    }
}
