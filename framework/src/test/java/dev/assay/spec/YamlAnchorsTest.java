package dev.assay.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.ToyPlugins;
import dev.assay.sweep.SweepPlanner;
import dev.assay.sweep.TrialSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * YAML anchors, aliases and merge keys, and files of more than one document. Jackson's parser
 * hands an alias over as a string holding the anchor's name: {@code name: *d} named the
 * experiment "d", {@code batch_size: *n} read "n", and an aliased optimizer mapping became an
 * optimizer called "o" (found by a helper trying the loader as a new user would).
 */
class YamlAnchorsTest {

    private static final PluginRegistry REGISTRY = ToyPlugins.registry();

    @Test
    void aScalarAliasStandsForTheAnchoredValueNotItsName() {
        ExperimentSpec spec = SpecLoader.parse("""
                description: &d toy-anchored
                name: *d
                dataset: {name: toy-data, params: {size: &n 48}}
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  batch_size: *n
                  optimizer: sgd
                """, "exp.yaml", List.of());
        assertThat(spec.name()).isEqualTo("toy-anchored");
        List<TrialSpec> trials = SweepPlanner.plan(spec, new SpecBinder(REGISTRY));
        assertThat(trials).hasSize(1);
        assertThat(trials.get(0).config().training().batchSize()).isEqualTo(48);
    }

    @Test
    void aMappingAliasInASweepVariantGivesTheWholeMapping() {
        ExperimentSpec spec = SpecLoader.parse("""
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  epochs: 1
                  optimizer: &sgd {name: sgd, learning_rate: 0.25}
                sweep:
                  variants:
                    plain: {training.optimizer: *sgd}
                    adam: {training.optimizer: {name: adam, learning_rate: 0.001}}
                """, "exp.yaml", List.of());
        List<TrialSpec> trials = SweepPlanner.plan(spec, new SpecBinder(REGISTRY));
        assertThat(trials).extracting(t -> t.config().training().optimizer().name()).containsExactly("sgd", "adam");
        assertThat(trials).extracting(t -> t.config().training().optimizer().learningRate())
                .containsExactly(0.25, 0.001);
    }

