package dev.assay.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.BeforeAll;

/** {@link LstmCheckTest} on PyTorch, with oneDNN capped at AVX2 as a process claiming PyTorch caps it. */
class LstmCheckOnPyTorchTest extends LstmCheckTest {

    @BeforeAll
    static void onPyTorch() {
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
    }
}
