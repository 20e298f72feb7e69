package dev.assay.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link Seq2SeqNetworkTest} on PyTorch (the module's {@code pytorch} surefire execution runs this class in
 * a JVM of its own): DJL 0.36's PyTorch engine has no {@code batchDot} ("Not implemented"), which
 * the additive and dot attention used: every such seq2seq trial failed on PyTorch.
 */
class Seq2SeqNetworkOnPyTorchTest extends Seq2SeqNetworkTest {

    @BeforeAll
    static void onPyTorch() {
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
    }
}