    @Test
    void mergeKeysCopyTheKeysTheMappingDoesNotSetItselfTheFirstSourceWinning() {
        SpecNode root = YamlTrees.parse("""
                base: &base {a: 1, b: 2, c: 3}
                other: &other {c: 30, d: 40}
                one:
                  b: 20
                  <<: *base
                many:
                  <<: [*other, *base]
                  a: 100
                """, "exp.yaml");
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) root.toPlain();
        assertThat(plain.get("one")).isEqualTo(Map.of("a", 1L, "b", 20L, "c", 3L));
        assertThat(plain.get("many")).isEqualTo(Map.of("a", 100L, "b", 2L, "c", 30L, "d", 40L));
        SpecNode.MapNode one = (SpecNode.MapNode) ((SpecNode.MapNode) root).entries().get("one");
        assertThat(one.entries().keySet()).containsExactly("b", "a", "c");
        assertThat(one.keyLocation("a").line()).isEqualTo(1); // where the merged key is written
        assertThat(one.keyLocation("b").line()).isEqualTo(4);
    }

    @Test
    void topLevelExtensionFieldsHoldAnchorsAndAreOtherwiseIgnored() {
        String yaml = """
                x-defaults: &defaults
                  epochs: 2
                  optimizer: {name: sgd, learning_rate: 0.5}
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  <<: *defaults
                  epochs: 3
                """;
        ExperimentSpec spec = SpecLoader.parse(yaml, "exp.yaml", List.of());
        List<TrialSpec> trials = SweepPlanner.plan(spec, new SpecBinder(REGISTRY));
        assertThat(trials.get(0).config().training().epochs()).isEqualTo(3);
        assertThat(trials.get(0).config().training().optimizer().learningRate()).isEqualTo(0.5);
        // any other unknown top-level key is still an error, naming the extension prefix's use nowhere
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(
                yaml.replace("x-defaults", "defaults"), "exp.yaml", List.of()));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("exp.yaml:1:1: defaults: unknown key");
    }

    @Test
    void aMergedValueIsCheckedWhereItsTextIs() {
        SpecException e = catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(SpecLoader.parse("""
                x-d: &d {batch_size: many}
                name: e
                dataset: toy-data
                model: toy-net
                task: toy-task
                training:
                  <<: *d
                  epochs: 1
                  optimizer: sgd
                """, "exp.yaml", List.of()), new SpecBinder(REGISTRY)));
        assertThat(e).isNotNull();
        assertThat(e.location()).isEqualTo(new SourceLocation("exp.yaml", 1, 22));
        assertThat(e.key()).isEqualTo("training.batch_size");
    }

    @Test
    void anAliasToNoAnchorIsRefusedAtTheAlias() {
        SpecException e = catchThrowableOfType(SpecException.class, () -> YamlTrees.parse("""
                a: &known 1
                name: e
                training:
                  epochs: *epochs
                """, "exp.yaml"));
        assertThat(e).hasMessage("exp.yaml:4:11: training.epochs: alias *epochs refers to no anchor &epochs"
                + " defined before it (anchors so far: known)");
        // an alias before its anchor is the same mistake
        e = catchThrowableOfType(SpecException.class, () -> YamlTrees.parse("""
                name: *n
                description: &n x
                """, "exp.yaml"));
        assertThat(e).hasMessage("exp.yaml:1:7: name: alias *n refers to no anchor &n defined before it");
    }

    @Test
    void aMergeKeyOfAScalarOrTwoMergeKeysAreRefused() {
        SpecException e = catchThrowableOfType(SpecException.class, () -> YamlTrees.parse("""
                v: &v 3
                training:
                  <<: *v
                """, "exp.yaml"));
        assertThat(e).hasMessage("exp.yaml:1:4: training.<<: a merge key ('<<') takes a mapping or a list of"
                + " mappings (usually aliases: '<<: *defaults'), got the scalar '3'");
        e = catchThrowableOfType(SpecException.class, () -> YamlTrees.parse("""
                a: &a {x: 1}
                t:
                  <<: *a
                  <<: *a
                """, "exp.yaml"));
        assertThat(e).hasMessage("exp.yaml:4:3: t.<<: duplicate key (first at line 3)");
    }

    @Test
    void aSecondDocumentIsRefusedAtItsStartRatherThanIgnored() {
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecLoader.parse("""
                name: first
                training: {epochs: 1}
                ---
                name: second
                training: {epochs: 5}
                """, "exp.yaml", List.of()));
        assertThat(e).isNotNull();
        assertThat(e.location().line()).isEqualTo(4);
        assertThat(e.problem()).startsWith("a second YAML document starts here; an experiment file holds one document");
        // a document end marker alone, or a leading '---', is still one document
        assertThat(YamlTrees.parse("---\nname: only\n...\n", "exp.yaml").toPlain()).isEqualTo(Map.of("name", "only"));
    }

    @Test
    void aFileWhoseAliasesExpandPastAHundredThousandValuesIsRefusedQuickly() {
        // found by a helper: nine levels of ten aliases ("billion laughs") ran the CLI out of memory after 73 s
        StringBuilder yaml = new StringBuilder("x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 8; level++) {
            yaml.append("x-a").append(level).append(": &a").append(level).append(" [");
            for (int k = 0; k < 10; k++) {
                yaml.append(k == 0 ? "" : ", ").append("*a").append(level - 1);
            }
            yaml.append("]\n");
        }
        yaml.append("name: e\nmodel: {architecture: toy-net, params: {hidden: *a8}}\n");
        long start = System.nanoTime();
        SpecException e = catchThrowableOfType(SpecException.class, () -> YamlTrees.parse(yaml.toString(), "exp.yaml"));
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        // refused at the first anchored list past the limit: a4 holds 111,111 values
        assertThat(e).hasMessage("exp.yaml:5:7: x-a4: with its aliases expanded this value holds more than 100,000"
                + " values (aliases of aliases multiply); an experiment needs far fewer, so the file is refused");
        // four levels (a3: 11,111 values) are fine
        String fine = yaml.toString().lines().limit(4).collect(java.util.stream.Collectors.joining("\n"))
                + "\nname: e\n";
        assertThat(YamlTrees.parse(fine, "exp.yaml")).isInstanceOf(SpecNode.MapNode.class);
    }

    @Test
    void aVeryLongProblemIsCutSayingHowLongItWas() {
        // a million-value list quoted in an error made a 52-MB error line
        SpecException e = new SpecException(new SourceLocation("exp.yaml", 7, 7), "model.params.hidden",
                "expected a list of integers, got " + "[lol, ".repeat(10_000));
        assertThat(e.problem()).hasSize(SpecException.MAX_PROBLEM_CHARS + "… (60,033 characters in all)".length())
                .endsWith("… (60,033 characters in all)");
        assertThat(e.getMessage()).startsWith("exp.yaml:7:7: model.params.hidden: expected a list of integers, got [lol,");
    }

    @Test
    void anAliasAsAKeyATabAfterAColonAndALoneTrailingDocumentMarkerAreSaidPlainly() {
        // found by a helper: parser internals ("got this instead: <org.yaml.snakeyaml.events.AliasEvent(anchor=k)>")
        SpecException e = catchThrowableOfType(SpecException.class, () -> YamlTrees.parse(
                "x-k: &k batch_size\ntraining: {*k : 3}\n", "exp.yaml"));
        assertThat(e.problem()).isEqualTo("an alias cannot be a mapping key here (Jackson's YAML reader does not take"
                + " one); write the key out in full");
        // "Do not use \t(TAB) for indentation" of a tab that indents nothing
        e = catchThrowableOfType(SpecException.class, () -> YamlTrees.parse("name:\te\n", "exp.yaml"));
        assertThat(e.problem()).startsWith("invalid YAML: a tab character here: YAML indents with spaces only, and"
                + " this reader (YAML 1.1) takes no tab after ':'");
        assertThat(e.location().line()).isEqualTo(1);
        // a '---' with nothing after it is no second document
        assertThat(YamlTrees.parse("name: e\n---\n", "exp.yaml").toPlain()).isEqualTo(Map.of("name", "e"));
    }
}
