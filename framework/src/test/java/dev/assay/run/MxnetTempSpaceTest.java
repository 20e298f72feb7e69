package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MxnetTempSpaceTest {

    @Test
    void applySetsOneCopyInTheCEnvironmentUnlessTheUserSetOneAndRecordsIt() {
        dev.assay.train.LibC.Functions libc = CEnvironment.libc();
        String before = libc.getenv(MxnetTempSpace.VARIABLE);
        String property = System.getProperty(MxnetTempSpace.PROPERTY);
        try {
            libc.setenv(MxnetTempSpace.VARIABLE, "", 1); // blank reads as unset
            assertThat(MxnetTempSpace.apply()).isEqualTo("1");
            assertThat(libc.getenv(MxnetTempSpace.VARIABLE)).isEqualTo("1");
            assertThat(System.getProperty(MxnetTempSpace.PROPERTY)).isEqualTo("1");

            libc.setenv(MxnetTempSpace.VARIABLE, "8", 1); // the user's choice stands
            assertThat(MxnetTempSpace.apply()).isEqualTo("8");
            assertThat(libc.getenv(MxnetTempSpace.VARIABLE)).isEqualTo("8");
            assertThat(System.getProperty(MxnetTempSpace.PROPERTY)).isEqualTo("8");
        } finally {
            libc.setenv(MxnetTempSpace.VARIABLE, before == null ? "" : before, 1);
            if (property == null) {
                System.clearProperty(MxnetTempSpace.PROPERTY);
            } else {
                System.setProperty(MxnetTempSpace.PROPERTY, property);
            }
        }
    }
}
