package dev.assay.architectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.Params;
import dev.assay.train.AdversarialNetworks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Output shapes and input checks of the image architectures: cnn, autoencoder, gan. */
class ImageArchitecturesTest {

    private static final Shape MNIST = new Shape(1, 28, 28);

    private static Block build(ArchitectureProvider p, Map<String, ?> given, Shape s, int out) {
        return p.build(Params.resolve(p.parameters(), given), s, out);
    }

    private static Shape outputOf(Block block, Shape input) {
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, input);
            return block.getOutputShapes(new Shape[] {input})[0];
        }
    }

    @Test
    void cnnMapsImagesToLogits() {
        Block cnn = build(new CnnProvider(), Map.of("filters", java.util.List.of(4, 8, 8)), MNIST,
                10);
        assertThat(outputOf(cnn, new Shape(2, 1, 28, 28))).isEqualTo(new Shape(2, 10));
    }

    @Test
    void cnnRejectsAnEvenKernel() {
        assertThatThrownBy(() -> build(new CnnProvider(), Map.of("kernel_size", 4), MNIST, 10))
                .hasMessage("cnn: kernel_size must be odd for 'same' padding, got 4");
    }

    @Test
    void anEvenKernelAndNoConvBlockAreRefusedWhenTheFileIsRead() {
        // a user's check: kernel_size 4 was planned (--dry-run) and failed each trial as it built its model
        CnnProvider cnn = new CnnProvider();
        assertThat(cnn.checkParams(Params.resolve(cnn.parameters(), Map.of("kernel_size", 4))))
                .isEqualTo(Map.of("kernel_size", "must be odd for 'same' padding, got 4 (try 3 or 5)"));
        assertThat(cnn.checkParams(Params.resolve(cnn.parameters(), Map.of("filters", java.util.List.of()))))
                .isEqualTo(Map.of("filters", "needs at least one conv block, got []; for no convolution use"
                        + " architecture 'mlp'"));
        assertThat(cnn.checkParams(Params.resolve(cnn.parameters(), Map.of("kernel_size", 5)))).isEmpty();
        AutoencoderProvider ae = new AutoencoderProvider();
        assertThat(ae.checkParams(Params.resolve(ae.parameters(), Map.of("type", "conv", "filters",
                java.util.List.of())))).containsOnlyKeys("filters");
        assertThat(ae.checkParams(Params.resolve(ae.parameters(), Map.of("filters", java.util.List.of())))).isEmpty();
    }

    @Test
    void denseAndConvAutoencodersReturnTheInputShape() {
        Shape in = new Shape(3, 1, 28, 28);
        assertThat(outputOf(build(new AutoencoderProvider(), Map.of(), MNIST, 0), in))
                .isEqualTo(in);
        assertThat(outputOf(build(new AutoencoderProvider(), Map.of("type", "conv"), MNIST, 0),
                in)).isEqualTo(in);
        assertThat(outputOf(build(new AutoencoderProvider(),
                Map.of("type", "conv", "upsampling", "nearest"), MNIST, 0), in)).isEqualTo(in);
    }

    @Test
    void transposedConvolutionIsRefusedOnPyTorchWithTheParameterThatAvoidsIt() {
        AutoencoderProvider.checkEngineSupportsTranspose("MXNet");
        assertThatThrownBy(() -> AutoencoderProvider.checkEngineSupportsTranspose("PyTorch"))
                .hasMessage("autoencoder upsampling: transpose needs Conv2dTranspose, which DJL's"
                        + " PyTorch engine does not implement; set model.params.upsampling: nearest"
                        + " (or use engine: mxnet)");
    }

    @Test
    void autoencoderRejectsAnOutputSizeOtherThanTheInput() {
        assertThatThrownBy(() -> build(new AutoencoderProvider(), Map.of(), MNIST, 10))
                .hasMessage("architecture 'autoencoder' reconstructs its input: outputs must be 0"
                        + " (same as the input) or 784 for samples (1, 28, 28), got 10");
    }

    @Test
    void ganHoldsAGeneratorOfImagesAndAOneLogitDiscriminator() {
        for (String type : new String[] {"mlp", "dcgan"}) {
            Block block = build(new GanProvider(), Map.of("type", type, "latent_size", 8), MNIST,
                    0);
            AdversarialNetworks gan = (AdversarialNetworks) block;
            assertThat(gan.latentSize()).isEqualTo(8);
            assertThat(outputOf(gan.generator(), new Shape(2, 8))).as(type)
                    .isEqualTo(new Shape(2, 1, 28, 28));
            assertThat(outputOf(gan.discriminator(), new Shape(2, 1, 28, 28))).as(type)
                    .isEqualTo(new Shape(2, 1));
        }
    }
}
