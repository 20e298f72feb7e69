package dev.assay.architectures;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import java.util.function.Function;

/** The pieces the dense parts of the MLP and the CNN share: activations and hidden layers. */
final class DenseLayers {

    private DenseLayers() {}

    /**
     * Maps an activation name to its function.
     *
     * @param name relu, tanh, sigmoid, gelu, leaky_relu (slope 0.01) or elu (α = 1)
     * @return the elementwise function, shape-preserving
     * @throws IllegalArgumentException if the name is unknown
     */
    static Function<NDList, NDList> activation(String name) {
        return switch (name) {
            case "relu" -> Activation::relu;
            case "tanh" -> Activation::tanh;
            case "sigmoid" -> Activation::sigmoid;
            case "gelu" -> Activation::gelu;
            case "leaky_relu" -> x -> Activation.leakyRelu(x, 0.01f);
            case "elu" -> x -> Activation.elu(x, 1.0f);
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'");
        };
    }

    /**
     * Appends hidden dense layers, each {@code Linear → (BatchNorm) → activation → (Dropout)},
     * mapping {@code (batch, features)} to {@code (batch, units[last])}.
     *
     * @param net the block to append to; its output must be flat {@code (batch, features)}
     * @param units hidden sizes, in order
     * @param activation the activation after each layer
     * @param batchNorm whether to normalize after each linear layer (Ioffe &amp; Szegedy 2015)
     * @param dropout the dropout rate after each activation; 0 adds no dropout layer
     * @return {@code net}
     */
    static SequentialBlock hidden(SequentialBlock net, int[] units,
            Function<NDList, NDList> activation, boolean batchNorm, double dropout) {
        for (int u : units) {
            net.add(Linear.builder().setUnits(u).build());
            if (batchNorm) {
                net.add(BatchNorm.builder().build());
            }
            net.add(activation);
            if (dropout > 0) {
                net.add(Dropout.builder().optRate((float) dropout).build());
            }
        }
        return net;
    }
}
