package dev.assay.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.plugin.ToyPlugins;
import dev.assay.spec.SpecBinder;
import dev.assay.spec.SpecLoader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrialKeysTest {

    private static final SpecBinder BINDER = new SpecBinder(ToyPlugins.registry());

    private static final String BASE = """
            name: keys
            dataset: toy-data
            model:
              architecture: toy-net
              params:
                hidden: [16, 8]
                dropout: 0.2
            task: toy-task
            training:
              epochs: 2
              seed: 7
              optimizer:
                name: adam
                learning_rate: 1e-3
            """;

    private static String key(String yaml, String... overrides) {
        List<TrialSpec> trials = SweepPlanner.plan(
                SpecLoader.parse(yaml, "exp.yaml", List.of(overrides)), BINDER);
        assertThat(trials).hasSize(1);
        return trials.get(0).trialKey();
    }

    @Test
    void aKeyIsSixteenLowercaseHexDigits() {
        assertThat(key(BASE)).matches("[0-9a-f]{16}");
    }

    @Test
    void twoParsesOfTheSameTextGiveTheSameKey() {
        assertThat(key(BASE)).isEqualTo(key(BASE));
    }

    @Test
    void equalValuesWrittenDifferentlyGiveTheSameKey() {
        String k = key(BASE);
        assertThat(key(BASE.replace("1e-3", "0.001"))).isEqualTo(k);
        assertThat(key(BASE.replace("1e-3", "1.0e-3"))).isEqualTo(k);
        assertThat(key(BASE.replace("1e-3", "\"1e-3\""))).isEqualTo(k);
        assertThat(key(BASE.replace("epochs: 2", "epochs: 2.0"))).isEqualTo(k);
        assertThat(key(BASE, "training.optimizer.learning_rate=0.001")).isEqualTo(k);
    }

    @Test
    void writingADefaultOutGivesTheSameKeyAsLeavingItOut() {
        assertThat(key(BASE + "  batch_size: 128\n")).isEqualTo(key(BASE));
        assertThat(key(BASE, "training.regularization.l2=0")).isEqualTo(key(BASE));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "training.optimizer.learning_rate=0.002",
        "training.seed=8",
        "training.epochs=3",
        "training.batch_size=64",
        "model.params.hidden=[16, 4]",
        "model.params.hidden=[8, 16]",
        "model.params.dropout=0.3",
        "dataset.params.size=101",
        "training.optimizer.beta1=0.95",
        "training.optimizer.schedule=cosine",
        "training.regularization.l1=1e-5",
        "training.optimizer.name=sgd"})
    void changingAnySingleValueChangesTheKey(String override) {
        assertThat(key(BASE, override)).isNotEqualTo(key(BASE));
    }

    @Test
    void theKeyIsTheSha256PrefixOfTheCanonicalJson() throws Exception {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", List.of(3L, 1L));
        inner.put("a", 0.001);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("training", inner);
        config.put("dataset", Map.of("name", "toy-data"));

        String json = TrialKeys.canonicalJson(config);
        assertThat(json).isEqualTo(
                "{\"dataset\":{\"name\":\"toy-data\"},\"training\":{\"a\":0.001,\"z\":[3,1]}}");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
        String expected = HexFormat.of().formatHex(digest).substring(0, 16);
        assertThat(TrialKeys.of(config)).isEqualTo(expected);
    }

    @Test
    void mapKeyOrderDoesNotChangeTheKey() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1L);
        ab.put("b", Map.of("y", 2.5, "x", "s"));
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", Map.of("x", "s", "y", 2.5));
        ba.put("a", 1L);
        assertThat(TrialKeys.of(ab)).isEqualTo(TrialKeys.of(ba));
        assertThat(TrialKeys.canonicalJson(ab)).isEqualTo(TrialKeys.canonicalJson(ba));
    }

    @Test
    void thePlannedKeyIsTheKeyOfTheResolvedConfiguration() {
        TrialSpec t = SweepPlanner.plan(SpecLoader.parse(BASE, "exp.yaml", List.of()), BINDER).get(0);
        assertThat(t.trialKey()).isEqualTo(TrialKeys.of(t.config().resolved()));
        assertThat(TrialKeys.canonicalJson(t.config().resolved()))
                .contains("\"learning_rate\":0.001").contains("\"seed\":7");
    }
}
