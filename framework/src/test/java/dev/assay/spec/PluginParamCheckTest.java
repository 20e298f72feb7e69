package dev.assay.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.assay.plugin.AssayPlugin;
import dev.assay.plugin.Params;
import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.ToyPlugins;
import dev.assay.sweep.SweepPlanner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A provider's own check of its resolved parameters ({@code checkParams}) refuses a value when the
 * file is read, at the value: a {@code max_vocab} of 2 failed every trial of a sweep after loading
 * its data, since a declared range cannot say "0, or at least 3".
 */
class PluginParamCheckTest {

    /** A toy dataset whose {@code size} must be 0 or at least 10. */
    public static final class CheckedData extends ToyPlugins.ToyData {
        @Override
        public Map<String, String> checkParams(Params params) {
            long size = params.getLong("size");
            return size != 0 && size < 10 ? Map.of("size", "must be 0 (all) or at least 10; got " + size) : Map.of();
        }
    }

    /** Registers {@code checked-data}. */
    public static final class CheckedPlugin extends AssayPlugin {
        @Override
        protected void configure() {
            registerDataset("checked-data", CheckedData.class);
        }
    }

    private static final PluginRegistry REGISTRY = PluginRegistry.fromModules(
            List.of(new ToyPlugins.ToyPlugin(), new CheckedPlugin()));

    private static final String YAML = """
            name: e
            dataset:
              name: checked-data
              params:
                size: %s
            model: toy-net
            task: toy-task
            training: {epochs: 1, optimizer: sgd}
            """;

    private static SpecException error(String yaml, String... overrides) {
        return catchThrowableOfType(SpecException.class, () -> SweepPlanner.plan(
                SpecLoader.parse(yaml, "exp.yaml", List.of(overrides)), new SpecBinder(REGISTRY)));
    }

    @Test
    void aValueTheProviderRefusesIsReportedAtItsPlaceBeforeAnyTrial() {
        assertThat(error(YAML.formatted("2"))).hasMessage("exp.yaml:5:11: dataset.params.size: must be 0 (all) or at"
                + " least 10; got 2");
        assertThat(error(YAML.formatted("0"))).isNull();
        assertThat(error(YAML.formatted("10"))).isNull();
        // a swept value is checked per trial, and the error names the trial's value
        SpecException swept = error(YAML.formatted("10") + "sweep:\n  parameters:\n    dataset.params.size: [20, 3]\n");
        assertThat(swept).isNotNull();
        assertThat(swept.getMessage()).contains("dataset.params.size", "got 3");
    }
}
