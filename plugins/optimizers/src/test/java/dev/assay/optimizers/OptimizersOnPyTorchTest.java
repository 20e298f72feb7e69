package dev.assay.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.assay.optimizers.PortableOptimizer.Rule;
import dev.assay.plugin.OptimizerProvider;
import dev.assay.plugin.OptimizerSettings;
import dev.assay.plugin.Params;
import dev.assay.plugin.PluginKind;
import dev.assay.plugin.PluginRegistry;
import dev.assay.train.Gradients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Assay's own update rules on DJL's PyTorch engine, which accumulates gradients across backward
 * passes (its own updates zero them; MXNet overwrites them). Runs in a JVM of its own on PyTorch
 * (the module's {@code pytorch} surefire execution).
 */
class OptimizersOnPyTorchTest {

    @BeforeAll
    static void onPyTorch() {
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
    }

    /** Trains a seeded 3-2 linear model 4 steps on fixed data; returns its weight and each step's gradient. */
    private static List<float[]> train(Optimizer optimizer) {
        Engine.getInstance().setRandomSeed(3);
        List<float[]> out = new ArrayList<>();
        try (Model model = Model.newInstance("pt")) {
            model.setBlock(Linear.builder().setUnits(2).build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer))) {
                trainer.initialize(new Shape(4, 3));
                NDManager m = trainer.getManager();
                NDArray x = m.arange(12f).reshape(4, 3).div(10f);
                NDArray y = m.ones(new Shape(4, 2));
                NDArray weight = model.getBlock().getParameters().get("weight").getArray();
                for (int step = 0; step < 4; step++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        collector.backward(trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
                    }
                    out.add(weight.getGradient().toFloatArray());
                    trainer.step();
                }
                out.add(0, weight.toFloatArray());
            }
        }
        return out;
    }

    @Test
    void nesterovWithoutMomentumTakesSgdsStepsTheGradientStartingFromZeroEachStep() {
        // without zeroing the weight's gradient after the update, each step's gradient was the sum
        // of all so far: nesterov with μ → 0 drifted far from plain SGD, adadelta likewise
        List<float[]> sgd = train(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
        List<float[]> nesterov = train(PortableOptimizer.builder(Rule.NESTEROV, Tracker.fixed(0.1f))
                .optMomentum(1e-9f).build());
        for (int i = 0; i < sgd.size(); i++) {
            assertThat(nesterov.get(i)).as("row %d (0: final weight, then each step's gradient)", i)
                    .containsExactly(sgd.get(i), within(1e-6f));
        }
    }

    @Test
    void everyPortableRuleAndAdadeltaConsumesItsGradient() {
        List<Optimizer> rules = List.of(
                PortableOptimizer.builder(Rule.RMSPROP, Tracker.fixed(0.01f)).optMomentum(0.5f).optCentered(true).build(),
                PortableOptimizer.builder(Rule.ADAGRAD, Tracker.fixed(0.1f)).optWeightDecays(1e-3f).build(),
                PortableOptimizer.builder(Rule.ADADELTA, null).build());
        List<float[]> sgd = train(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0f)).build());
        for (Optimizer rule : rules) {
            List<float[]> steps = train(rule);
            // the first step's gradient is the fresh one; the weights moved; each later gradient is
            // a fresh gradient, of the size of the first (a running sum would grow about linearly)
            assertThat(steps.get(1)).containsExactly(sgd.get(1), within(1e-6f));
            assertThat(norm(steps.get(4))).as(rule.getClass().getSimpleName()).isLessThan(1.2 * norm(steps.get(1)));
            assertThat(steps.get(0)).isNotEqualTo(sgd.get(0));
        }
    }

    @Test
    void clearingABlocksGradientsRemovesWhatAnotherBackwardPassLeftThere() {
        // a GAN's generator step back-propagates through the discriminator, whose next update
        // would otherwise add that to its own gradient
        try (NDManager m = NDManager.newBaseManager()) {
            Linear block = Linear.builder().setUnits(1).build();
            block.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 3));
            NDArray w = block.getParameters().get("weight").getArray();
            w.setRequiresGradient(true);
            for (int pass = 0; pass < 2; pass++) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(w.sum());
                }
            }
            assertThat(w.getGradient().toFloatArray()).containsExactly(2f, 2f, 2f); // accumulated
            Gradients.clear(block);
            assertThat(w.getGradient().toFloatArray()).containsExactly(0f, 0f, 0f);
        }
    }

    @Test
    void everyOfferedOptimizerClipsGradientsFromBelowAsFromAbove() {
        // DJL's PyTorch sgdUpdate/adamUpdate clip with clamp_max only: an element below -c went
        // through unclipped (SGD with clip_gradient 1e-4 diverged to a validation loss of 562)
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new OptimizersPlugin()));
        float[][] raw = {{-10f, 10f, 0.2f, -0.3f}, {-3f, 0.1f, -0.7f, 4f}, {-0.05f, -6f, 2f, 0.4f}};
        for (String name : registry.names(PluginKind.OPTIMIZER)) {
            OptimizerProvider provider = registry.get(PluginKind.OPTIMIZER, name);
            float[] clipped = updates(provider, 0.5, raw, false);
            float[] reference = updates(provider, 0, raw, true);
            assertThat(clipped).as(name).containsExactly(reference, within(1e-6f));
        }
    }

    @Test
    void aClippingOptimizerConsumesItsGradientAsDjlsOwnUpdateDoes() {
        // DJL's PyTorch update zeroes the gradient it is given; the two-sided clip hands it a
        // clipped copy, so the weight's own gradient must be zeroed too, or each step's gradient
        // is the sum of all so far
        PluginRegistry registry = PluginRegistry.fromModules(List.of(new OptimizersPlugin()));
        for (String name : List.of("sgd", "momentum", "adam", "adamw")) {
            OptimizerProvider provider = registry.get(PluginKind.OPTIMIZER, name);
            List<float[]> clipped = train(provider.build(Params.resolve(provider.parameters(), Map.of()),
                    new OptimizerSettings(Tracker.fixed(0.1f), 0.1, 0, 1e6))); // a clip that cuts nothing
            List<float[]> plain = train(provider.build(Params.resolve(provider.parameters(), Map.of()),
                    new OptimizerSettings(Tracker.fixed(0.1f), 0.1, 0, 0)));
            for (int i = 0; i < plain.size(); i++) {
                assertThat(clipped.get(i)).as("%s, row %d (0: final weight, then each step's gradient)", name, i)
                        .containsExactly(plain.get(i), within(1e-6f));
            }
        }
    }

    /** Applies the gradients to a weight starting at 1, clipped by the optimizer or beforehand. */
    private static float[] updates(OptimizerProvider provider, double clip, float[][] grads, boolean preClip) {
        Optimizer optimizer = provider.build(Params.resolve(provider.parameters(), Map.of()),
                new OptimizerSettings(Tracker.fixed(0.1f), 0.1, 0, clip));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray weight = m.ones(new Shape(grads[0].length));
            for (float[] g : grads) {
                NDArray grad = m.create(g);
                optimizer.update("w", weight, preClip ? grad.clip(-0.5f, 0.5f) : grad);
            }
            return weight.toFloatArray();
        }
    }

    private static double norm(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }
}
