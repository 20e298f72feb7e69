package dev.assay.optimizers;

import ai.djl.MalformedModelException;
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
import ai.djl.training.tracker.Tracker;
import dev.assay.run.EngineSelection;
import dev.assay.train.OptimizerStates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains a seeded 6-16-3 MLP on fixed data (32 examples, 3 classes, softmax cross-entropy) for a
 * number of steps on MXNet, through the parameter server chosen by
 * {@link EngineSelection#LOCAL_PARAMETER_SERVER}, and returns its parameters: the same initial
 * weights and data every call, so two calls differ only in the server, the optimizer, or a stop
 * and continuation between the steps.
 */
final class UpdateHarness {

    private UpdateHarness() {}

    /**
     * Every optimizer Assay offers, as its provider configures it, with a fixed learning rate.
     *
     * @param lr the learning rate
     * @return name to a supplier of fresh instances (an optimizer's state is per instance)
     */
    static Map<String, Supplier<Optimizer>> offered(Tracker lr) {
        Map<String, Supplier<Optimizer>> optimizers = new LinkedHashMap<>();
        optimizers.put("sgd", () -> Optimizer.sgd().setLearningRateTracker(lr).build());
        optimizers.put("momentum", () -> Optimizer.sgd().setLearningRateTracker(lr).optMomentum(0.9f).build());
        optimizers.put("nesterov", () -> Optimizer.nag().setLearningRateTracker(lr).setMomentum(0.9f).build());
        optimizers.put("rmsprop", () -> Optimizer.rmsprop().optLearningRateTracker(lr).build());
        optimizers.put("adam", () -> Optimizer.adam().optLearningRateTracker(lr).optWeightDecays(1e-3f).build());
        optimizers.put("adamw", () -> Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays(1e-2f).build());
        optimizers.put("adagrad", () -> Optimizer.adagrad().optLearningRateTracker(lr).build());
        optimizers.put("adadelta", () -> PortableOptimizer.builder(PortableOptimizer.Rule.ADADELTA, null).build());
        // what PyTorch trials (and MXNet's RMSProp with momentum) use
        optimizers.put("nesterov (portable)", () -> PortableOptimizer.builder(PortableOptimizer.Rule.NESTEROV, lr)
                .optMomentum(0.9f).build());
        optimizers.put("rmsprop (portable, momentum)", () -> PortableOptimizer.builder(PortableOptimizer.Rule.RMSPROP, lr)
                .optMomentum(0.5f).build());
        optimizers.put("rmsprop (portable, centered)", () -> PortableOptimizer.builder(PortableOptimizer.Rule.RMSPROP, lr)
                .optCentered(true).build());
        optimizers.put("adagrad (portable)", () -> PortableOptimizer.builder(PortableOptimizer.Rule.ADAGRAD, lr).build());
        return optimizers;
    }

    /**
     * Trains and returns the parameters, restoring the server property afterwards.
     *
     * @param localServer true for DJL's local parameter server, false for MXNet's KVStore
     * @param optimizer a fresh optimizer (its state is per instance)
     * @param steps update steps (0: the initial parameters)
     * @return each parameter's values, in block order (4 arrays: two weights, two biases)
     */
    static float[][] train(boolean localServer, Optimizer optimizer, int steps) {
        return withServer(localServer, (engine, x, y) -> {
            try (Model model = newModel(engine)) {
                try (Trainer trainer = model.newTrainer(config(optimizer))) {
                    trainer.initialize(new Shape(32, 6));
                    steps(trainer, x, y, steps);
                    return parameters(model);
                }
            }
        });
    }

    /**
     * Trains {@code before} steps, saves the parameters and the optimizer's state as a checkpoint
     * does, then continues in a new model and trainer with a fresh optimizer for {@code after}
     * steps, through the local parameter server, as a continued trial does.
     *
     * @param optimizer fresh optimizers of one kind
     * @param before steps before the stop
     * @param after steps after it
     * @param dir where to save
     * @param restoreState whether the continuation restores the optimizer's state (false: it
     *     starts from a zero state, as Assay did before)
     * @return the parameters after all the steps, in block order
     */
    static float[][] trainResumed(Supplier<Optimizer> optimizer, int before, int after, Path dir,
            boolean restoreState) {
        return withServer(true, (engine, x, y) -> {
            Path state = dir.resolve("harness.optimizer");
            try (Model model = newModel(engine)) {
                Optimizer first = optimizer.get();
                try (Trainer trainer = model.newTrainer(config(first))) {
                    trainer.initialize(new Shape(32, 6));
                    steps(trainer, x, y, before);
                    model.save(dir, "harness");
                    OptimizerStates.save(first, model.getBlock(), state);
                }
            }
            try (Model model = newModel(engine)) {
                model.load(dir, "harness");
                Optimizer second = optimizer.get();
                try (Trainer trainer = model.newTrainer(config(second))) {
                    trainer.initialize(new Shape(32, 6));
                    if (restoreState) {
                        OptimizerStates.restore(second, model.getBlock(), state, trainer.getManager());
                    }
                    steps(trainer, x, y, after);
                    return parameters(model);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (MalformedModelException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Training with the data made by {@link #withServer}. */
    private interface Run {
        float[][] train(Engine engine, NDArray x, NDArray y) throws IOException;
    }

    private static float[][] withServer(boolean localServer, Run run) {
        String before = System.getProperty(EngineSelection.LOCAL_PARAMETER_SERVER);
        System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, String.valueOf(localServer));
        Engine engine = Engine.getEngine("MXNet");
        try (NDManager manager = engine.newBaseManager()) {
            engine.setRandomSeed(5);
            NDArray x = manager.randomNormal(new Shape(32, 6)).mul(3);
            NDArray y = manager.randomInteger(0, 3, new Shape(32), DataType.INT32).toType(DataType.FLOAT32, false);
            return run.train(engine, x, y);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (before == null) {
                System.clearProperty(EngineSelection.LOCAL_PARAMETER_SERVER);
            } else {
                System.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, before);
            }
        }
    }

    private static Model newModel(Engine engine) {
        Model model = Model.newInstance("update-harness", engine.getEngineName());
        model.setBlock(new SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(3).build()));
        return model;
    }

    private static DefaultTrainingConfig config(Optimizer optimizer) {
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer);
    }

    private static void steps(Trainer trainer, NDArray x, NDArray y, int steps) {
        for (int i = 0; i < steps; i++) {
            try (GradientCollector collector = trainer.newGradientCollector()) {
                collector.backward(trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
            }
            trainer.step();
        }
    }

    private static float[][] parameters(Model model) {
        List<float[]> values = new ArrayList<>();
        model.getBlock().getParameters().forEach(p -> values.add(p.getValue().getArray().toFloatArray()));
        return values.toArray(new float[0][]);
    }
}
