package dev.assay.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.CreationException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

    @TempDir
    Path dir;

    private final PluginRegistry registry = ToyPlugins.registry();

    @Test
    void namesAreSortedPerKind() {
        assertThat(registry.names(PluginKind.OPTIMIZER)).containsExactly("adam", "sgd");
        assertThat(registry.names(PluginKind.ARCHITECTURE)).containsExactly("toy-net", "wide-net");
        assertThat(registry.names(PluginKind.DATASET)).containsExactly("toy-data");
        assertThat(registry.names(PluginKind.TASK)).containsExactly("toy-task");
        assertThat(registry.providers(PluginKind.OPTIMIZER).keySet()).containsExactly("adam", "sgd");
        assertThat(registry.pluginNames()).containsExactly(ToyPlugins.ToyPlugin.class.getName());
    }

    @Test
    void getReturnsTheRegisteredProvider() {
        OptimizerProvider adam = registry.get(PluginKind.OPTIMIZER, "adam");
        assertThat(adam).isInstanceOf(ToyPlugins.Adam.class);
        assertThat(adam.parameters()).extracting(ParamDescriptor::name).containsExactly("beta1");
        DatasetProvider data = registry.get(PluginKind.DATASET, "toy-data");
        assertThat(data.description()).isEqualTo("toy dataset");
    }

    @Test
    void anUnknownNameNamesTheClosestAndEveryKnownName() {
        UnknownPluginException e = catchThrowableOfType(UnknownPluginException.class,
                () -> registry.get(PluginKind.OPTIMIZER, "adma"));
        assertThat(e).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown optimizer 'adma'; did you mean 'adam'? Known optimizers: adam, sgd");
        assertThat(e.kind()).isEqualTo(PluginKind.OPTIMIZER);
        assertThat(e.name()).isEqualTo("adma");
        assertThat(e.known()).containsExactly("adam", "sgd");
    }

    @Test
    void anUnknownNameWithNothingCloseStillListsEveryKnownName() {
        assertThatThrownBy(() -> registry.get(PluginKind.ARCHITECTURE, "transformer"))
                .isInstanceOf(UnknownPluginException.class)
                .hasMessage("unknown architecture 'transformer'. Known architectures: toy-net, wide-net");
    }

    @Test
    void twoModulesRegisteringOneDatasetNameFailAtCreation() {
        assertThatThrownBy(() -> PluginRegistry.fromModules(
                        List.of(new ToyPlugins.ToyPlugin(), new ToyPlugins.ClashingPlugin())))
                .isInstanceOf(CreationException.class)
                .hasMessageContaining("toy-data");
    }

    @Test
    void aMissingPluginDirectoryIsNamed() {
        Path missing = dir.resolve("no-such-plugins");
        assertThatThrownBy(() -> PluginRegistry.load(List.of(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("plugin directory " + missing.toAbsolutePath() + " does not exist");
    }

    @Test
    void anEmptyPluginDirectoryLoadsOnlyTheClassPath() {
        PluginRegistry loaded = PluginRegistry.load(List.of(dir));
        assertThat(loaded.pluginNames()).isEqualTo(PluginRegistry.load(List.of()).pluginNames());
    }

    @Test
    void pluginKindsNameTheirSpecPath() {
        assertThat(PluginKind.values()).extracting(PluginKind::specPath).containsExactly(
                "dataset.name", "model.architecture", "training.optimizer.name", "task.name");
        assertThat(PluginKind.ARCHITECTURE.label()).isEqualTo("architecture");
        assertThat(PluginKind.TASK.type()).isEqualTo(TaskProvider.class);
    }
}
