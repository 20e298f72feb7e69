package dev.assay.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.assay.run.EngineSelection;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The MXNet parameter-server choice {@link EngineSelection} makes: DJL still honours the property,
 * and every optimizer Assay offers trains to the same parameters through the local server as
 * through MXNet's KVStore.
 */
class ParameterServerTest {

    @Test
    void mxnetHonoursTheLocalParameterServerProperty() {
        String before = System.getProperty(EngineSelection.LOCAL_PARAMETER_SERVER);
        try {
            Optimizer adam = Optimizer.adam().build();
            Engine mxnet = Engine.getEngine("MXNet");
            System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, "true");
            assertThat(mxnet.newParameterServer(adam)).isInstanceOf(LocalParameterServer.class);
            System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, "false");
            assertThat(mxnet.newParameterServer(adam)).isNotInstanceOf(LocalParameterServer.class);
        } finally {
            if (before == null) {
                System.clearProperty(EngineSelection.LOCAL_PARAMETER_SERVER);
            } else {
                System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, before);
            }
        }
    }

    @Test
    void everyOptimizerTrainsToTheSameParametersThroughEitherServer() {
        Tracker lr = Tracker.fixed(0.01f);
        Map<String, Supplier<Optimizer>> optimizers = UpdateHarness.offered(lr);
        float[][] initial = UpdateHarness.train(true, Optimizer.sgd().setLearningRateTracker(lr).build(), 0);
        optimizers.forEach((name, optimizer) -> {
            float[][] kvStore = UpdateHarness.train(false, optimizer.get(), 25);
            float[][] local = UpdateHarness.train(true, optimizer.get(), 25);
            assertThat(local).as(name).hasNumberOfRows(4);
            for (int p = 0; p < local.length; p++) {
                assertThat(local[p]).as(name + " parameter " + p).containsExactly(kvStore[p]);
            }
            assertThat(local[0]).as(name + " moved the weights").isNotEqualTo(initial[0]);
        });
    }
}
