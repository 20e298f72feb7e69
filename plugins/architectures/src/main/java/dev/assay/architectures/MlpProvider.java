package dev.assay.architectures;

import static dev.assay.plugin.ParamType.BOOLEAN;
import static dev.assay.plugin.ParamType.DOUBLE;
import static dev.assay.plugin.ParamType.INT_LIST;
import static dev.assay.plugin.ParamType.STRING;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.Params;
import java.util.List;

/**
 * A multilayer perceptron: flatten, then for each hidden size {@code Linear → (BatchNorm) →
 * activation → (Dropout)}, then {@code Linear(outputs)} giving logits.
 *
 * <p>Input {@code (batch, d1, d2, ...)} (e.g. {@code (batch, 1, 28, 28)}), flattened to
 * {@code (batch, d1·d2·...)}; output {@code (batch, outputs)}. Dropout (Srivastava et al. 2014)
 * zeroes each hidden unit with probability {@code dropout} during training and scales the rest by
 * {@code 1/(1-dropout)}; it is off at evaluation.
 */
public final class MlpProvider implements ArchitectureProvider {

    private static final List<ParamDescriptor> PARAMS = List.of(
            ParamDescriptor.of("hidden", INT_LIST, List.of(256L, 128L),
                    "hidden layer sizes, input to output").range(1, Double.NaN),
            ParamDescriptor.of("activation", STRING, "relu", "hidden activation")
                    .choices("relu", "tanh", "sigmoid", "gelu", "leaky_relu", "elu"),
            ParamDescriptor.of("dropout", DOUBLE, 0.0,
                    "dropout rate after each hidden activation").range(0, 0.99),
            ParamDescriptor.of("batch_norm", BOOLEAN, false,
                    "batch normalization after each hidden linear layer (Ioffe & Szegedy 2015)"));

    @Override
    public String description() {
        return "multilayer perceptron: flatten, dense hidden layers, dense output";
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMS;
    }

    /**
     * Builds the MLP.
     *
     * @param params {@code hidden}, {@code activation}, {@code dropout}, {@code batch_norm}
     * @param sampleShape one sample's shape, flattened by the first layer
     * @param outputs the number of logits
     * @return the block, mapping {@code (batch, sampleShape...)} to {@code (batch, outputs)}
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
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock());
        DenseLayers.hidden(net, params.getIntArray("hidden"),
                DenseLayers.activation(params.getString("activation")),
                params.getBoolean("batch_norm"), params.getDouble("dropout"));
        return net.add(Linear.builder().setUnits(outputs).build());
    }
}
