package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The processor as {@code /proc/cpuinfo} describes it: kind and vector width, first processor only. */
class CpuInfoTest {

    /** Two processors of a Zen 3 cloud machine (abridged), as the kernel writes them. */
    private static final String ZEN3 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 1
            model name\t: AMD EPYC
            flags\t\t: fpu sse4_2 avx fma avx2 sha_ni

            processor\t: 1
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            model\t\t: 143
            model name\t: other
            flags\t\t: fpu avx512f
            """;

    @Test
    void theFirstProcessorsVendorFamilyModelAndWidestVectorSetAreRead() {
        CpuInfo cpu = CpuInfo.parse(ZEN3);
        assertThat(cpu.vendor()).isEqualTo("AuthenticAMD");
        assertThat(cpu.family()).isEqualTo(25);
        assertThat(cpu.model()).isEqualTo(1);
        assertThat(cpu.modelName()).isEqualTo("AMD EPYC");
        assertThat(cpu.flags()).containsExactly("avx", "avx2", "fma", "fpu", "sha_ni", "sse4_2");
        assertThat(cpu.id()).isEqualTo("AuthenticAMD family 25 model 1");
        assertThat(cpu.vectorIsa()).isEqualTo("AVX2");
        assertThat(cpu.describe()).isEqualTo("AMD EPYC (AuthenticAMD family 25 model 1, AVX2)");
    }

    @Test
    void aZen5OfTheSameNameIsToldApartByFamilyAndVectorSet() {
        CpuInfo cpu = CpuInfo.parse(ZEN3.replace("cpu family\t: 25", "cpu family\t: 26")
                .replace("model\t\t: 1\n", "model\t\t: 2\n").replace("sha_ni", "avx512f avx512_bf16"));
        assertThat(cpu.describe()).isEqualTo("AMD EPYC (AuthenticAMD family 26 model 2, AVX-512)");
    }

    @Test
    void whatIsMissingStaysUnknown() {
        assertThat(CpuInfo.parse("")).isEqualTo(CpuInfo.UNKNOWN);
        assertThat(CpuInfo.UNKNOWN.id()).isNull();
        assertThat(CpuInfo.UNKNOWN.vectorIsa()).isNull();
        assertThat(CpuInfo.UNKNOWN.describe()).isEqualTo("unknown");
        // ARM: no vendor_id or family, Features instead of flags, no x86 vector set
        CpuInfo arm = CpuInfo.parse("processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd sve\nCPU part\t: 0xd40\n");
        assertThat(arm.flags()).contains("asimd", "sve");
        assertThat(arm.id()).isNull();
        assertThat(arm.vectorIsa()).isNull();
        assertThat(CpuInfo.parse("vendor_id : X\ncpu family : ?\nmodel : 3\n").id()).isNull();
        assertThat(CpuInfo.parse("flags : fpu sse4_2\n").vectorIsa()).isEqualTo("SSE4.2");
        assertThat(CpuInfo.parse("flags : fpu avx\n").vectorIsa()).isEqualTo("AVX");
    }
}
