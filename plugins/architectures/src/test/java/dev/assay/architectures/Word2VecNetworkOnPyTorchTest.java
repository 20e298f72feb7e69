package dev.assay.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link Word2VecNetworkTest}'s scoring, training and input checks on PyTorch (the module's
 * {@code pytorch} surefire execution runs this class in a JVM of its own): the task hands token
 * indices as float32, which PyTorch's embedding refused ("Expected tensor for argument #1 'indices'
 * to have one of the following scalar types: Long, Int"), failing every word2vec trial.
 */
class Word2VecNetworkOnPyTorchTest extends Word2VecNetworkTest {

    @BeforeAll
    static void onPyTorch() {
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
    }
}
