package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a run records of the process that made it. */
class ProvenanceTest {

    @Test
    void recordsTheCpuModelAndTheThreadSettingsAReproductionNeeds() throws Exception {
        // a fresh-clone reproducibility check found neither recorded: a rerun on another CPU or with
        // other OpenMP threads gives other numbers, and nothing in the run said which it was
        Provenance p = Provenance.capture(Path.of(""));
        JsonNode json = new ObjectMapper().readTree(p.toJson());

        String cpuinfo = Files.exists(Path.of("/proc/cpuinfo")) ? Files.readString(Path.of("/proc/cpuinfo")) : "";
        if (cpuinfo.contains("model name")) {
            assertThat(json.get("cpuModel").asText()).isNotBlank();
            assertThat(cpuinfo).contains(json.get("cpuModel").asText());
        }
        if (cpuinfo.contains("cpu family")) { // x86 Linux: which kind of processor, and its vector width
            assertThat(json.get("cpuId").asText()).matches("\\S+ family \\d+ model \\d+");
            assertThat(cpuinfo).contains(json.get("cpuId").asText().split(" ")[0]);
            assertThat(json.get("cpuVectorIsa").asText()).isIn("AVX-512", "AVX2", "AVX", "SSE4.2");
        }
        // surefire's environment sets OMP_NUM_THREADS=2 (the parent pom)
        assertThat(json.get("engineSettings").get("OMP_NUM_THREADS").asText()).isEqualTo(System.getenv("OMP_NUM_THREADS"));
        assertThat(System.getenv("OMP_NUM_THREADS")).isEqualTo("2");
        assertThat(json.get("engine").asText()).isEqualTo("MXNet");
        // run from class directories here: no jars to name the build by
        assertThat(json.get("assayBuild").isNull()).isTrue();
    }
}
