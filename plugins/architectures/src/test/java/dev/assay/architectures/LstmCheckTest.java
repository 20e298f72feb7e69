package dev.assay.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The engine's LSTM against the reference cell ({@link LstmCheck}); {@link LstmCheckOnPyTorchTest}
 * runs the same on PyTorch, whose LSTM differed by 0.234 on an AVX-512 CPU without the oneDNN cap.
 */
class LstmCheckTest {

    @Test
    void theEnginesLstmMatchesTheReferenceCell() {
        double difference = LstmCheck.largestDifference();
        assertThat(difference).isBetween(0.0, 1e-5);
        LstmCheck.requireCorrect(); // does not throw
    }

    @Test
    void aWrongLstmIsNamedWithTheDifferenceAndWhatToDo() {
        assertThat(LstmCheck.verdict("PyTorch 2.7.1", 3e-5, "AVX2")).isNull();
        assertThat(LstmCheck.verdict("PyTorch 2.7.1", 0.23364821, "AVX512_CORE")).isEqualTo(
                "PyTorch 2.7.1's LSTM computes wrong outputs on this CPU: they differ from a reference LSTM cell by"
                + " up to 0.234 (allowed 1.0E-4), so an LSTM trained here would learn nothing or diverge. PyTorch"
                + " runs oneDNN's LSTM, which is wrong with AVX-512 on some CPUs: start the process with"
                + " ONEDNN_MAX_CPU_ISA=AVX2 (oneDNN reads it when PyTorch loads; assay sets it on an AMD CPU with"
                + " AVX-512 unless it is set already; here it is AVX512_CORE), or train this trial with engine: mxnet.");
        assertThat(LstmCheck.verdict("MXNet 1.9.1", Double.NaN, null)).startsWith(
                "MXNet 1.9.1's LSTM computes wrong outputs on this CPU: they differ from a reference LSTM cell by up to NaN")
                .endsWith("Train this trial on another engine.");
    }
}
