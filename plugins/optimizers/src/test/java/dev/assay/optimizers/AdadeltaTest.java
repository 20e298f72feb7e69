package dev.assay.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Assay's AdaDelta: DJL's arithmetic, and usable under the local parameter server. */
class AdadeltaTest {

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
    void matchesDjlsAdadeltaStepForStepAndKeepsTheWeightsUnderTheLocalServer() {
        // DJL's own works only under MXNet's KVStore updater (it frees the weight otherwise)
        float[][] djl = train(false, () -> Optimizer.adadelta().optRho(0.9f).optEpsilon(1e-6f)
                .optWeightDecays(1e-3f).optClipGrad(0.5f).build());
        float[][] kvStore = train(false, () -> Adadelta.builder().optRho(0.9f).optEpsilon(1e-6f)
                .optWeightDecays(1e-3f).optClipGrad(0.5f).build());
        float[][] local = train(true, () -> Adadelta.builder().optRho(0.9f).optEpsilon(1e-6f)
                .optWeightDecays(1e-3f).optClipGrad(0.5f).build());
        float[][] initial = trainSteps(true, Adadelta.builder().build(), 0);
        assertThat(local).hasNumberOfRows(4);
        for (int p = 0; p < djl.length; p++) {
            for (int i = 0; i < djl[p].length; i++) {
                assertThat(kvStore[p][i]).isCloseTo(djl[p][i], within(1e-6f));
                assertThat(local[p][i]).isCloseTo(djl[p][i], within(1e-6f));
            }
        }
        // 20 steps moved the weights (by about √ε·g at first, AdaDelta's small early steps)
        double moved = 0;
        for (int i = 0; i < local[0].length; i++) {
            moved = Math.max(moved, Math.abs(local[0][i] - initial[0][i]));
        }
        assertThat(moved).isGreaterThan(1e-5);
    }

    private static float[][] train(boolean localServer, Supplier<Optimizer> optimizer) {
        return trainSteps(localServer, optimizer.get(), 20);
    }

    /** A seeded 6-16-3 MLP trained {@code steps} steps on fixed data; its parameters after. */
    private static float[][] trainSteps(boolean localServer, Optimizer optimizer, int steps) {
        System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, String.valueOf(localServer));
        Engine engine = Engine.getEngine("MXNet");
        try (NDManager manager = engine.newBaseManager();
                Model model = Model.newInstance("adadelta-test", engine.getEngineName())) {
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
        }
    }
}
