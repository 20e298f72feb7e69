package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class EngineSelectionTest {

    @Test
    void pytorchGetsOneIntraOpThreadUnlessTheUserSetOne() {
        Properties fresh = new Properties();
        EngineSelection.applyDefaults("PyTorch", fresh);
        assertThat(fresh.getProperty("ai.djl.default_engine")).isEqualTo("PyTorch");
        assertThat(fresh.getProperty(EngineSelection.PYTORCH_THREADS)).isEqualTo("1");

        Properties userSet = new Properties();
        userSet.setProperty(EngineSelection.PYTORCH_THREADS, "2");
        EngineSelection.applyDefaults("PyTorch", userSet);
        assertThat(userSet.getProperty(EngineSelection.PYTORCH_THREADS)).isEqualTo("2");

        Properties mxnet = new Properties();
        EngineSelection.applyDefaults("MXNet", mxnet);
        assertThat(mxnet.getProperty("ai.djl.default_engine")).isEqualTo("MXNet");
        assertThat(mxnet.getProperty(EngineSelection.PYTORCH_THREADS)).isNull();
    }

    @Test
    void mxnetGetsTheLocalParameterServerUnlessTheUserChoseOne() {
        Properties fresh = new Properties();
        EngineSelection.applyDefaults("MXNet", fresh);
        assertThat(fresh.getProperty(EngineSelection.LOCAL_PARAMETER_SERVER)).isEqualTo("true");

        Properties userSet = new Properties();
        userSet.setProperty(EngineSelection.LOCAL_PARAMETER_SERVER, "false");
        EngineSelection.applyDefaults("MXNet", userSet);
        assertThat(userSet.getProperty(EngineSelection.LOCAL_PARAMETER_SERVER)).isEqualTo("false");

        Properties pytorch = new Properties();
        EngineSelection.applyDefaults("PyTorch", pytorch);
        assertThat(pytorch.getProperty(EngineSelection.LOCAL_PARAMETER_SERVER)).isNull();
    }
}
