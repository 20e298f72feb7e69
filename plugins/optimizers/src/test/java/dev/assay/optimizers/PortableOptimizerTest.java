package dev.assay.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.assay.optimizers.PortableOptimizer.Rule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The engine-independent Nesterov, RMSProp and AdaGrad (what PyTorch trials use): on MXNet they
 * train to the parameters of DJL's fused updates, and RMSProp's momentum, which MXNet's plain
 * update dropped, follows its formula.
 */
class PortableOptimizerTest {

    private static final Tracker LR = Tracker.fixed(0.01f);

    @Test
    void matchesDjlsFusedUpdatesStepForStep() {
        Map<String, Supplier<Optimizer[]>> pairs = new LinkedHashMap<>();
        pairs.put("nesterov", () -> new Optimizer[] {
            Optimizer.nag().setLearningRateTracker(LR).setMomentum(0.9f).optWeightDecays(1e-3f).build(),
            PortableOptimizer.builder(Rule.NESTEROV, LR).optMomentum(0.9f).optWeightDecays(1e-3f).build()});
        pairs.put("rmsprop", () -> new Optimizer[] {
            Optimizer.rmsprop().optLearningRateTracker(LR).optRho(0.9f).optEpsilon(1e-6f).optWeightDecays(1e-3f).build(),
            PortableOptimizer.builder(Rule.RMSPROP, LR).optRho(0.9f).optEpsilon(1e-6f).optWeightDecays(1e-3f).build()});
        pairs.put("rmsprop centered with momentum", () -> new Optimizer[] {
            Optimizer.rmsprop().optLearningRateTracker(LR).optRho(0.9f).optMomentum(0.5f).optEpsilon(1e-6f)
                    .optCentered(true).optWeightDecays(1e-3f).build(),
            PortableOptimizer.builder(Rule.RMSPROP, LR).optRho(0.9f).optMomentum(0.5f).optEpsilon(1e-6f)
                    .optCentered(true).optWeightDecays(1e-3f).build()});
        // DJL's MXNet AdaGrad fails with any weight decay (below)
        pairs.put("adagrad", () -> new Optimizer[] {
            Optimizer.adagrad().optLearningRateTracker(LR).optEpsilon(1e-6f).build(),
            PortableOptimizer.builder(Rule.ADAGRAD, LR).optEpsilon(1e-6f).build()});
        float[][] initial = UpdateHarness.train(true, pairs.get("nesterov").get()[1], 0);
        pairs.forEach((name, pair) -> {
            float[][] djl = UpdateHarness.train(true, pair.get()[0], 10);
            float[][] portable = UpdateHarness.train(true, pair.get()[1], 10);
            double moved = 0;
            for (int p = 0; p < djl.length; p++) {
                for (int i = 0; i < djl[p].length; i++) {
                    assertThat(portable[p][i]).as("%s, parameter %d[%d]", name, p, i).isCloseTo(djl[p][i], within(2e-5f));
                    moved = Math.max(moved, Math.abs(djl[p][i] - initial[p][i]));
                }
            }
            assertThat(moved).as(name).isGreaterThan(1e-3);
        });
    }

    @Test
    void adagradWithWeightDecayTrainsWhereDjlsFusedUpdateFails() {
        // MXNet's _sparse_adagrad_update has no dense form with wd != 0: every adagrad trial with
        // weight_decay failed at its first step
        assertThatThrownBy(() -> UpdateHarness.train(true, Optimizer.adagrad().optLearningRateTracker(LR)
                .optWeightDecays(1e-3f).build(), 1)).hasMessageContaining("_sparse_adagrad_update");
        float[][] plain = UpdateHarness.train(true, PortableOptimizer.builder(Rule.ADAGRAD, LR).build(), 10);
        float[][] decayed = UpdateHarness.train(true, PortableOptimizer.builder(Rule.ADAGRAD, LR)
                .optWeightDecays(0.5f).build(), 10);
        // the decay pulls every weight towards 0: the sum of squares is smaller
        assertThat(sumOfSquares(decayed[0])).isLessThan(sumOfSquares(plain[0]));
    }

    private static double sumOfSquares(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v * v;
        }
        return sum;
    }

    @Test
    void rmspropWithMomentumFollowsItsFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1f, -2f});
            NDArray g = m.create(new float[] {0.5f, 0.25f});
            PortableOptimizer rmsprop = PortableOptimizer.builder(Rule.RMSPROP, Tracker.fixed(0.1f)).optRho(0.9f)
                    .optMomentum(0.5f).optEpsilon(0f).build();
            double[] n = {0, 0};
            double[] delta = {0, 0};
            double[] expected = {1, -2};
            double[] grad = {0.5, 0.25};
            for (int step = 0; step < 3; step++) {
                rmsprop.update("w", w, g);
                for (int i = 0; i < 2; i++) {
                    n[i] = 0.9 * n[i] + 0.1 * grad[i] * grad[i];
                    delta[i] = 0.5 * delta[i] - 0.1 * grad[i] / Math.sqrt(n[i]);
                    expected[i] += delta[i];
                }
            }
            assertThat(w.toFloatArray()).containsExactly(new float[] {(float) expected[0], (float) expected[1]},
                    within(1e-5f));
            // momentum matters: without it the three steps would have moved w[0] less
            double withoutMomentum = 1 - 0.1 * 0.5 * (1 / Math.sqrt(0.025) + 1 / Math.sqrt(0.0475) + 1 / Math.sqrt(0.06775));
            assertThat(expected[0]).isLessThan(withoutMomentum - 0.1);
        }
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> PortableOptimizer.builder(Rule.RMSPROP, LR).optRho(1.5f))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("RMSProp's rho must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> PortableOptimizer.builder(Rule.NESTEROV, LR).optMomentum(-0.1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Nesterov's momentum must be in [0, 1], got -0.1");
        assertThatThrownBy(() -> PortableOptimizer.builder(Rule.ADAGRAD, LR).optEpsilon(Float.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("AdaGrad's epsilon must be finite and ≥ 0, got NaN");
        assertThatThrownBy(() -> PortableOptimizer.builder(null, LR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortableOptimizer.builder(Rule.RMSPROP, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortableOptimizer.builder(Rule.ADADELTA, LR)).isInstanceOf(IllegalArgumentException.class);
    }
}
