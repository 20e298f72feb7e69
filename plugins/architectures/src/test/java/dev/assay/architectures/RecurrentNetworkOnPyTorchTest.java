package dev.assay.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RecurrentNetworkTest} on PyTorch (the module's {@code pytorch} surefire execution runs this class in
 * a JVM of its own): DJL 0.36's PyTorch engine has no {@code batchDot} ("Not implemented"), which
 * reversing padded sequences within their lengths for the backward direction of a
 * bidirectional LSTM/GRU used: every bidirectional classifier with padding failed on PyTorch.
 */
class RecurrentNetworkOnPyTorchTest extends RecurrentNetworkTest {

    @BeforeAll
    static void onPyTorch() {
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
    }
}
