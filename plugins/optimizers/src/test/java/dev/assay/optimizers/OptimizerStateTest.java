package dev.assay.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial stopped after some steps and continued from its checkpoint takes exactly the steps it
 * would have taken without the stop, for every optimizer Assay offers: the optimizer's state
 * (momentum, moment estimates, history, update counts) is saved and restored.
 */
class OptimizerStateTest {

    @TempDir
    Path dir;

    @Test
    void everyOptimizerContinuesBitIdenticallyFromASavedState() {
        // a learning rate that falls with the update count: a restored optimizer must count on
        Tracker decaying = numUpdate -> 0.02f / (1 + 0.25f * numUpdate);
        Map<String, Supplier<Optimizer>> optimizers = UpdateHarness.offered(decaying);
        optimizers.forEach((name, optimizer) -> {
            float[][] straight = UpdateHarness.train(true, optimizer.get(), 10);
            float[][] continued = UpdateHarness.trainResumed(optimizer, 4, 6, dir, true);
            for (int p = 0; p < straight.length; p++) {
                assertThat(continued[p]).as(name + " parameter " + p).containsExactly(straight[p]);
            }
            if (!name.equals("sgd")) { // plain SGD keeps no state: the only one a zero state leaves right
                float[][] zeroState = UpdateHarness.trainResumed(optimizer, 4, 6, dir, false);
                assertThat(zeroState[0]).as(name + " without its state").isNotEqualTo(straight[0]);
            }
        });
    }
}
