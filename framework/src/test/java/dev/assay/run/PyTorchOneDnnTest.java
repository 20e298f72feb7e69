package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The oneDNN cap a PyTorch process gets: on an AMD CPU with AVX-512, unless the user set one. */
class PyTorchOneDnnTest {

    private static final String AMD = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n"
            + "flags\t\t: fpu sse2 avx2 avx512f avx512_bf16\n";
    private static final String INTEL = "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu avx2 avx512f\n";
    private static final String OLD_AMD = "vendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 avx512_like\n";

    @Test
    void onlyAnAmdCpuWithAvx512NeedsTheCap() {
        assertThat(PyTorchOneDnn.needsCap(CpuInfo.parse(AMD))).isTrue();
        assertThat(PyTorchOneDnn.needsCap(CpuInfo.parse(INTEL))).isFalse();
        assertThat(PyTorchOneDnn.needsCap(CpuInfo.parse(OLD_AMD))).isFalse();
        assertThat(PyTorchOneDnn.needsCap(CpuInfo.parse(""))).isFalse();
    }

    @Test
    void capSetsAvx2InTheCEnvironmentUnlessAValueIsThereAndRecordsIt() {
        dev.assay.train.LibC.Functions libc = CEnvironment.libc();
        String before = libc.getenv(PyTorchOneDnn.MAX_CPU_ISA);
        try {
            libc.setenv(PyTorchOneDnn.MAX_CPU_ISA, "", 1); // as unset: the framework's tests set none
            assertThat(PyTorchOneDnn.cap(CpuInfo.parse(INTEL))).isNull();
            assertThat(libc.getenv(PyTorchOneDnn.MAX_CPU_ISA)).isEmpty();
            assertThat(System.getProperty(PyTorchOneDnn.PROPERTY)).isEqualTo("unset");

            assertThat(PyTorchOneDnn.cap(CpuInfo.parse(AMD))).isEqualTo("AVX2");
            assertThat(libc.getenv(PyTorchOneDnn.MAX_CPU_ISA)).isEqualTo("AVX2");
            assertThat(System.getProperty(PyTorchOneDnn.PROPERTY)).isEqualTo("AVX2");

            libc.setenv(PyTorchOneDnn.MAX_CPU_ISA, "AVX512_CORE", 1); // the user's choice stands
            assertThat(PyTorchOneDnn.cap(CpuInfo.parse(AMD))).isEqualTo("AVX512_CORE");
            assertThat(libc.getenv(PyTorchOneDnn.MAX_CPU_ISA)).isEqualTo("AVX512_CORE");
            assertThat(System.getProperty(PyTorchOneDnn.PROPERTY)).isEqualTo("AVX512_CORE");
        } finally {
            libc.setenv(PyTorchOneDnn.MAX_CPU_ISA, before == null ? "" : before, 1);
            System.clearProperty(PyTorchOneDnn.PROPERTY);
        }
    }
}
