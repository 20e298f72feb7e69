package dev.assay.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.training.optimizer.Optimizer;
import org.junit.jupiter.api.Test;

/** Assay's AdaDelta: DJL's arithmetic, and usable under the local parameter server. */
class AdadeltaTest {

    private static PortableOptimizer assays() {
        return adadelta().optRho(0.9f).optEpsilon(1e-6f).optWeightDecays(1e-3f).optClipGrad(0.5f).build();
    }

    private static PortableOptimizer.Builder adadelta() {
        return PortableOptimizer.builder(PortableOptimizer.Rule.ADADELTA, null);
    }

    @Test
    void matchesDjlsAdadeltaStepForStepAndKeepsTheWeightsUnderTheLocalServer() {
        // DJL's own works only under MXNet's KVStore updater (it frees the weight otherwise)
        float[][] djl = UpdateHarness.train(false, Optimizer.adadelta().optRho(0.9f).optEpsilon(1e-6f)
                .optWeightDecays(1e-3f).optClipGrad(0.5f).build(), 20);
        float[][] kvStore = UpdateHarness.train(false, assays(), 20);
        float[][] local = UpdateHarness.train(true, assays(), 20);
        float[][] initial = UpdateHarness.train(true, assays(), 0);
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

    @Test
    void refusesARhoOutsideTheUnitIntervalAndANegativeOrNonFiniteEpsilon() {
        assertThatThrownBy(() -> adadelta().optRho(1.5f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AdaDelta's rho must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> adadelta().optRho(Float.NaN)).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> adadelta().optEpsilon(-1e-3f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AdaDelta's epsilon must be finite and ≥ 0, got -0.001");
        assertThatThrownBy(() -> adadelta().optEpsilon(Float.POSITIVE_INFINITY))
                .hasMessageContaining("got Infinity");
        assertThat(adadelta().optRho(0).optRho(1).optEpsilon(0)).isNotNull();
    }
}
