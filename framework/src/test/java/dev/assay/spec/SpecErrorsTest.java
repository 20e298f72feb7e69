package dev.assay.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.ToyPlugins;
import dev.assay.sweep.SweepPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecErrorsTest {

    private static final PluginRegistry REGISTRY = ToyPlugins.registry();

    /** Parses and plans; returns the SpecException thrown by either step. */
    private static SpecException error(String yaml, String... overrides) {
        return catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(
                SpecLoader.parse(yaml, "exp.yaml", List.of(overrides)), new SpecBinder(REGISTRY)));
    }

    private static void assertAt(SpecException e, int line, int column, String key) {
        assertThat(e.location().source()).isEqualTo("exp.yaml");
        assertThat(e.location().line()).isEqualTo(line);
        assertThat(e.location().column()).isEqualTo(column);
        assertThat(e.key()).isEqualTo(key);
    }

    @Test
    void unknownTopLevelKeySuggestsTheClosestKey() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                trainig:
                  epochs: 1
                  optimizer: sgd
                """);
        assertThat(e).hasMessage("exp.yaml:5:1: trainig: unknown key; did you mean 'training'?"
                + " Known keys here: name, description, engine, dataset, model, task, training, sweep");
        assertAt(e, 5, 1, "trainig");
        assertThat(e.problem()).isEqualTo("unknown key; did you mean 'training'?"
                + " Known keys here: name, description, engine, dataset, model, task, training, sweep");
    }

    @Test
    void unknownKeyInsideTrainingSuggestsEpochsAndListsKnownKeysInDeclarationOrder() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epoch: 1
                  optimizer: sgd
                """);
        assertThat(e).hasMessage("exp.yaml:6:3: training.epoch: unknown key; did you mean 'epochs'?"
                + " Known keys here: epochs, batch_size, seed, log_every_n_steps, optimizer, regularization, early_stopping");
        assertAt(e, 6, 3, "training.epoch");
    }

    @Test
    void anUnknownSweptPathPointsAtThePathAndABadSweptValueAtTheValue() {
        String yaml = """
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                sweep:
                  parameters:
                    training.optimizer.learning_rat:
                      - 0.1
                      - 0.01
                """;
        // it pointed at the first value, 11:9
        assertAt(error(yaml), 10, 5, "training.optimizer.learning_rat");
        assertAt(error(yaml.replace("learning_rat:", "learning_rate:").replace("- 0.01", "- abc")), 12, 9,
                "training.optimizer.learning_rate");
        assertAt(error(yaml.replace("learning_rat:\n      - 0.1\n      - 0.01",
                "learning_rat: {distribution: uniform, low: 0.1, high: 0.2}")
                .replace("parameters:", "strategy: random\n  n_trials: 2\n  parameters:")), 12, 5,
                "training.optimizer.learning_rat");
    }

    @Test
    void unknownKeyInsideTheOptimizerListsItsBuiltinAndOwnKeys() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer:
                    name: adam
                    learning_rte: 0.1
                """);
        assertThat(e).hasMessage("exp.yaml:9:5: training.optimizer.learning_rte: unknown key;"
                + " did you mean 'learning_rate'? Known keys here: name, learning_rate, weight_decay,"
                + " clip_gradient, beta1, schedule");
        assertAt(e, 9, 5, "training.optimizer.learning_rte");
    }

    @Test
    void misspelledArchitectureNamesTheClosestAndAllKnownArchitectures() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model:
                  architecture: toy-nett
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                """);
        assertThat(e).hasMessage("exp.yaml:4:17: model.architecture: unknown architecture 'toy-nett';"
                + " did you mean 'toy-net'? Known architectures: toy-net, wide-net");
        assertAt(e, 4, 17, "model.architecture");
    }

    @Test
    void misspelledShorthandArchitecturePointsAtTheName() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-nett
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                """);
        assertThat(e).hasMessage("exp.yaml:3:8: model.architecture: unknown architecture 'toy-nett';"
                + " did you mean 'toy-net'? Known architectures: toy-net, wide-net");
        assertAt(e, 3, 8, "model.architecture");
    }

    @Test
    void aWordWhereAnIntegerBelongsIsRejected() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  batch_size: 32
                  epochs: five
                  optimizer: sgd
                """);
        assertThat(e).hasMessage("exp.yaml:7:11: training.epochs: expected an integer, got 'five'");
        assertAt(e, 7, 11, "training.epochs");
        assertThat(e.problem()).isEqualTo("expected an integer, got 'five'");
    }

    @Test
    void aFractionWhereAnIntegerBelongsIsRejected() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 2.5
                  optimizer: sgd
                """);
        assertThat(e).hasMessage("exp.yaml:6:11: training.epochs: expected an integer, got 2.5");
    }

    @Test
    void dropoutAboveItsRangeIsRejected() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model:
                  architecture: toy-net
                  params:
                    dropout: 1.5
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                """);
        assertThat(e).hasMessage(
                "exp.yaml:6:14: model.params.dropout: expected a value in [0, 0.99], got 1.5");
        assertAt(e, 6, 14, "model.params.dropout");
    }

    @Test
    void anUndeclaredPluginParameterIsAnUnknownKey() {
        SpecException e = error("""
                name: e
                dataset:
                  name: toy-data
                  params:
                    sise: 10
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                """);
        assertThat(e).hasMessage("exp.yaml:5:5: dataset.params.sise: unknown key; did you mean 'size'?"
                + " Known keys here: size, validation_split");
    }

    @Test
    void aMisspelledChoiceGetsTheClosestOne() {
        // found by a fresh-clone check: plugin names got a "did you mean", choices did not
        SpecException schedule = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer:
                    name: sgd
                    schedule: cosin
                """);
        assertThat(schedule).hasMessage("exp.yaml:9:15: training.optimizer.schedule.name: expected one of"
                + " [constant, step, cosine], got 'cosin'; did you mean 'cosine'?");
        SpecException mode = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training: {epochs: 1, optimizer: sgd}
                sweep:
                  strategy: tpe
                  n_trials: 4
                  objective: {metric: val_loss, mode: maxx}
                  parameters:
                    training.optimizer.learning_rate: {distribution: uniform, low: 0.001, high: 0.1}
                """);
        assertThat(mode).hasMessage("exp.yaml:9:39: sweep.objective.mode: expected one of [auto, min, max],"
                + " got 'maxx'; did you mean 'max'?");
    }

    @Test
    void tpesSettingsUnderARandomSearchAreRefusedAtTheirKey() {
        // read by TPE alone: a random search accepted them and did nothing with them
        for (String key : List.of("n_startup_trials: 5", "objective: val_accuracy")) {
            SpecException e = error("""
                    name: e
                    dataset: toy-data
                    model: toy-net
                    task: toy-task
                    training: {epochs: 1, optimizer: sgd}
                    sweep:
                      strategy: random
                      n_trials: 4
                      %s
                      parameters:
                        training.optimizer.learning_rate: {distribution: uniform, low: 0.001, high: 0.1}
                    """.formatted(key));
            String name = key.substring(0, key.indexOf(':'));
            assertThat(e).hasMessage("exp.yaml:9:3: sweep." + name + ": belongs to strategy: tpe (a random search"
                    + " draws every trial independently)");
        }
    }

    @Test
    void anUnknownScheduleNameListsTheChoices() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer:
                    name: sgd
                    schedule: linear
                """);
        assertThat(e).hasMessage("exp.yaml:9:15: training.optimizer.schedule.name: expected one of"
                + " [constant, step, cosine], got 'linear'");
    }

    @Test
    void missingEpochsIsReportedAtTheTrainingSection() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  batch_size: 32
                  optimizer: sgd
                """);
        assertThat(e).hasMessage("exp.yaml:6:3: training.epochs: required key is missing"
                + " (passes over the training split)");
        assertAt(e, 6, 3, "training.epochs");
    }

    @Test
    void missingSectionIsReportedAtTheDocument() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                training:
                  epochs: 1
                  optimizer: sgd
                """);
        assertThat(e).hasMessage("exp.yaml:1:1: task: required key is missing");
        assertAt(e, 1, 1, "task");
    }

    @Test
    void missingNameIsReportedAtTheDocument() {
        SpecException e = error("""
                dataset: toy-data
                """);
        assertThat(e).hasMessage("exp.yaml:1:1: name: required key is missing");
    }

    @Test
    void aDuplicateKeyNamesItsDottedPathAndTheLineOfTheFirst() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                  epochs: 2
                """);
        assertThat(e).hasMessage("exp.yaml:8:3: training.epochs: duplicate key (first at line 6)");
        assertAt(e, 8, 3, "training.epochs");
    }

    @Test
    void invalidYamlSyntaxIsReportedWithItsPosition() {
        SpecException e = error("name: e\ntraining: [1, 2\n");
        // located where SnakeYAML found the problem (the end of the text), not Jackson's 2:16
        assertThat(e).hasMessage("""
                exp.yaml:3:1: invalid YAML: while parsing a flow sequence
                 in 'reader', line 2, column 11:
                    training: [1, 2
                              ^
                expected ',' or ']', but got <stream end>
                 in 'reader', line 3, column 1:
                   \s
                    ^
                """);
        assertAt(e, 3, 1, "");
        assertThat(e.problem()).startsWith("invalid YAML: while parsing a flow sequence");
    }

    @Test
    void aTabIsReportedWhereItIs() {
        // it was reported at the end of the line before (5:9)
        SpecException e = error("name: e\ndataset: toy-data\nmodel: toy-net\ntask: toy-task\ntraining:\n\tepochs: 1\n");
        assertAt(e, 6, 1, "");
        assertThat(e.problem()).contains("found character '\\t(TAB)' that cannot start any token");
    }

    @Test
    void anIntegerBeyondThirtyTwoBitsOrAnInfiniteBoundedValueIsRefusedWhereItIsWritten() {
        String yaml = """
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 99999999999
                  optimizer: sgd
                """;
        // it passed, then failed the trial (or the dry run) with a bare "ArithmeticException: integer overflow"
        // the parameter's own range (epochs ≥ 1) within an int's, not Java's int range alone
        assertThat(error(yaml)).hasMessage("exp.yaml:6:11: training.epochs: expected an integer in [1, 2147483647],"
                + " got 99999999999");
        assertThat(error(yaml.replace("99999999999", "1"), "training.epochs=99999999999")).hasMessage(
                "argument 'training.epochs=99999999999': training.epochs: expected an integer in [1, 2147483647],"
                        + " got 99999999999");
        // beyond a long: "exp.yaml:6:11: integer ... is too large" named no key
        assertAt(error(yaml.replace("99999999999", "99999999999999999999")), 6, 11, "training.epochs");
        assertThat(error(yaml.replace("99999999999", "99999999999999999999")).problem())
                .isEqualTo("integer 99999999999999999999 is too large");
        // NaN was refused, Infinity taken
        assertThat(error(yaml.replace("99999999999", "1"), "training.optimizer.learning_rate=Infinity").problem())
                .startsWith("expected a finite value ≥ 0, got Infinity");
    }

    @Test
    void aDocumentThatIsNotAMappingIsRejected() {
        SpecException e = error("- a\n- b\n");
        assertThat(e).hasMessage("exp.yaml:1:1: an experiment file must be a mapping with keys"
                + " [name, description, engine, dataset, model, task, training, sweep]");
    }

    @Test
    void aBadValueOnlyInTheSweepPointsAtTheSweptValue() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model:
                  architecture: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                sweep:
                  parameters:
                    model.params.dropout: [0.5, 1.5]
                """);
        assertThat(e).hasMessage(
                "exp.yaml:11:33: model.params.dropout: expected a value in [0, 0.99], got 1.5");
        assertAt(e, 11, 33, "model.params.dropout");
    }

    @Test
    void aBadValueInAVariantPointsAtTheVariantsValue() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                sweep:
                  variants:
                    fine: {}
                    broken:
                      training.batch_size: 0
                """);
        assertThat(e).hasMessage(
                "exp.yaml:12:28: training.batch_size: expected a value ≥ 1, got 0");
        assertAt(e, 12, 28, "training.batch_size");
    }

    @Test
    void aSweepRepeatOfZeroIsRejected() {
        SpecException e = error("""
                name: e
                sweep:
                  repeat: 0
                """);
        assertThat(e).hasMessage("exp.yaml:3:11: sweep.repeat: expected an integer in [1, 10000], got 0");
    }

    @Test
    void anUnsupportedSweepStrategyIsRejected() {
        SpecException e = error("""
                name: e
                sweep:
                  strategy: bayes
                """);
        assertThat(e).hasMessage("exp.yaml:3:13: sweep.strategy: unsupported strategy 'bayes'; supported: grid, random, tpe");
    }

    @Test
    void anEmptySweptListIsRejected() {
        SpecException e = error("""
                name: e
                sweep:
                  parameters:
                    training.epochs: []
                """);
        assertThat(e).hasMessage("exp.yaml:4:22: sweep.parameters.training.epochs: expected a non-empty"
                + " list of values to sweep, e.g. [0.1, 0.01]");
    }

    @Test
    void anOverrideWithoutEqualsSignIsRejected() {
        SpecException e = catchThrowableOfType(SpecException.class,
                () -> SpecLoader.parse("name: e\n", "exp.yaml", List.of("training.epochs")));
        assertThat(e).hasMessage("argument 'training.epochs': expected an override of the form"
                + " path=value, e.g. training.epochs=3");
        assertThat(e.location()).isEqualTo(new SourceLocation("argument 'training.epochs'", 0, 0));
        assertThat(e.key()).isEmpty();
    }

    @Test
    void anOverrideWithABadPathIsRejected() {
        SpecException e = catchThrowableOfType(SpecException.class,
                () -> Assignment.parse("training..epochs=3"));
        assertThat(e).hasMessage("argument 'training..epochs=3': training..epochs: not a dotted path"
                + " of keys (e.g. model.params.dropout)");
    }

    @Test
    void anOverrideWithAWrongTypedValueNamesTheArgumentWithoutLineOrColumn() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                """, "training.epochs=three");
        assertThat(e).hasMessage(
                "argument 'training.epochs=three': training.epochs: expected an integer, got 'three'");
        assertThat(e.location()).isEqualTo(new SourceLocation("argument 'training.epochs=three'", 0, 0));
        assertThat(e.key()).isEqualTo("training.epochs");
        assertThat(e.problem()).isEqualTo("expected an integer, got 'three'");
    }

    @Test
    void anOverrideWithInvalidYamlNamesTheArgumentAndPath() {
        SpecException e = catchThrowableOfType(SpecException.class,
                () -> Assignment.parse("model.params.hidden=[8, 4"));
        assertThat(e.getMessage()).startsWith(
                "argument 'model.params.hidden=[8, 4': model.params.hidden: invalid YAML: ");
        assertThat(e.location()).isEqualTo(new SourceLocation("argument 'model.params.hidden=[8, 4'", 0, 0));
        assertThat(e.key()).isEqualTo("model.params.hidden");
    }

    @Test
    void sweepingAParameterOfAShorthandModelWorks() {
        var trials = SweepPlanner.plan(SpecLoader.parse("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                sweep:
                  parameters:
                    model.params.dropout: [0.1, 0.2]
                """, "exp.yaml", List.of("model.params.hidden=[4]")), new SpecBinder(REGISTRY));
        assertThat(trials).extracting(t -> t.config().model().params().getDouble("dropout"))
                .containsExactly(0.1, 0.2);
    }

    @Test
    void aZeroLearningRateIsAllowedAsAFrozenBaseline() {
        var trials = SweepPlanner.plan(SpecLoader.parse("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer:
                    name: sgd
                    learning_rate: 0
                """, "exp.yaml", List.of()), new SpecBinder(REGISTRY));
        assertThat(trials.get(0).config().training().optimizer().learningRate()).isEqualTo(0.0);
    }

    @Test
    void aNegativeLearningRateIsRejected() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer:
                    name: sgd
                    learning_rate: -1e-3
                """);
        assertThat(e).hasMessage(
                "exp.yaml:9:20: training.optimizer.learning_rate: expected a value ≥ 0, got -0.001");
    }

    @Test
    void aNanDropoutIsRejected() {
        SpecException e = error("""
                name: e
                dataset: toy-data
                model:
                  architecture: toy-net
                  params:
                    dropout: .nan
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                """);
        assertThat(e).hasMessage(
                "exp.yaml:6:14: model.params.dropout: expected a finite value in [0, 0.99], got NaN");
    }

    private static final String BASE = """
            name: e
            dataset: toy-data
            model: toy-net
            task: toy-task
            training: {epochs: 1, optimizer: sgd}
            """;

    @Test
    void anOverrideOrSweepAxisOutsideTheKnownKeysIsAnErrorNotIgnored() {
        // these were accepted and had no effect: the trial ran with the file's values
        assertThat(error(BASE, "trainng.epochs=1")).hasMessage("argument 'trainng.epochs=1': trainng.epochs:"
                + " unknown key 'trainng'; did you mean 'training'? A path here starts with one of: name,"
                + " description, engine, dataset, model, task, training, sweep");
        assertThat(error(BASE, "foo=1").problem()).isEqualTo("unknown key 'foo'. A path here starts with one of:"
                + " name, description, engine, dataset, model, task, training, sweep");
        SpecException axis = catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(BASE, "exp.yaml",
                new ExperimentSpec.Arguments(List.of(), List.of("trainig.epochs=1,2"))));
        assertThat(axis).hasMessage("argument '--sweep trainig.epochs=1,2': trainig.epochs: unknown key 'trainig';"
                + " did you mean 'training'? A path here starts with one of: engine, dataset, model, task, training");
        SpecException inFile = error(BASE + """
                sweep:
                  parameters:
                    name: [a, b]
                """);
        assertThat(inFile.problem()).startsWith("unknown key 'name'. A path here starts with one of: engine,");
        assertAt(inFile, 8, 5, "sweep.parameters.name");
        SpecException variant = error(BASE + """
                sweep:
                  variants:
                    short: {trainig.epochs: 1}
                """);
        assertThat(variant.problem()).startsWith("unknown key 'trainig'; did you mean 'training'?");
        assertThat(variant.key()).isEqualTo("sweep.variants.short.trainig.epochs");
    }

    /** {@link #BASE} with a random search of 3 trials over the learning rate. */
    private static final String RANDOM = BASE + """
            sweep:
              strategy: random
              n_trials: 3
              parameters:
                training.optimizer.learning_rate: {distribution: loguniform, low: 1.0e-3, high: 1.0e-1}
            """;

    @Test
    void nameAndSweepSettingsCanBeOverriddenFromTheCommandLine() {
        String random = RANDOM;
        assertThat(SweepPlanner.plan(SpecLoader.parse(random, "exp.yaml", List.of()), new SpecBinder(REGISTRY)))
                .hasSize(3);
        ExperimentSpec spec = SpecLoader.parse(random, "exp.yaml", List.of("sweep.n_trials=1", "name=other"));
        assertThat(spec.name()).isEqualTo("other");
        assertThat(SweepPlanner.plan(spec, new SpecBinder(REGISTRY))).hasSize(1);
        // a misspelled sweep key is reported as in the file, at the argument
        assertThat(error(random, "sweep.n_trails=1")).hasMessageStartingWith("argument 'sweep.n_trails=1':"
                + " sweep.n_trails: unknown key; did you mean 'n_trials'?");
    }

    @Test
    void aConflictThatACommandLineArgumentMadeIsReportedAtTheArgument() {
        String random = RANDOM;
        // the file has neither tpe nor repeat: the error once pointed at the file's sweep section
        SpecException e = error(random, "sweep.strategy=tpe", "sweep.repeat=2");
        assertThat(e).hasMessage("argument 'sweep.repeat=2': sweep.repeat: strategy: tpe proposes one configuration"
                + " at a time; it takes no variants and no repeat");
        SpecException inFile = error(random.replace("strategy: random", "strategy: tpe") + "  repeat: 2\n");
        assertThat(inFile.key()).isEqualTo("sweep.repeat");
        assertThat(inFile.location().line()).isEqualTo(11);
    }

    @Test
    void aSweepAxisErrorQuotesTheArgumentAsWrittenAndAStrategyTypoGetsASuggestion() {
        // the argument was once echoed as rewritten for parsing: 'training.batch_sise=[64,256]'
        SpecException axis = catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(SpecLoader.parse(BASE,
                "exp.yaml", new ExperimentSpec.Arguments(List.of(), List.of("training.batch_sise=64,256"))),
                new SpecBinder(REGISTRY)));
        assertThat(axis).hasMessageStartingWith("argument '--sweep training.batch_sise=64,256': training.batch_sise:"
                + " unknown key; did you mean 'batch_size'?");
        assertThat(error(BASE, "sweep.strategy=grdi")).hasMessage("argument 'sweep.strategy=grdi': sweep.strategy:"
                + " unsupported strategy 'grdi'; did you mean 'grid'? Supported: grid, random, tpe");
    }

    @Test
    void aListValuedAxisIsSweptFromTheCommandLineAndAnEmptyValueIsNamed() {
        // found by a new-user check: --sweep model.params.hidden=[32,16],[64] failed with "invalid YAML: expected
        // '<document start>', but found ','" (the plan's notes read the argument without its brackets), and
        // 64,,128 with SnakeYAML's excerpt of [64,,128]
        ExperimentSpec spec = SpecLoader.parse(BASE, "exp.yaml",
                new ExperimentSpec.Arguments(List.of(), List.of("model.params.hidden=[32,16],[64]")));
        assertThat(spec.planNotes()).isEmpty();
        SweepAxis.Values axis = (SweepAxis.Values) spec.sweep().parameters().get("model.params.hidden");
        assertThat(axis.values()).extracting(SpecNode::toPlain).containsExactly(List.of(32L, 16L), List.of(64L));
        SpecException empty = catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(BASE, "exp.yaml",
                new ExperimentSpec.Arguments(List.of(), List.of("training.epochs=1,,2"))));
        assertThat(empty).hasMessage("argument '--sweep training.epochs=1,,2': training.epochs: an empty value between"
                + " commas in '1,,2'; give each value, e.g. --sweep training.epochs=V1,V2 (a list value in"
                + " brackets: --sweep model.params.hidden=[32,16],[64])");
        assertThat(catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(BASE, "exp.yaml",
                new ExperimentSpec.Arguments(List.of(), List.of("training.epochs=1,2,"))))).isNotNull();
        // unpaired brackets: SnakeYAML's message quoted "[[64,[32]]", the values rewritten into one list
        SpecException brackets = catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(BASE, "exp.yaml",
                new ExperimentSpec.Arguments(List.of(), List.of("model.params.hidden=[64,[32]"))));
        assertThat(brackets).hasMessage("argument '--sweep model.params.hidden=[64,[32]': model.params.hidden: cannot"
                + " read '[64,[32]' as comma-separated values (2 '[' but 1 ']'); e.g. --sweep training.batch_size=32,64,"
                + " or a list per value in brackets: --sweep model.params.hidden=[32,16],[64]");
        SpecException other = catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(BASE, "exp.yaml",
                new ExperimentSpec.Arguments(List.of(), List.of("model.params.hidden=[64]]]["))));
        assertThat(other).hasMessageContaining("cannot read '[64]]][' as comma-separated values (2 '[' but 3 ']')")
                .hasMessageNotContaining("[[64");
        SpecException quote = catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(BASE, "exp.yaml",
                new ExperimentSpec.Arguments(List.of(), List.of("training.epochs=1,\"2"))));
        assertThat(quote).hasMessageStartingWith("argument '--sweep training.epochs=1,\"2': training.epochs: cannot read"
                + " '1,\"2' as comma-separated values: ").hasMessageNotContaining("[1,");
    }

    @Test
    void anOverrideOnAPathTheVariantsSetSaysItReplacesTheirValues() {
        // found by a new-user check: training.optimizer.learning_rate=0.5 replaced both variants' rates
        // without a note (an override on a swept path had one), and the plan's column for it disappeared
        String variants = BASE + """
                sweep:
                  variants:
                    slow: {training.optimizer.learning_rate: 0.01}
                    fast: {training.optimizer.learning_rate: 0.5, training.epochs: 3}
                    plain: {training.epochs: 4}
                """;
        ExperimentSpec spec = SpecLoader.parse(variants, "exp.yaml", List.of("training.optimizer.learning_rate=0.2",
                "training.optimizer.learning_rate=0.3"));
        assertThat(spec.planNotes()).containsExactly("the override training.optimizer.learning_rate is given more than"
                + " once: the last one, training.optimizer.learning_rate=0.3, is used",
                "the override training.optimizer.learning_rate=0.3 replaces what variant(s) slow, fast set on that path:"
                        + " every trial takes the override");
        // an override above the variants' path replaces it too; one on a path no variant sets says nothing
        assertThat(SpecLoader.parse(variants, "exp.yaml", List.of("training.optimizer={name: adam}")).planNotes())
                .containsExactly("the override training.optimizer={name=adam} replaces what variant(s) slow, fast set"
                        + " on that path: every trial takes the override");
        assertThat(SpecLoader.parse(variants, "exp.yaml", List.of("training.batch_size=8")).planNotes()).isEmpty();
    }

    @Test
    void aSweepAxisAboveAFileAxisRemovesItWithANote() {
        // found by a new-user check: --sweep training.optimizer={...},{...} over a file sweeping
        // training.optimizer.learning_rate kept both axes: the trials were named after the file's learning rate
        // while the --sweep one won, and half of them repeated the other half
        String grid = BASE + """
                sweep:
                  parameters:
                    training.optimizer.learning_rate: [0.1, 0.01]
                """;
        ExperimentSpec spec = SpecLoader.parse(grid, "exp.yaml", new ExperimentSpec.Arguments(List.of(),
                List.of("training.optimizer={name: sgd, learning_rate: 0.5},{name: adam, learning_rate: 0.001}")));
        assertThat(spec.sweep().parameters()).containsOnlyKeys("training.optimizer");
        assertThat(spec.planNotes()).containsExactly("--sweep training.optimizer removes the file's axis"
                + " training.optimizer.learning_rate (exp.yaml:8:5): every trial takes"
                + " training.optimizer.learning_rate from the --sweep values");
        List<dev.assay.sweep.TrialSpec> trials = SweepPlanner.plan(spec, new SpecBinder(REGISTRY));
        assertThat(trials).extracting(t -> t.config().training().optimizer().learningRate()).containsExactly(0.5, 0.001);
        assertThat(trials).extracting(dev.assay.sweep.TrialSpec::runName).noneMatch(n -> n.contains("0.01"));
    }

    @Test
    void aDescriptionOrNameThatIsNotTextIsRefusedAtItsLine() {
        // found by a new-user check: "description: {a: 1}" was stored as "{a=1}", and "name: [a, b]" was told
        // "expected a non-empty experiment name"
        SpecException map = error(BASE + "description: {a: 1}\n");
        assertAt(map, 6, 14, "description");
        assertThat(map.problem()).isEqualTo("expected text, got a mapping (quote it if it is meant as text)");
        assertThat(error(BASE, "description=[x, y]").problem()).isEqualTo("expected text, got a list (quote it if it is"
                + " meant as text)");
        assertThat(error(BASE.replace("name: e", "name: [a, b]")).problem())
                .isEqualTo("expected an experiment name (text), got a list");
        assertThat(error(BASE + "description: 42\n")).isNull();
    }

    @Test
    void modeAutoOnAMetricWhoseNameTellsNoDirectionIsRefusedAskingForMinOrMax() {
        // found by a new-user check: a plugin task's val_mae was maximized by mode: auto, so early stopping
        // stopped two trials that were improving, and a pruner and TPE would have gone the wrong way
        SpecException e = error(BASE.replace("training: {epochs: 1, optimizer: sgd}",
                "training: {epochs: 3, optimizer: sgd, early_stopping: {monitor: val_r2}}"));
        assertThat(e.key()).isEqualTo("training.early_stopping.monitor");
        assertThat(e.problem()).startsWith("mode: auto cannot tell from the name 'val_r2' whether smaller or larger is"
                + " better (smaller: names with loss, error, perplexity, mse, mae, mape, nll, penalty, objective, time_s;"
                + " larger: accuracy, bleu, ").endsWith("); set training.early_stopping.mode: min or max");
        assertThat(error(BASE.replace("training: {epochs: 1, optimizer: sgd}",
                "training: {epochs: 3, optimizer: sgd, early_stopping: {monitor: val_r2, mode: max}}"))).isNull();
        // names it can read: mean absolute error is smaller-better now (it was maximized)
        assertThat(error(BASE.replace("training: {epochs: 1, optimizer: sgd}",
                "training: {epochs: 3, optimizer: sgd, early_stopping: {monitor: val_mae}}"))).isNull();
        assertThat(EarlyStoppingSpec.minimize("val_mae", "auto")).isTrue();
        assertThat(error(BASE + """
                sweep:
                  strategy: tpe
                  n_trials: 3
                  objective: d_real
                  parameters: {training.optimizer.learning_rate: {distribution: loguniform, low: 1.0e-3, high: 1.0}}
                """).problem()).endsWith("); set sweep.objective.mode: min or max");
    }

    @Test
    void anUnknownKeyWithNoCloseMatchEndsItsSentence() {
        assertThat(error(BASE.replace("training:", "zzz: 1\ntraining:")).problem()).isEqualTo("unknown key."
                + " Known keys here: name, description, engine, dataset, model, task, training, sweep");
    }

    @Test
    void anExperimentNameWithAnUnprintableCharacterOrOuterSpaceIsRefusedAtItsLine() {
        // found by a new-user check: a tab or newline in the name broke the runs tables and --experiment filters
        String rest = """
                dataset: toy-data
                model: toy-net
                task: toy-task
                training: {epochs: 1, optimizer: sgd}
                """;
        SpecException tab = error("name: \"a\\tb\"\n" + rest);
        assertAt(tab, 1, 7, "name");
        assertThat(tab.problem()).isEqualTo("an experiment name cannot hold U+0009 (character tabulation) at character 2");
        assertThat(error("name: \"ab\\u200B\"\n" + rest).problem())
                .isEqualTo("an experiment name cannot hold U+200B (zero width space) at character 3");
        assertThat(error("name: \"\\U0001F600x\\n\"\n" + rest).problem())
                .isEqualTo("an experiment name cannot hold U+000A (line feed (lf)) at character 3");
        assertThat(error("name: \" lead\"\n" + rest).problem()).isEqualTo("the experiment name ' lead' starts or ends"
                + " with white space, which the tables do not show and filters do not match; remove it");
        // spaces inside, accents and emoji are names like any other
        assertThat(error("name: \"régularisation 2 \\U0001F600\"\n" + rest)).isNull();
    }

    @Test
    void anExperimentNameLongerThanTheStoreTakesIsRefusedAtItsLine() {
        // the store refused it when the first run was created: "A experiment name must be ...", no line
        SpecException e = error("""
                name: %s
                dataset: toy-data
                model: toy-net
                task: toy-task
                training: {epochs: 1, optimizer: sgd}
                """.formatted("x".repeat(251)));
        assertAt(e, 1, 7, "name");
        assertThat(e.problem()).isEqualTo("an experiment name is at most 250 characters, got 251");
        assertThat(error("""
                name: %s
                dataset: toy-data
                model: toy-net
                task: toy-task
                training: {epochs: 1, optimizer: sgd}
                """.formatted("x".repeat(250)))).isNull();
    }

    /** An SGD trial whose optimizer's last line (line 9) is a cosine schedule with a gamma. */
    private static final String SCHEDULED = """
            name: e
            dataset: toy-data
            model: toy-net
            task: toy-task
            training:
              epochs: 1
              optimizer:
                name: sgd
                schedule: {name: cosine, gamma: 0.25}
            """;

    @Test
    void aScheduleFieldTheScheduleDoesNotReadIsRefusedUnlessAtItsDefault() {
        // gamma under cosine changed nothing but split one schedule into several trials and groups
        String yaml = SCHEDULED;
        SpecException e = error(yaml);
        assertAt(e, 9, 37, "training.optimizer.schedule.gamma");
        assertThat(e.problem()).isEqualTo("schedule 'cosine' does not use gamma (it reads final_learning_rate); remove"
                + " it: it changes nothing but would make runs of one schedule count as different trials");
        assertThat(error(yaml.replace("{name: cosine, gamma: 0.25}", "{name: constant, final_learning_rate: 0.01}"))
                .problem()).startsWith("schedule 'constant' does not use final_learning_rate; remove it");
        assertThat(error(yaml.replace("{name: cosine, gamma: 0.25}", "{name: step, gamma: 0.25, step_epochs: 2}")))
                .isNull();
        // every default written out, as show --config writes a run's configuration: planned
        assertThat(error(yaml.replace("{name: cosine, gamma: 0.25}",
                "{name: cosine, step_epochs: 1, gamma: 0.1, final_learning_rate: 0.0}"))).isNull();
    }

    @Test
    void aStepGammaOfZeroAndRatesBeyondFloat32AreRefusedWhereGiven() {
        // a user's check: both were accepted (gamma 0 zeroed the rate at the first decay; 1e39 is infinite in float32)
        String yaml = SCHEDULED.replace("{name: cosine, gamma: 0.25}", "{name: step, gamma: 0.0}");
        SpecException gamma = error(yaml);
        assertAt(gamma, 9, 35, "training.optimizer.schedule.gamma");
        assertThat(gamma.problem()).isEqualTo("must be above 0 (the rate is multiplied by it at each decay: 0 stops"
                + " training at the first); e.g. 0.1 or 0.5");
        SpecException rate = error(yaml.replace("    schedule: {name: step, gamma: 0.0}", "    learning_rate: 1e39"));
        assertAt(rate, 9, 20, "training.optimizer.learning_rate");
        assertThat(rate.problem()).isEqualTo("is 1.0E39, beyond float32's largest value (3.4028235E38), which the"
                + " engines train in: it would be infinite");
        assertThat(error(yaml.replace("gamma: 0.0", "gamma: 0.5"))).isNull();
        // a cosine schedule ending above its base rate rose over the trial, accepted without a word
        SpecException rising = error(SCHEDULED.replace("{name: cosine, gamma: 0.25}",
                "{name: cosine, final_learning_rate: 0.5}").replace("    name: sgd", "    name: sgd\n    learning_rate: 0.1"));
        assertAt(rising, 10, 51, "training.optimizer.schedule.final_learning_rate");
        assertThat(rising.problem()).isEqualTo("is 0.5, above learning_rate (0.1): cosine anneals from learning_rate"
                + " down to final_learning_rate; give a final rate at most the base rate");
        assertThat(error(SCHEDULED.replace("{name: cosine, gamma: 0.25}", "{name: cosine, final_learning_rate: 1.0e-3}")))
                .isNull();
        assertThat(error(yaml.replace("    schedule: {name: step, gamma: 0.0}", "    learning_rate: 3e38"))).isNull();
    }

    @Test
    void theDivergenceThresholdIsAFiniteNumberReadWhereGivenAndNamedAmongTheKnownKeys() {
        String yaml = """
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 2
                  optimizer: sgd
                  early_stopping: {monitor: val_loss, divergence_threshold: THRESHOLD}
                """;
        SpecException word = error(yaml.replace("THRESHOLD", "lots"));
        assertAt(word, 8, 61, "training.early_stopping.divergence_threshold");
        SpecException infinite = error(yaml.replace("THRESHOLD", ".inf"));
        assertAt(infinite, 8, 61, "training.early_stopping.divergence_threshold");
        assertThat(infinite.problem()).isEqualTo("expected a finite number, got Infinity");
        SpecException typo = error(yaml.replace("divergence_threshold", "divergence_treshold").replace("THRESHOLD", "9"));
        assertThat(typo.problem()).isEqualTo("unknown key; did you mean 'divergence_threshold'? Known keys here:"
                + " monitor, mode, patience, min_delta, restore_best_weights, divergence_threshold");

        ExperimentSpec spec = SpecLoader.parse(yaml.replace("THRESHOLD", "1e3"), "exp.yaml", List.of());
        assertThat(SweepPlanner.plan(spec, new SpecBinder(REGISTRY)).get(0).config().training().earlyStopping()
                .divergenceThreshold()).isEqualTo(1000.0);
        ExperimentSpec without = SpecLoader.parse(yaml.replace(", divergence_threshold: THRESHOLD", ""), "exp.yaml",
                List.of());
        assertThat(SweepPlanner.plan(without, new SpecBinder(REGISTRY)).get(0).config().training().earlyStopping()
                .divergenceThreshold()).isNull();
    }

    @Test
    void anEmptyOrNullValueIsRefusedAtItsKeyInsteadOfTakingTheDefault() {
        // found by a new-user check: "learning_rate=" (a shell variable that was not set) and
        // "validation_split:" left empty trained silently with the built-in defaults
        String yaml = """
                name: e
                dataset:
                  name: toy-data
                  params:
                    validation_split:
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: sgd
                """;
        SpecException empty = error(yaml);
        assertAt(empty, 5, 22, "dataset.params.validation_split");
        assertThat(empty.problem()).isEqualTo(
                "has no value (empty or null); give a number, or leave the key out for its default (0.1)");
        assertThat(error(yaml.replace("validation_split:", "validation_split: ~")).problem())
                .startsWith("has no value (empty or null)");
        String valid = yaml.replace("validation_split:", "validation_split: 0.2");
        assertThat(error(valid)).isNull();
        assertThat(error(valid, "training.optimizer.learning_rate=")).hasMessageStartingWith(
                "argument 'training.optimizer.learning_rate=': training.optimizer.learning_rate: has no value"
                        + " (empty or null); give a number, or leave the key out for its default (");
        assertThat(error(valid, "model.params.dropout=null").key()).isEqualTo("model.params.dropout");
        // a required key given empty says so too, not that it is missing
        assertThat(error(valid, "training.epochs=").problem()).startsWith("has no value (empty or null); give an integer (");
    }
}
