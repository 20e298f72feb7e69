package dev.assay.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.ToyPlugins;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecException;
import dev.assay.spec.SpecLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepPlannerTest {

    private static final PluginRegistry REGISTRY = ToyPlugins.registry();

    static final String BASE = """
            name: sweep
            dataset: toy-data
            model:
              architecture: toy-net
            task: toy-task
            training:
              epochs: 2
              seed: 7
              optimizer:
                name: sgd
                learning_rate: 0.1
            """;

    static List<TrialSpec> plan(String yaml, String... overrides) {
        return SweepPlanner.plan(SpecLoader.parse(yaml, "exp.yaml", List.of(overrides)),
                new SpecBinder(REGISTRY));
    }

    @Test
    void aSeedThatOverflowsWithItsRepeatsIsRefused() {
        // repeat 1 of seed 2^63-1 got seed -2^63
        assertThatThrownBy(() -> plan(BASE + "sweep:\n  repeat: 2\n", "training.seed=9223372036854775807"))
                .isInstanceOf(dev.assay.spec.SpecException.class)
                .hasMessageContaining("training.seed: seed 9223372036854775807 + repeat 1 overflows a 64-bit seed");
        // at the seed as written in the file (it said exp.yaml:1:1)
        assertThatThrownBy(() -> plan(BASE.replace("seed: 7", "seed: 9223372036854775807") + "sweep:\n  repeat: 2\n"))
                .hasMessageStartingWith("exp.yaml:8:9: training.seed: seed 9223372036854775807 + repeat 1 overflows");
    }

    @Test
    void aDistributionWhoseRangeTheParameterCannotTakeIsRefusedAtTheDistribution() {
        // int_uniform up to 99999999999 for the 32-bit epochs was accepted; a trial failed only when
        // a drawn value exceeded the int range (here most would)
        String epochs = BASE + """
                sweep:
                  strategy: random
                  n_trials: 3
                  parameters:
                    training.epochs: {distribution: int_uniform, low: 1, high: 99999999999}
                """;
        assertThatThrownBy(() -> plan(epochs)).isInstanceOf(dev.assay.spec.SpecException.class)
                .hasMessageContaining("exp.yaml:16:")
                .hasMessageContaining("99999999999");
        // a negative low end for a learning rate ≥ 0: most draws are fine, some are not
        String rate = BASE + """
                sweep:
                  strategy: random
                  n_trials: 3
                  parameters:
                    training.optimizer.learning_rate: {distribution: uniform, low: -0.01, high: 1.0}
                """;
        assertThatThrownBy(() -> plan(rate)).isInstanceOf(dev.assay.spec.SpecException.class)
                .hasMessageContaining("exp.yaml:16:")
                .hasMessageContaining("-0.01");
        // both at once: each is reported at its own distribution, with its own end (not another axis's draw)
        String both = epochs + "    training.optimizer.learning_rate: {distribution: uniform, low: -0.01, high: 1.0}\n";
        assertThatThrownBy(() -> plan(both)).hasMessageContaining("exp.yaml:17:")
                .hasMessageContaining("training.optimizer.learning_rate").hasMessageContaining("got -0.01");
        assertThatThrownBy(() -> plan(both.replace("-0.01", "0.01"))).hasMessageContaining("exp.yaml:16:")
                .hasMessageContaining("training.epochs").hasMessageContaining("99999999999");
        // ends inside the parameter's range plan as before; normal has no ends to check
        assertThat(plan(rate.replace("-0.01", "0.001"))).hasSize(3);
        assertThat(plan(epochs.replace("99999999999", "1000"))).hasSize(3)
                .allSatisfy(t -> assertThat(t.config().training().epochs()).isBetween(1, 1000));
    }

    @Test
    void aDrawnValueThatDoesNotFitSaysItWasDrawnAndWhatToUseInstead() {
        // found by a new-user check: "expected an integer ..., got 191.43226897039767" at the distribution,
        // without saying the value was drawn or that int_uniform draws integers
        String batch = BASE + """
                sweep:
                  strategy: random
                  n_trials: 3
                  parameters:
                    training.batch_size: {distribution: uniform, low: 16, high: 512}
                """;
        assertThatThrownBy(() -> plan(batch)).isInstanceOf(dev.assay.spec.SpecException.class)
                .hasMessageContaining("exp.yaml:16:").hasMessageContaining("training.batch_size: expected an integer")
                .hasMessageEndingWith(" (a value the uniform distribution drew; it draws real numbers: for an integer"
                        + " parameter use int_uniform)");
        assertThat(plan(batch.replace("distribution: uniform", "distribution: int_uniform"))).hasSize(3);
        // a list-valued parameter: int_uniform does not fit it either (the hint once said to use it)
        assertThatThrownBy(() -> plan(BASE + """
                sweep:
                  strategy: random
                  n_trials: 2
                  parameters:
                    model.params.hidden: {distribution: int_uniform, low: 16, high: 64}
                """)).hasMessageEndingWith("(a value the int_uniform distribution drew; a distribution draws one"
                        + " number: for a list-valued parameter give the lists to choose from, {values: [[...], [...]]})");
        // a normal distribution's draw below a parameter's range: unbounded, say so (seed 0's draws include one < 0)
        String rate = BASE + """
                sweep:
                  strategy: random
                  n_trials: 20
                  parameters:
                    training.optimizer.learning_rate: {distribution: normal, mean: 0.01, std: 0.05}
                """;
        assertThatThrownBy(() -> plan(rate)).hasMessageContaining("exp.yaml:16:")
                .hasMessageEndingWith(" (a value the normal distribution drew; a normal distribution is unbounded:"
                        + " for a parameter with a range use uniform or loguniform)");
    }

    @Test
    void everyChoiceOfARandomSweepIsCheckedDrawnOrNot() {
        // a --sweep batch_size=32.5,64 under random planned trials that all drew 64: 32.5 went unchecked
        String choices = BASE + """
                sweep:
                  strategy: random
                  n_trials: 1
                  parameters:
                    training.batch_size: [64, 128, 256, 512, LAST]
                """;
        // the one draw is not the last choice (so only the check can find a bad value there)
        assertThat(plan(choices.replace("LAST", "1024"))).singleElement()
                .satisfies(t -> assertThat(t.config().training().batchSize()).isNotEqualTo(1024));
        assertThatThrownBy(() -> plan(choices.replace("LAST", "32.5"))).isInstanceOf(dev.assay.spec.SpecException.class)
                .hasMessageContaining("training.batch_size").hasMessageContaining("32.5");
    }

    @Test
    void anErrorAtABaseValueNamesTheVariantOrSweepValueThatMadeItInvalid() {
        // "beta1: unknown key" at a line valid for adam, without saying that variant sgd is why
        String yaml = BASE.replace("name: sgd", "name: adam\n    beta1: 0.8") + """
                sweep:
                  variants: {plain: {training.optimizer.name: sgd}}
                """;
        assertThatThrownBy(() -> plan(yaml)).isInstanceOf(dev.assay.spec.SpecException.class)
                .hasMessageContaining("exp.yaml:11:5: training.optimizer.beta1: unknown key")
                .hasMessageEndingWith(" (in the trial with variant 'plain')");
        assertThatThrownBy(() -> plan(BASE.replace("name: sgd", "name: adam\n    beta1: 0.8") + """
                sweep:
                  parameters:
                    training.optimizer.name: [adam, sgd]
                """)).hasMessageEndingWith(" (in the trial with training.optimizer.name=sgd)");
        // a --sweep axis that one variant's optimizer does not take: "unknown key. Known keys here: ..."
        // named no variant, as if beta1 were no key of any optimizer (found by a new-user check)
        assertThatThrownBy(() -> SweepPlanner.plan(SpecLoader.parse(BASE.replace("name: sgd", "name: adam") + """
                sweep:
                  variants: {fancy: {training.optimizer.name: adam}, plain: {training.optimizer.name: sgd}}
                """, "exp.yaml", new dev.assay.spec.ExperimentSpec.Arguments(List.of(),
                List.of("training.optimizer.beta1=0.8,0.9"))), new SpecBinder(REGISTRY)))
                .hasMessageContaining("training.optimizer.beta1: unknown key")
                .hasMessageEndingWith(" (in the trial with variant 'plain')");
        // an error at the variant's or sweep value's own line needs no such note
        assertThatThrownBy(() -> plan(BASE + """
                sweep:
                  variants: {bad: {training.epochs: 0}}
                """)).hasMessageNotContaining("(in the trial with");
    }

    @Test
    void runNamesRoundSampledDecimalsAndStayWithinTheStoresColumn() {
        StringBuilder axes = new StringBuilder();
        for (String path : List.of("training.optimizer.learning_rate", "model.params.dropout",
                "training.optimizer.weight_decay", "dataset.params.validation_split")) {
            axes.append("    ").append(path).append(": {distribution: uniform, low: 0.01, high: 0.02}\n");
        }
        TrialSpec trial = plan(BASE + "sweep:\n  strategy: random\n  n_trials: 1\n  parameters:\n" + axes).get(0);
        // every sampled value went in at full precision (17 digits)
        assertThat(trial.runName()).matches("learning_rate=0\\.0\\d{1,6} dropout=0\\.0\\d{1,6}"
                + " weight_decay=0\\.0\\d{1,6} validation_split=0\\.0\\d{1,6}");
        // 14 sampled parameters made a 360-character name the store refused (its column holds 250)
        Map<String, Object> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            many.put("model.params.parameter_" + i, 0.012345678901234 + i);
        }
        TrialSpec wide = new TrialSpec(0, "", many, 0, 7, "k", trial.config());
        assertThat(wide.runName()).hasSize(TrialSpec.MAX_RUN_NAME).endsWith("…").startsWith("parameter_0=0.0123457 ");
    }

    @Test
    void aSweptListIsNamedAsItsParamIsWritten() {
        // found by a new-user check: the name read "hidden=[128, 64]", the param "[128,64]", and a
        // filter on the param with the text of the name found nothing
        List<TrialSpec> trials = plan(BASE + """
                sweep:
                  parameters:
                    model.params.hidden: [[32, 16], [64]]
                """);
        assertThat(trials).extracting(TrialSpec::runName).containsExactly("hidden=[32,16]", "hidden=[64]");
        for (TrialSpec t : trials) {
            assertThat(t.runName()).isEqualTo("hidden=" + dev.assay.run.ConfigDocuments.flatParams(t)
                    .get("model.params.hidden"));
        }
    }

    @Test
    void gridOfThreeByTwoYieldsEightDistinctTrialsLastParameterFastest() {
        List<TrialSpec> trials = plan(BASE + """
                sweep:
                  parameters:
                    training.optimizer.learning_rate: [0.1, 0.01]
                    model.params.dropout: [0.0, 0.5]
                    training.batch_size: [32, 64]
                """);
        assertThat(trials).hasSize(8);
        assertThat(trials).extracting(TrialSpec::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(trials).extracting(
                t -> t.config().training().optimizer().learningRate(),
                t -> t.config().model().params().getDouble("dropout"),
                t -> t.config().training().batchSize())
                .containsExactly(
                        tuple(0.1, 0.0, 32), tuple(0.1, 0.0, 64),
                        tuple(0.1, 0.5, 32), tuple(0.1, 0.5, 64),
                        tuple(0.01, 0.0, 32), tuple(0.01, 0.0, 64),
                        tuple(0.01, 0.5, 32), tuple(0.01, 0.5, 64));
        assertThat(trials).extracting(TrialSpec::trialKey).doesNotHaveDuplicates()
                .allMatch(k -> k.matches("[0-9a-f]{16}"));
        assertThat(trials).extracting(TrialSpec::seed).containsOnly(7L);
        assertThat(trials).extracting(TrialSpec::variant).containsOnly("");
        assertThat(trials.get(5).sweepValues()).containsExactly(
                Map.entry("training.optimizer.learning_rate", 0.01),
                Map.entry("model.params.dropout", 0.0),
                Map.entry("training.batch_size", 64L));
        assertThat(trials.get(5).runName()).isEqualTo("learning_rate=0.01 dropout=0.0 batch_size=64");
    }

    @Test
    void variantsTimesGridTimesRepeatMultiply() {
        List<TrialSpec> trials = plan(BASE + """
                sweep:
                  repeat: 3
                  parameters:
                    training.optimizer.learning_rate: [0.1, 0.01]
                  variants:
                    none: {}
                    l1:
                      training.regularization.l1: 1e-4
                    l2:
                      training.regularization.l2: 1e-4
                    dropout:
                      model.params.dropout: 0.3
                """);
        assertThat(trials).hasSize(24);
        assertThat(trials).extracting(TrialSpec::index)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 24).boxed().toList());
        assertThat(trials).extracting(TrialSpec::trialKey).doesNotHaveDuplicates();
        assertThat(trials.subList(0, 6)).extracting(TrialSpec::variant).containsOnly("none");
        assertThat(trials.subList(18, 24)).extracting(TrialSpec::variant).containsOnly("dropout");
        assertThat(trials.subList(0, 6)).extracting(
                t -> t.config().training().optimizer().learningRate(), TrialSpec::repeat, TrialSpec::seed)
                .containsExactly(
                        tuple(0.1, 0, 7L), tuple(0.1, 1, 8L), tuple(0.1, 2, 9L),
                        tuple(0.01, 0, 7L), tuple(0.01, 1, 8L), tuple(0.01, 2, 9L));
        TrialSpec l1 = trials.get(6);
        assertThat(l1.variant()).isEqualTo("l1");
        assertThat(l1.config().training().regularization().l1()).isEqualTo(1e-4);
        assertThat(l1.config().training().regularization().l2()).isEqualTo(0.0);
        assertThat(trials.get(12).config().training().regularization().l2()).isEqualTo(1e-4);
        assertThat(trials.get(18).config().model().params().getDouble("dropout")).isEqualTo(0.3);
        assertThat(trials.get(19).runName()).isEqualTo("dropout learning_rate=0.1 seed=8");
    }

    @Test
    void repeatSeedsAreTheBaseSeedPlusTheRepeatIndexAndAreInTheConfig() {
        List<TrialSpec> trials = plan(BASE + """
                sweep:
                  repeat: 4
                """);
        assertThat(trials).extracting(TrialSpec::repeat).containsExactly(0, 1, 2, 3);
        assertThat(trials).extracting(TrialSpec::seed).containsExactly(7L, 8L, 9L, 10L);
        assertThat(trials).extracting(t -> t.config().training().seed()).containsExactly(7L, 8L, 9L, 10L);
        assertThat(trials).extracting(t -> (Object) ((Map<?, ?>) t.config().resolved().get("training")).get("seed"))
                .containsExactly(7L, 8L, 9L, 10L);
        assertThat(trials).extracting(TrialSpec::trialKey).doesNotHaveDuplicates();
        assertThat(trials).extracting(TrialSpec::runName)
                .containsExactly("trial-0", "seed=8", "seed=9", "seed=10");
    }

    @Test
    void repeatSeedsStartFromTheDefaultSeedWhenNoneIsGiven() {
        List<TrialSpec> trials = plan(BASE.replace("  seed: 7\n", "") + """
                sweep:
                  repeat: 2
                """);
        assertThat(trials).extracting(TrialSpec::seed).containsExactly(42L, 43L);
    }

    @Test
    void anOverrideOnASweptPathDropsThatAxisAndWins() {
        List<TrialSpec> trials = plan(BASE + """
                sweep:
                  parameters:
                    training.optimizer.learning_rate: [0.1, 0.01, 0.001]
                    training.batch_size: [32, 64]
                """, "training.optimizer.learning_rate=0.5");
        assertThat(trials).hasSize(2);
        assertThat(trials).extracting(t -> t.config().training().optimizer().learningRate())
                .containsOnly(0.5);
        assertThat(trials).extracting(t -> t.config().training().batchSize()).containsExactly(32, 64);
        assertThat(trials).extracting(TrialSpec::sweepValues).containsExactly(
                Map.of("training.batch_size", 32L), Map.of("training.batch_size", 64L));
    }

    @Test
    void anOverrideWinsOverAVariant() {
        List<TrialSpec> trials = plan(BASE + """
                sweep:
                  variants:
                    small:
                      training.batch_size: 16
                    big:
                      training.batch_size: 256
                """, "training.batch_size=8");
        assertThat(trials).extracting(t -> t.config().training().batchSize()).containsExactly(8);
        assertThat(trials).extracting(TrialSpec::variant).containsExactly("small");
    }

    @Test
    void duplicateConfigurationsCollapseToOneTrial() {
        List<TrialSpec> trials;
        List<String> warnings;
        try (dev.assay.testing.LogCapture log = new dev.assay.testing.LogCapture(SweepPlanner.class.getName())) {
            trials = plan(BASE + """
                sweep:
                  parameters:
                    training.optimizer.learning_rate: [1e-3, 0.001, 1.0e-3, 0.01]
                  variants:
                    plain: {}
                    explicit-default:
                      model.params.dropout: 0.0
                """);
            warnings = log.warnings();
        }
        // one warning, not one a repeated trial (a --sweep over what the variants set printed 16 lines)
        assertThat(warnings).singleElement().asString()
                .startsWith("6 planned trial(s) repeat the configuration of an earlier one and run once: ")
                .endsWith(", ... (1 more)");
        assertThat(trials).hasSize(2);
        assertThat(trials).extracting(TrialSpec::index).containsExactly(0, 1);
        assertThat(trials).extracting(TrialSpec::variant).containsExactly("plain", "plain");
        assertThat(trials).extracting(t -> t.config().training().optimizer().learningRate())
                .containsExactly(0.001, 0.01);
    }

    /** The warnings {@link SweepPlanner#plan} logs for a file. */
    private static List<String> planWarnings(String yaml, String... overrides) {
        try (dev.assay.testing.LogCapture log = new dev.assay.testing.LogCapture(SweepPlanner.class.getName())) {
            plan(yaml, overrides);
            return log.warnings();
        }
    }

    @Test
    void aPrunerOrEarlyStoppingThatCannotActInAPlannedTrialIsWarnedAboutOnce() {
        String pruned = BASE + """
                sweep:
                  parameters:
                    training.optimizer.learning_rate: [0.1, 0.01]
                  pruner: {name: median, min_epochs: 2}
                """;
        // a pruner judging epochs 2.. of 2-epoch trials never prunes (never at the last epoch): it passed silently
        assertThat(planWarnings(pruned)).singleElement().asString()
                .startsWith("sweep.pruner (median) cannot prune any trial: it judges epochs from min_epochs 2 on")
                .contains("those trials train 2 epochs");
        assertThat(planWarnings(pruned, "training.epochs=3")).isEmpty();
        assertThat(planWarnings(pruned.replace("[0.1, 0.01]", "[0.1]\n    training.epochs: [2, 4, 1]")))
                .singleElement().asString().contains("cannot prune 2 of 3 trials").contains("train 1-2 epochs");

        // a step schedule that never decays within the trial's epochs was accepted without a word (a user's check)
        String stepSchedule = BASE.replace("epochs: 2", "epochs: 3").replace("    learning_rate: 0.1",
                "    learning_rate: 0.1\n    schedule: {name: step, step_epochs: 3}");
        assertThat(planWarnings(stepSchedule)).singleElement().asString().isEqualTo("training.optimizer.schedule (step)"
                + " never decays the learning rate of any trial: it decays after every step_epochs (3) epochs, and that"
                + " trial trains 3 epochs (lower step_epochs or train longer)");
        assertThat(planWarnings(stepSchedule, "training.epochs=4")).isEmpty();

        String stopped = BASE.replace("epochs: 2", "epochs: 3") + """
                  early_stopping: {monitor: val_loss, patience: 2}
                """;
        // a stop first comes at epoch 1 + patience, and never at the last
        assertThat(planWarnings(stopped)).singleElement().asString()
                .startsWith("training.early_stopping cannot stop any trial: ")
                .contains("patience (2) epochs").contains("that trial trains 3 epochs")
                .endsWith("(lower patience or train at least 4 epochs)");
        assertThat(planWarnings(stopped, "training.epochs=4")).isEmpty();
        // patience 1 is the least: it said "lower patience or train longer" (a user's check)
        assertThat(planWarnings(stopped, "training.epochs=2", "training.early_stopping.patience=1")).singleElement()
                .asString().endsWith("(train at least 3 epochs: patience is already at its least, 1)");
        // a swept patience is quoted as the range of the idle trials' patience (it quoted the first one's)
        assertThat(planWarnings(stopped + """
                sweep:
                  parameters:
                    training.early_stopping.patience: [1, 2, 3, 5]
                """)).singleElement().asString()
                .startsWith("training.early_stopping cannot stop 3 of 4 trials: ")
                .contains("patience (2-5) epochs").contains("those trials train 3 epochs");
    }

    @Test
    void aListValuedParameterSweptWithValuesRoundTripsAsLists() {
        List<TrialSpec> trials = plan(BASE + """
                sweep:
                  parameters:
                    model.params.hidden: {values: [[8, 4], [16]]}
                """);
        assertThat(trials).hasSize(2);
        assertThat(trials).extracting(t -> t.config().model().params().asMap().get("hidden"))
                .containsExactly(List.of(8L, 4L), List.of(16L));
        assertThat(trials.get(0).config().model().params().getIntArray("hidden")).containsExactly(8, 4);
        assertThat(trials).extracting(t -> t.sweepValues().get("model.params.hidden"))
                .containsExactly(List.of(8L, 4L), List.of(16L));
        assertThat(trials.get(0).trialKey()).isNotEqualTo(trials.get(1).trialKey());
    }

    @Test
    void aPlainListOfListsSweepsTheSameWay() {
        List<TrialSpec> plain = plan(BASE + """
                sweep:
                  parameters:
                    model.params.hidden: [[8, 4], [16]]
                """);
        List<TrialSpec> explicit = plan(BASE + """
                sweep:
                  parameters:
                    model.params.hidden:
                      values: [[8, 4], [16]]
                """);
        assertThat(plain).extracting(TrialSpec::trialKey)
                .containsExactlyElementsOf(explicit.stream().map(TrialSpec::trialKey).toList());
    }

    @Test
    void noSweepGivesOneTrial() {
        List<TrialSpec> trials = plan(BASE);
        assertThat(trials).hasSize(1);
        assertThat(trials.get(0).index()).isZero();
        assertThat(trials.get(0).seed()).isEqualTo(7L);
    }

    @Test
    void theSameTextPlansTheSameTrialsTwice() {
        String yaml = BASE + """
                sweep:
                  repeat: 2
                  parameters:
                    model.params.dropout: [0.1, 0.2]
                """;
        assertThat(plan(yaml)).extracting(TrialSpec::trialKey)
                .containsExactlyElementsOf(plan(yaml).stream().map(TrialSpec::trialKey).toList());
    }

    @Test
    void aGridOfMoreThanAHundredThousandTrialsIsRefusedBeforeItIsBuilt() {
        // a grid of 10^6 trials was built in memory and ended in an OutOfMemoryError after 4 minutes
        String ten = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
        SpecException e = catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(SpecLoader.parse(BASE + """
                sweep:
                  parameters:
                    training.batch_size: %s
                    training.seed: %s
                    training.log_every_n_steps: %s
                    training.epochs: %s
                    model.params.hidden: [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]]
                    training.optimizer.learning_rate: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
                """.formatted(ten, ten, ten, ten), "exp.yaml", List.of()), new SpecBinder(ToyPlugins.registry())));
        assertThat(e.problem()).isEqualTo("the grid has 1,000,000 trials (10 × 10 × 10 × 10 × 10 × 10), more than"
                + " 100,000; sample it with strategy: random (n_trials) or tpe instead");
    }

    @Test
    void aRandomSearchOfMoreThanAHundredThousandTrialsWithVariantsAndRepeatsIsRefusedBeforeItIsBuilt() {
        // found by a scale check: n_trials alone was capped, so 100,000 draws × 2 variants × 5 repeats were
        // planned in memory until an OutOfMemoryError after 96 s
        String yaml = BASE + """
                sweep:
                  strategy: random
                  n_trials: 50000
                  repeat: 3
                  variants: {a: {}, b: {training.epochs: 3}}
                  parameters:
                    training.optimizer.learning_rate: {distribution: uniform, low: 0.01, high: 0.1}
                """;
        SpecException e = catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(
                SpecLoader.parse(yaml, "exp.yaml", List.of()), new SpecBinder(ToyPlugins.registry())));
        assertThat(e.key()).isEqualTo("sweep");
        assertThat(e.problem()).isEqualTo("the random search has 300,000 trials (n_trials 50,000 × 2 variants × 3"
                + " repeats), more than 100,000; lower n_trials or repeat");
        assertThat(SweepPlanner.plan(SpecLoader.parse(yaml.replace("n_trials: 50000", "n_trials: 5"), "exp.yaml",
                List.of()), new SpecBinder(ToyPlugins.registry()))).hasSize(30);
    }

    @Test
    void anOverrideOfAParentPathDropsTheAxesUnderIt() {
        // training.optimizer={name: sgd} erased a learning-rate axis's values while the runs were still named
        // after them ("learning_rate=0.01" recorded with the default 0.001)
        List<TrialSpec> trials = SweepPlanner.plan(SpecLoader.parse(BASE + """
                sweep:
                  parameters:
                    training.optimizer.learning_rate: [0.01, 0.02]
                    training.batch_size: [16, 32]
                """, "exp.yaml", List.of("training.optimizer={name: sgd}")), new SpecBinder(ToyPlugins.registry()));
        assertThat(trials).hasSize(2);
        assertThat(trials).extracting(TrialSpec::runName).containsExactly("batch_size=16", "batch_size=32");
        assertThat(trials).allSatisfy(t -> assertThat(t.sweepValues()).doesNotContainKey(
                "training.optimizer.learning_rate"));
    }
}
