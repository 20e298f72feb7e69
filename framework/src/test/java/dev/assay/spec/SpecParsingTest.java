package dev.assay.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.ToyPlugins;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecParsingTest {

    private static final PluginRegistry REGISTRY = ToyPlugins.registry();

    private static final String FULL = """
            name: toy-exp
            description: a toy experiment
            dataset:
              name: toy-data
              params:
                size: 64
            model:
              architecture: toy-net
              params:
                hidden: [16, 8]
            task: toy-task
            training:
              epochs: 3
              optimizer:
                name: adam
                learning_rate: 1e-3
            """;

    private static final String MINIMAL = """
            name: min
            dataset: toy-data
            model: toy-net
            task: toy-task
            training:
              epochs: 1
              optimizer:
                name: sgd
                learning_rate: %s
            """;

    static List<TrialSpec> plan(String yaml, String... overrides) {
        ExperimentSpec spec = SpecLoader.parse(yaml, "exp.yaml", List.of(overrides));
        return SweepPlanner.plan(spec, new SpecBinder(REGISTRY));
    }

    static TrialConfig single(String yaml, String... overrides) {
        List<TrialSpec> trials = plan(yaml, overrides);
        assertThat(trials).hasSize(1);
        return trials.get(0).config();
    }

    @Test
    void aFullExperimentResolvesWithEveryDefaultFilledIn() {
        ExperimentSpec spec = SpecLoader.parse(FULL, "exp.yaml", List.of());
        assertThat(spec.name()).isEqualTo("toy-exp");
        assertThat(spec.description()).isEqualTo("a toy experiment");
        assertThat(spec.source()).isEqualTo("exp.yaml");
        assertThat(spec.sweep()).isEqualTo(SweepSpec.single());
        assertThat(spec.base().entries().keySet()).containsExactly("dataset", "model", "task", "training");

        List<TrialSpec> trials = SweepPlanner.plan(spec, new SpecBinder(REGISTRY));
        assertThat(trials).hasSize(1);
        TrialSpec trial = trials.get(0);
        assertThat(trial.index()).isZero();
        assertThat(trial.variant()).isEmpty();
        assertThat(trial.sweepValues()).isEmpty();
        assertThat(trial.repeat()).isZero();
        assertThat(trial.seed()).isEqualTo(42L);
        assertThat(trial.runName()).isEqualTo("trial-0");

        TrialConfig c = trial.config();
        assertThat(c.dataset().name()).isEqualTo("toy-data");
        assertThat(c.dataset().params().asMap()).containsExactly(
                Map.entry("size", 64L), Map.entry("validation_split", 0.1));
        assertThat(c.model().name()).isEqualTo("toy-net");
        assertThat(c.model().params().asMap()).containsExactly(
                Map.entry("hidden", List.of(16L, 8L)), Map.entry("dropout", 0.0));
        assertThat(c.task().name()).isEqualTo("toy-task");
        assertThat(c.task().params().asMap()).isEmpty();

        TrainingSpec t = c.training();
        assertThat(t.epochs()).isEqualTo(3);
        assertThat(t.batchSize()).isEqualTo(128);
        assertThat(t.seed()).isEqualTo(42L);
        assertThat(t.logEveryNSteps()).isEqualTo(20);
        assertThat(t.regularization()).isEqualTo(new RegularizationSpec(0.0, 0.0));
        assertThat(t.regularization().any()).isFalse();
        OptimizerSpec o = t.optimizer();
        assertThat(o.name()).isEqualTo("adam");
        assertThat(o.learningRate()).isEqualTo(0.001);
        assertThat(o.weightDecay()).isEqualTo(0.0);
        assertThat(o.clipGradient()).isEqualTo(0.0);
        assertThat(o.schedule()).isEqualTo(ScheduleSpec.constant());
        assertThat(o.params().getDouble("beta1")).isEqualTo(0.9);
    }

    @Test
    void theResolvedMapIsTheYamlShapeWithDefaultsInDeclarationOrder() {
        Map<String, Object> resolved = single(FULL).resolved();

        Map<String, Object> schedule = ordered("name", "constant", "step_epochs", 1L, "gamma", 0.1,
                "final_learning_rate", 0.0);
        Map<String, Object> optimizer = ordered("name", "adam", "learning_rate", 0.001,
                "weight_decay", 0.0, "clip_gradient", 0.0, "beta1", 0.9, "schedule", schedule);
        Map<String, Object> training = ordered("epochs", 3L, "batch_size", 128L, "seed", 42L,
                "log_every_n_steps", 20L, "optimizer", optimizer,
                "regularization", ordered("l1", 0.0, "l2", 0.0));
        Map<String, Object> expected = ordered(
                "engine", "mxnet",
                "dataset", ordered("name", "toy-data", "params",
                        ordered("size", 64L, "validation_split", 0.1)),
                "model", ordered("architecture", "toy-net", "params",
                        ordered("hidden", List.of(16L, 8L), "dropout", 0.0)),
                "task", ordered("name", "toy-task", "params", Map.of()),
                "training", training);
        assertThat(resolved).isEqualTo(expected);
        assertThat(resolved.keySet()).containsExactly("engine", "dataset", "model", "task",
                "training");
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) resolved.get("training");
        assertThat(t.keySet()).containsExactly("epochs", "batch_size", "seed", "log_every_n_steps",
                "optimizer", "regularization");
    }

    @Test
    void shorthandSectionsNameTheirProvider() {
        TrialConfig c = single(MINIMAL.formatted("0.01"));
        assertThat(c.dataset().name()).isEqualTo("toy-data");
        assertThat(c.dataset().params().asMap()).containsExactly(
                Map.entry("size", 100L), Map.entry("validation_split", 0.1));
        assertThat(c.model().name()).isEqualTo("toy-net");
        assertThat(c.model().params().asMap()).containsExactly(
                Map.entry("hidden", List.of(8L)), Map.entry("dropout", 0.0));
        assertThat(c.task().name()).isEqualTo("toy-task");

        TrialConfig sgd = single("""
                name: min
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                """);
        assertThat(sgd.training().optimizer().name()).isEqualTo("sgd");
        assertThat(sgd.training().optimizer().learningRate()).isEqualTo(1.0e-3);
        assertThat(sgd.training().optimizer().params().asMap()).doesNotContainKey("learning_rate");
    }

    @Test
    void scheduleShorthandNamesTheScheduleAndKeepsItsDefaults() {
        TrialConfig c = single("""
                name: min
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 4
                  optimizer:
                    name: sgd
                    schedule: cosine
                """);
        assertThat(c.training().optimizer().schedule()).isEqualTo(new ScheduleSpec("cosine", 1, 0.1, 0.0));
    }

    @ParameterizedTest(name = "learning_rate: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1e-3       | 0.001",
        "1.0e-4     | 1.0e-4",
        "0.001      | 0.001",
        "1E-2       | 0.01",
        "'\"1e-3\"' | 0.001",
        "'''1e-3''' | 0.001",
        "1          | 1.0"})
    void scientificAndQuotedLearningRatesBecomeDoubles(String written, double expected) {
        TrialConfig c = single(MINIMAL.formatted(written));
        assertThat(c.training().optimizer().learningRate()).isEqualTo(expected);
        assertThat(training(c).get("optimizer")).isInstanceOfSatisfying(Map.class,
                o -> assertThat(o.get("learning_rate")).isEqualTo(expected));
    }

    @Test
    void sweptScientificLearningRatesBecomeDoubles() {
        List<TrialSpec> trials = plan(MINIMAL.formatted("0.5") + """
                sweep:
                  parameters:
                    training.optimizer.learning_rate: [1e-5, 3e-6]
                """);
        assertThat(trials).extracting(t -> t.config().training().optimizer().learningRate())
                .containsExactly(1e-5, 3e-6);
        assertThat(trials).extracting(t -> optimizer(t.config()).get("learning_rate"))
                .containsExactly(1e-5, 3e-6);
    }

    @ParameterizedTest(name = "override {0}")
    @CsvSource(delimiter = '|', value = {
        "training.optimizer.learning_rate=1e-3     | 0.001",
        "training.optimizer.learning_rate=\"1e-3\" | 0.001",
        "training.optimizer.learning_rate=1.0e-4   | 1.0e-4"})
    void overriddenScientificLearningRatesBecomeDoubles(String override, double expected) {
        TrialConfig c = single(MINIMAL.formatted("0.5"), override);
        assertThat(c.training().optimizer().learningRate()).isEqualTo(expected);
        assertThat(optimizer(c).get("learning_rate")).isEqualTo(expected);
    }

    @Test
    void overridesReadTheirValueAsYaml() {
        TrialConfig c = single(FULL, "model.params.hidden=[256, 128]", "training.epochs=7",
                "dataset.params.validation_split=0");
        assertThat(c.model().params().asMap().get("hidden")).isEqualTo(List.of(256L, 128L));
        assertThat(c.model().params().getIntArray("hidden")).containsExactly(256, 128);
        assertThat(c.training().epochs()).isEqualTo(7);
        assertThat(c.dataset().params().getDouble("validation_split")).isEqualTo(0.0);
    }

    @Test
    void anOverrideCreatesMissingSections() {
        TrialConfig c = single(FULL, "training.regularization.l2=1e-4");
        assertThat(c.training().regularization()).isEqualTo(new RegularizationSpec(0.0, 1e-4));
        assertThat(c.training().regularization().any()).isTrue();
    }

    @Test
    void assignmentParsesPathAndYamlValue() {
        Assignment a = Assignment.parse("model.params.hidden=[4, 2]");
        assertThat(a.path()).isEqualTo("model.params.hidden");
        assertThat(a.keys()).containsExactly("model", "params", "hidden");
        assertThat(a.value().toPlain()).isEqualTo(List.of(4L, 2L));
        assertThat(a.keyLocation()).isEqualTo(new SourceLocation("argument 'model.params.hidden=[4, 2]'", 0, 0));
        assertThat(a.keyLocation()).hasToString("argument 'model.params.hidden=[4, 2]'");
    }

    @Test
    void sourceLocationFormatsAsFileLineColumn() {
        assertThat(new SourceLocation("exp.yaml", 3, 14)).hasToString("exp.yaml:3:14");
        assertThat(new SourceLocation("exp.yaml", 0, 0)).hasToString("exp.yaml");
    }

    @Test
    void yamlTreesKeepLinesAndColumnsOfKeysAndValues() {
        SpecNode root = YamlTrees.parse("a: 1\nb:\n  c: [x, 2.5]\n", "t.yaml");
        SpecNode.MapNode map = (SpecNode.MapNode) root;
        assertThat(map.keyLocation("a")).isEqualTo(new SourceLocation("t.yaml", 1, 1));
        assertThat(map.entries().get("a").location()).isEqualTo(new SourceLocation("t.yaml", 1, 4));
        SpecNode.MapNode b = (SpecNode.MapNode) map.entries().get("b");
        assertThat(b.keyLocation("c")).isEqualTo(new SourceLocation("t.yaml", 3, 3));
        SpecNode.ListNode c = (SpecNode.ListNode) b.entries().get("c");
        assertThat(c.items()).extracting(SpecNode::location).containsExactly(
                new SourceLocation("t.yaml", 3, 7), new SourceLocation("t.yaml", 3, 10));
        assertThat(root.toPlain()).isEqualTo(Map.of("a", 1L, "b", Map.of("c", List.of("x", 2.5))));
        assertThat(YamlTrees.parse("", "e.yaml")).isEqualTo(
                new SpecNode.ScalarNode(null, new SourceLocation("e.yaml", 1, 1)));
    }

    @Test
    void overridingTheLearningRateOfAShorthandOptimizerWorks() {
        TrialConfig c = single("""
                name: min
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                """, "training.optimizer.learning_rate=1e-3");
        assertThat(c.training().optimizer().name()).isEqualTo("sgd");
        assertThat(c.training().optimizer().learningRate()).isEqualTo(0.001);
    }

    @Test
    void optimizerParamsHoldOnlyTheOptimizersOwnParameters() {
        TrialConfig c = single(FULL);
        assertThat(c.training().optimizer().params().asMap()).containsExactly(Map.entry("beta1", 0.9));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> training(TrialConfig c) {
        return (Map<String, Object>) c.resolved().get("training");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> optimizer(TrialConfig c) {
        return (Map<String, Object>) training(c).get("optimizer");
    }

    @Test
    void theEngineDefaultsToMxnetAndCanBeSetInTheFileOrByOverrideAndChangesTheTrialKey() {
        TrialConfig byDefault = single(FULL);
        TrialConfig inFile = single("engine: pytorch\n" + FULL);
        TrialConfig byOverride = single(FULL, "engine=pytorch");

        assertThat(byDefault.engine()).isEqualTo("mxnet");
        assertThat(byDefault.djlEngine()).isEqualTo("MXNet");
        assertThat(inFile.engine()).isEqualTo("pytorch");
        assertThat(inFile.djlEngine()).isEqualTo("PyTorch");
        assertThat(byOverride.resolved()).isEqualTo(inFile.resolved());
        assertThat(plan("engine: pytorch\n" + FULL).get(0).trialKey())
                .isNotEqualTo(plan(FULL).get(0).trialKey());
    }

    @Test
    void anEngineSweepGivesOneTrialPerEngine() {
        List<TrialSpec> trials = plan(FULL + "sweep: {parameters: {engine: [mxnet, pytorch]}}\n");

        assertThat(trials).extracting(t -> t.config().engine()).containsExactly("mxnet", "pytorch");
    }

    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
