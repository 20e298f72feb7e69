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

    /** How many of 200 model proposals on a uniform 0..1 axis fall in [0.7, 1] given the history. */
    private static int proposalsAbove07(List<TpeSampler.Observation> history) {
        TpeSampler sampler = new TpeSampler(Map.of("x", new SweepAxis.Distribution("uniform", 0, 1,
                new SourceLocation("test.yaml", 1, 1))), 11, 2);
        int high = 0;
        for (int index = 40; index < 240; index++) {
            double x = ((Number) ((SpecNode.ScalarNode) sampler.propose(index, history).get("x")).value()).doubleValue();
            high += x >= 0.7 ? 1 : 0;
        }
        return high;
    }

    @Test
    void divergedOrPrunedTrialsCountAsWorseThanEveryFinishedOneAndTpeStaysAwayFromThem() {
        // they were left out of the history: a sweep kept proposing where every trial had diverged
        List<TpeSampler.Observation> finished = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double x = 0.05 * i; // 0 .. 0.55, the objective falling with x: the best ones next to the diverged
            finished.add(new TpeSampler.Observation(Map.of("x", x), 2 - x));
        }
        List<TpeSampler.Observation> withDiverged = new java.util.ArrayList<>(finished);
        for (int i = 0; i < 12; i++) {
            withDiverged.add(new TpeSampler.Observation(Map.of("x", 0.7 + 0.025 * i), Double.POSITIVE_INFINITY));
        }
        int without = proposalsAbove07(finished);
        int with = proposalsAbove07(withDiverged);
        assertThat(with).as("proposals in [0.7, 1]: %d with the diverged trials, %d without", with, without)
                .isLessThan(without / 3);
        // all diverged: nothing to model, the prior is sampled (no exception, values in range)
        List<TpeSampler.Observation> allDiverged = withDiverged.subList(12, 24);
        assertThat(proposalsAbove07(allDiverged)).isBetween(30, 90); // about 30% of 200 by the prior
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
