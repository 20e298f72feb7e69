package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import org.junit.jupiter.api.Test;

/** The oneDNN cap a PyTorch process gets: set in the C environment, unless the user set one. */
class PyTorchOneDnnTest {

    @Test
    void capSetsAvx2InTheCEnvironmentUnlessAValueIsThereAndRecordsIt() {
        PyTorchOneDnn.LibC libc = Native.load("libc.so.6", PyTorchOneDnn.LibC.class);
        String before = libc.getenv(PyTorchOneDnn.MAX_CPU_ISA);
        try {
            libc.setenv(PyTorchOneDnn.MAX_CPU_ISA, "", 1); // as unset: the framework's tests set none
            assertThat(PyTorchOneDnn.cap()).isEqualTo("AVX2");
            assertThat(libc.getenv(PyTorchOneDnn.MAX_CPU_ISA)).isEqualTo("AVX2");
            assertThat(System.getProperty(PyTorchOneDnn.PROPERTY)).isEqualTo("AVX2");

            libc.setenv(PyTorchOneDnn.MAX_CPU_ISA, "AVX512_CORE", 1); // the user's choice stands
            assertThat(PyTorchOneDnn.cap()).isEqualTo("AVX512_CORE");
            assertThat(libc.getenv(PyTorchOneDnn.MAX_CPU_ISA)).isEqualTo("AVX512_CORE");
            assertThat(System.getProperty(PyTorchOneDnn.PROPERTY)).isEqualTo("AVX512_CORE");
        } finally {
            libc.setenv(PyTorchOneDnn.MAX_CPU_ISA, before == null ? "" : before, 1);
            System.clearProperty(PyTorchOneDnn.PROPERTY);
        }
    }
}
