package dev.assay.optimizers;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.assay.run.EngineSelection;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a seeded 6-16-3 MLP on fixed data (32 examples, 3 classes, softmax cross-entropy) for a
 * number of steps on MXNet, through the parameter server chosen by
 * {@link EngineSelection#LOCAL_PARAMETER_SERVER}, and returns its parameters: the same initial
 * weights and data every call, so two calls differ only in the server and the optimizer.
 */
final class UpdateHarness {

    private UpdateHarness() {}

    /**
     * Trains and returns the parameters, restoring the server property afterwards.
     *
     * @param localServer true for DJL's local parameter server, false for MXNet's KVStore
     * @param optimizer a fresh optimizer (its state is per instance)
     * @param steps update steps (0: the initial parameters)
     * @return each parameter's values, in block order (4 arrays: two weights, two biases)
     */
    static float[][] train(boolean localServer, Optimizer optimizer, int steps) {
        String before = System.getProperty(EngineSelection.LOCAL_PARAMETER_SERVER);
        System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, String.valueOf(localServer));
        Engine engine = Engine.getEngine("MXNet");
        try (NDManager manager = engine.newBaseManager();
                Model model = Model.newInstance("update-harness", engine.getEngineName())) {
            SequentialBlock block = new SequentialBlock()
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(3).build());
            model.setBlock(block);
            engine.setRandomSeed(5);
            NDArray x = manager.randomNormal(new Shape(32, 6)).mul(3);
            NDArray y = manager.randomInteger(0, 3, new Shape(32), DataType.INT32).toType(DataType.FLOAT32, false);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(32, 6));
                for (int i = 0; i < steps; i++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        collector.backward(trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
                    }
                    trainer.step();
                }
                List<float[]> values = new ArrayList<>();
                block.getParameters().forEach(p -> values.add(p.getValue().getArray().toFloatArray()));
                return values.toArray(new float[0][]);
            }
        } finally {
            if (before == null) {
                System.clearProperty(EngineSelection.LOCAL_PARAMETER_SERVER);
            } else {
                System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, before);
            }
        }
    }
}
