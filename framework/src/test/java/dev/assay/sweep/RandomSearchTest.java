package dev.assay.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.assay.plugin.ToyPlugins;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecException;
import dev.assay.spec.SpecLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RandomSearchTest {

    private static final String BASE = SweepPlannerTest.BASE;

    private static List<TrialSpec> plan(String sweep) {
        return SweepPlanner.plan(SpecLoader.parse(BASE + sweep, "exp.yaml", List.of()),
                new SpecBinder(ToyPlugins.registry()));
    }

    private static final String SPACE = """
            sweep:
              strategy: random
              n_trials: 40
              seed: %d
              parameters:
                training.optimizer.learning_rate: {distribution: loguniform, low: 1.0e-4, high: 1.0e-1}
                model.params.dropout: {distribution: uniform, low: 0.1, high: 0.5}
                training.batch_size: {distribution: int_uniform, low: 30, high: 33}
                model.params.hidden: {values: [[8, 4], [16]]}
                training.regularization.l2: {distribution: normal, mean: 10, std: 1}
            """;

    private static Object value(TrialSpec t, String path) {
        return t.sweepValues().get(path);
    }

    @Test
    void theSameSeedProposesTheSameTrials() {
        List<TrialSpec> a = plan(SPACE.formatted(3));
        List<TrialSpec> b = plan(SPACE.formatted(3));
        assertThat(a).hasSize(40);
        assertThat(a).extracting(TrialSpec::trialKey).isEqualTo(b.stream().map(TrialSpec::trialKey).toList());
    }

    @Test
    void anotherSeedProposesOtherTrials() {
        Set<String> a = plan(SPACE.formatted(3)).stream().map(TrialSpec::trialKey).collect(Collectors.toSet());
        Set<String> b = plan(SPACE.formatted(4)).stream().map(TrialSpec::trialKey).collect(Collectors.toSet());
        assertThat(a).doesNotContainAnyElementsOf(b);
    }

    @Test
    void neighbouringSeedsProposeUnrelatedFirstTrials() {
        // seeded with the sweep's seed itself, trial 0's dropout was 0.3648-0.3656 over [0, 0.5]
        // for seeds 0, 1, 2, 10 and 50 (java.util.Random's first draw barely moves with its seed)
        String sweep = """
                sweep:
                  strategy: random
                  n_trials: 1
                  seed: %d
                  parameters:
                    model.params.dropout: {distribution: uniform, low: 0.0, high: 0.5}
                """;
        double[] firstDrops = new double[64];
        for (int seed = 0; seed < firstDrops.length; seed++) {
            firstDrops[seed] = (Double) value(plan(sweep.formatted(seed)).get(0), "model.params.dropout");
        }
        // the first draws of 64 seeds are a uniform sample over [0, 0.5] (Kolmogorov-Smirnov; they
        // are fixed by the seeds, so this holds or fails every time): p was 2e-16 before
        double p = new org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest().kolmogorovSmirnovTest(
                new org.apache.commons.math3.distribution.UniformRealDistribution(0.0, 0.5), firstDrops);
        assertThat(p).as("p-value of uniformity").isGreaterThan(0.05);
        assertThat(firstDrops[1]).isNotCloseTo(firstDrops[0], org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void everyDrawIsInsideItsDistribution() {
        List<TrialSpec> trials = plan(SPACE.formatted(11));
        for (TrialSpec t : trials) {
            assertThat((Double) value(t, "training.optimizer.learning_rate")).isBetween(1.0e-4, 1.0e-1);
            assertThat((Double) value(t, "model.params.dropout")).isBetween(0.1, 0.5);
            assertThat((Long) value(t, "training.batch_size")).isBetween(30L, 33L);
            assertThat(t.config().training().batchSize()).isEqualTo(((Long) value(t, "training.batch_size")).intValue());
            assertThat(value(t, "model.params.hidden")).isIn(List.of(8L, 4L), List.of(16L));
        }
        // int_uniform reaches both ends; the choice takes both lists; log-uniform covers decades.
        assertThat(trials).extracting(t -> value(t, "training.batch_size")).contains(30L, 33L);
        assertThat(trials).extracting(t -> value(t, "model.params.hidden"))
                .contains(List.of(8L, 4L), List.of(16L));
        assertThat(trials.stream().mapToDouble(t -> (Double) value(t, "training.optimizer.learning_rate"))
                .filter(lr -> lr < 1.0e-3).count()).isGreaterThan(5);
    }

    @Test
    void intUniformDrawsInsideFractionalAndHugeRangesAndRefusesOneWithoutAnInteger() {
        // [0.5, 2.5] drew 0 (ends truncated toward zero), and [-9e18, 9e18] drew only values outside it (the span
        // overflowed a long); found by a fresh-clone sweep check
        List<TrialSpec> fractional = plan("""
                sweep:
                  strategy: random
                  n_trials: 60
                  seed: 2
                  parameters:
                    training.epochs: {distribution: int_uniform, low: 0.5, high: 2.5}
                """);
        assertThat(fractional).extracting(t -> value(t, "training.epochs")).containsOnly(1L, 2L);
        List<TrialSpec> huge = plan("""
                sweep:
                  strategy: random
                  n_trials: 20
                  seed: 2
                  parameters:
                    training.seed: {distribution: int_uniform, low: -9.0e18, high: 9.0e18}
                """);
        assertThat(huge).allSatisfy(t -> assertThat((Long) value(t, "training.seed"))
                .isBetween(-9_000_000_000_000_000_000L, 9_000_000_000_000_000_000L));
        assertThat(huge.stream().map(t -> value(t, "training.seed")).distinct().count()).isEqualTo(20);
        SpecException none = catchThrowableOfType(SpecException.class, () -> plan("""
                sweep:
                  strategy: random
                  n_trials: 5
                  parameters:
                    training.epochs: {distribution: int_uniform, low: 1.2, high: 1.8}
                """));
        assertThat(none.getMessage()).endsWith("sweep.parameters.training.epochs.high: no integer lies in [1.2, 1.8]");
        // whole ends as written: it read "high must be greater than low (128.0), got 16.0"
        SpecException reversed = catchThrowableOfType(SpecException.class, () -> plan("""
                sweep:
                  strategy: random
                  n_trials: 5
                  parameters:
                    training.batch_size: {distribution: int_uniform, low: 128, high: 16}
                """));
        assertThat(reversed.getMessage()).endsWith("training.batch_size.high: high must be greater than low (128), got 16");
    }

    @Test
    void aNormalDrawOnAnIntegerFieldIsRejectedWithItsLocation() {
        SpecException e = catchThrowableOfType(SpecException.class, () -> plan("""
                sweep:
                  strategy: random
                  n_trials: 5
                  parameters:
                    training.epochs: {distribution: normal, mean: 3, std: 1}
                """));
        assertThat(e.key()).isEqualTo("training.epochs");
        assertThat(e.problem()).startsWith("expected an integer, got ");
    }

    @Test
    void gridRejectsDistributionsAndRandomNeedsNTrials() {
        SpecException grid = catchThrowableOfType(SpecException.class, () -> plan("""
                sweep:
                  parameters:
                    model.params.dropout: {distribution: uniform, low: 0.1, high: 0.5}
                """));
        assertThat(grid.getMessage()).isEqualTo("exp.yaml:14:27: sweep.parameters.model.params.dropout:"
                + " a uniform distribution needs strategy: random; a grid needs a list of values");
        SpecException missing = catchThrowableOfType(SpecException.class, () -> plan("""
                sweep:
                  strategy: random
                  parameters:
                    model.params.dropout: [0.1, 0.2]
                """));
        assertThat(missing.key()).isEqualTo("sweep.n_trials");
        SpecException badRange = catchThrowableOfType(SpecException.class, () -> plan("""
                sweep:
                  strategy: random
                  n_trials: 2
                  parameters:
                    model.params.dropout: {distribution: loguniform, low: 0.0, high: 0.5}
                """));
        assertThat(badRange.problem()).isEqualTo("a loguniform distribution needs low > 0, got 0.0");
    }

    @Test
    void variantsShareTheSameRandomPoints() {
        List<TrialSpec> trials = plan("""
                sweep:
                  strategy: random
                  n_trials: 3
                  variants: {a: {}, b: {training.epochs: 3}}
                  parameters:
                    model.params.dropout: {distribution: uniform, low: 0.0, high: 0.5}
                """);
        assertThat(trials).hasSize(6);
        for (int i = 0; i < 3; i++) {
            assertThat(value(trials.get(i), "model.params.dropout"))
                    .isEqualTo(value(trials.get(i + 3), "model.params.dropout"));
        }
        assertThat(trials.get(0).sweepValues()).isNotEqualTo(Map.of());
    }
}
