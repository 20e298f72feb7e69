package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MXNet parameter-server choice {@link EngineSelection} makes: DJL still honours the property,
 * and training through the local server gives the same parameters as through MXNet's KVStore.
 */
class ParameterServerTest {

    private final String before = System.getProperty(EngineSelection.LOCAL_PARAMETER_SERVER);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(EngineSelection.LOCAL_PARAMETER_SERVER);
        } else {
            System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, before);
        }
    }

    @Test
    void mxnetHonoursTheLocalParameterServerProperty() {
        Optimizer adam = Optimizer.adam().build();
        Engine mxnet = Engine.getEngine("MXNet");
        System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, "true");
        assertThat(mxnet.newParameterServer(adam)).isInstanceOf(LocalParameterServer.class);
        System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, "false");
        assertThat(mxnet.newParameterServer(adam)).isNotInstanceOf(LocalParameterServer.class);
    }

    @Test
    void localServerTrainsToTheSameParametersAsTheKvStore() {
        float[][] kvStore = train(false);
        float[][] local = train(true);
        assertThat(local.length).isEqualTo(4);
        for (int p = 0; p < local.length; p++) {
            assertThat(local[p]).containsExactly(kvStore[p]);
        }
        // the steps did move the parameters (Adam, learning rate 0.01): not a comparison of initial values
        float[][] initial = trainSteps(true, 0);
        assertThat(local[0]).isNotEqualTo(initial[0]);
    }

    private static float[][] train(boolean localServer) {
        return trainSteps(localServer, 25);
    }

    /** A 6-16-3 MLP, seeded, trained {@code steps} Adam steps on fixed data; its parameters after. */
    private static float[][] trainSteps(boolean localServer, int steps) {
        System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, String.valueOf(localServer));
        Engine engine = Engine.getEngine("MXNet");
        try (NDManager manager = engine.newBaseManager();
                Model model = Model.newInstance("ps-test", engine.getEngineName())) {
            SequentialBlock block = new SequentialBlock()
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(3).build());
            model.setBlock(block);
            engine.setRandomSeed(11);
            NDArray x = manager.randomNormal(new Shape(32, 6));
            NDArray y = manager.randomInteger(0, 3, new Shape(32), ai.djl.ndarray.types.DataType.INT32)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(32, 6));
                for (int i = 0; i < steps; i++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
                        collector.backward(loss);
                    }
                    trainer.step();
                }
                List<float[]> values = new ArrayList<>();
                block.getParameters().forEach(p -> values.add(p.getValue().getArray().toFloatArray()));
                return values.toArray(new float[0][]);
            }
        }
    }
}
