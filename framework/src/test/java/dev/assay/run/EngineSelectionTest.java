package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class EngineSelectionTest {

    /** The properties after {@link EngineSelection#applyDefaults}, with {@code key} preset by the user if not null. */
    private static Properties applied(String engine, String key, String userValue) {
        Properties properties = new Properties();
        if (userValue != null) {
            properties.setProperty(key, userValue);
        }
        EngineSelection.applyDefaults(engine, properties);
        return properties;
    }

    @Test
    void pytorchGetsOneIntraOpThreadUnlessTheUserSetOne() {
        String key = EngineSelection.PYTORCH_THREADS;
        assertThat(applied("PyTorch", key, null).getProperty("ai.djl.default_engine")).isEqualTo("PyTorch");
        assertThat(applied("PyTorch", key, null).getProperty(key)).isEqualTo("1");
        assertThat(applied("PyTorch", key, "2").getProperty(key)).isEqualTo("2");
        assertThat(applied("MXNet", key, null).getProperty("ai.djl.default_engine")).isEqualTo("MXNet");
        assertThat(applied("MXNet", key, null).getProperty(key)).isNull();
    }

    @Test
    void mxnetGetsTheLocalParameterServerUnlessTheUserChoseOne() {
        String key = EngineSelection.LOCAL_PARAMETER_SERVER;
        assertThat(applied("MXNet", key, null).getProperty(key)).isEqualTo("true");
        assertThat(applied("MXNet", key, "false").getProperty(key)).isEqualTo("false");
        assertThat(applied("PyTorch", key, null).getProperty(key)).isNull();
    }
}
