package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import org.junit.jupiter.api.Test;

/** The multiply-add counts of dense, convolution and LSTM layers against hand-computed ones. */
class FlopCounterTest {

    @Test
    void mlpCountsTwoFlopsPerWeightOfEachDenseLayer() {
        SequentialBlock mlp = new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            mlp.initialize(manager, DataType.FLOAT32, new Shape(4, 1, 28, 28));
            assertThat(FlopCounter.forwardPerSample(mlp, 4)).isEqualTo(2.0 * (784 * 256 + 256 * 128 + 128 * 10));
            // training: 3x forward, but the first layer's input gradient (the data's) is not computed
            assertThat(FlopCounter.trainingPerSample(mlp, 4))
                    .isEqualTo(2.0 * (3.0 * (784 * 256 + 256 * 128 + 128 * 10) - 784 * 256));
        }
    }

    @Test
    void convolutionCountsKernelTimesChannelsTimesOutputPositions() {
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            conv.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            // no padding: 26 x 26 outputs
            assertThat(FlopCounter.forwardPerSample(conv, 2)).isEqualTo(2.0 * 9 * 1 * 32 * 26 * 26);
            assertThat(FlopCounter.trainingPerSample(conv, 2)).isEqualTo(2 * 2.0 * 9 * 1 * 32 * 26 * 26);
        }
    }

    @Test
    void lstmCountsFourGatesOverInputAndStatePerStep() {
        LSTM lstm = LSTM.builder().setStateSize(128).setNumLayers(1).optBatchFirst(true).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            lstm.initialize(manager, DataType.FLOAT32, new Shape(2, 28, 28));
            assertThat(FlopCounter.forwardPerSample(lstm, 2)).isEqualTo(2.0 * 4 * (28 + 128) * 128 * 28);
            // the input-to-hidden product's data gradient (28 inputs) is left out, the state's is not
            assertThat(FlopCounter.trainingPerSample(lstm, 2))
                    .isEqualTo(2.0 * 4 * (3 * (28 + 128) - 28) * 128 * 28);
        }
    }

    @Test
    void onlyTheFirstLayerOfAStackSkipsItsInputGradient() {
        LSTM lstm = LSTM.builder().setStateSize(16).setNumLayers(2).optBatchFirst(true).optBidirectional(true)
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            lstm.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 8));
            // per direction: layer 0 sees 8 inputs, layer 1 the 2 x 16 outputs of layer 0; both see 16 states
            double forward = 2 * (2.0 * 4 * (8 + 16) * 16 + 2.0 * 4 * (32 + 16) * 16) * 5;
            assertThat(FlopCounter.forwardPerSample(lstm, 2)).isEqualTo(forward);
            assertThat(FlopCounter.trainingPerSample(lstm, 2)).isEqualTo(3 * forward - 2 * 2.0 * 4 * 8 * 16 * 5);
        }
    }
}
