package dev.assay.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.PluginKind;
import dev.assay.plugin.PluginRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetsPluginTest {

    @Test
    void serviceLoaderFindsThePluginAndItRegistersBothDatasets() {
        PluginRegistry registry = PluginRegistry.load(List.of());

        assertThat(registry.pluginNames()).contains(DatasetsPlugin.class.getName());
        assertThat(registry.names(PluginKind.DATASET)).contains("fashion-mnist", "mnist");
        assertThat((DatasetProvider) registry.get(PluginKind.DATASET, "fashion-mnist"))
                .isInstanceOf(FashionMnistProvider.class);
        assertThat((DatasetProvider) registry.get(PluginKind.DATASET, "mnist"))
                .isInstanceOf(MnistProvider.class);
    }

    @Test
    void parametersHaveTheDocumentedDefaultsAndBounds() {
        List<ParamDescriptor> params = new FashionMnistProvider().parameters();

        assertThat(params).extracting(ParamDescriptor::name)
                .containsExactly("validation_split", "limit_train", "limit_test", "normalize");
        assertThat(params).extracting(ParamDescriptor::defaultValue)
                .containsExactly(0.1, 0L, 0L, true);
        assertThat(params.get(0).min()).isEqualTo(0.0);
        assertThat(params.get(0).max()).isEqualTo(0.9);
    }
}
