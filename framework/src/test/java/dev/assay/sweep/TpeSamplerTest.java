package dev.assay.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assay.spec.SourceLocation;
import dev.assay.spec.SpecNode;
import dev.assay.spec.SweepAxis;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpeSamplerTest {

    private static final String AXIS = "training.optimizer.learning_rate";

    /** The start-up (random) proposals of trials 0..n-1 on a loguniform 1e-4..1e-1 axis. */
    private static double[] startup(long seed, int n) {
        TpeSampler sampler = new TpeSampler(Map.of(AXIS, new SweepAxis.Distribution("loguniform", 1e-4, 1e-1,
                new SourceLocation("test.yaml", 1, 1))), seed, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            SpecNode node = sampler.propose(i, List.of()).get(AXIS);
            out[i] = ((Number) ((SpecNode.ScalarNode) node).value()).doubleValue();
        }
        return out;
    }

    @Test
    void startupProposalsOfNeighbouringTrialsAreSpreadOverTheRange() {
        for (long seed : new long[] {0, 1, 7, 42}) {
            double[] lr = startup(seed, 8);
            // three decades: the log10 values of 8 independent draws fill much of [-4, -1]; the
            // bug this holds (java.util.Random seeded with seed + index) put all 8 within 0.3%
            double[] logs = Arrays.stream(lr).map(Math::log10).sorted().toArray();
            assertThat(logs[logs.length - 1] - logs[0]).as("seed %d: %s", seed, Arrays.toString(lr))
                    .isGreaterThan(1.0);
            assertThat(Arrays.stream(lr).distinct().count()).isEqualTo(8);
            assertThat(Arrays.stream(lr).boxed().toList()).allSatisfy(v -> assertThat(v).isBetween(1e-4, 1e-1));
        }
    }

    @Test
    void theSameSeedAndTrialGiveTheSameProposalAndOtherSeedsOtherOnes() {
        assertThat(startup(3, 4)).containsExactly(startup(3, 4));
        assertThat(startup(3, 4)[0]).isNotEqualTo(startup(4, 4)[0]);
    }

    @Test
    void aModelProposalOnAnIntUniformAxisIsALongInsideTheRange() {
        // the model's proposals came back as doubles (run names read "batch_size=20.0", start-up ones "16")
        String path = "training.batch_size";
        TpeSampler sampler = new TpeSampler(Map.of(path, new SweepAxis.Distribution("int_uniform", 16, 20,
                new SourceLocation("test.yaml", 1, 1))), 5, 2);
        List<TpeSampler.Observation> history = List.of(new TpeSampler.Observation(Map.of(path, 16L), 0.1),
                new TpeSampler.Observation(Map.of(path, 20L), 0.9), new TpeSampler.Observation(Map.of(path, 18L), 0.5));
        for (int index = 3; index < 10; index++) {
            Object value = ((SpecNode.ScalarNode) sampler.propose(index, history).get(path)).value();
            assertThat(value).isInstanceOf(Long.class);
            assertThat((Long) value).isBetween(16L, 20L);
        }
    }

    @Test
    void refusesFewerThanOneStartupTrial() {
        assertThatThrownBy(() -> new TpeSampler(Map.of(), 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TPE needs at least 1 random start-up trial, got 0");
    }
}
