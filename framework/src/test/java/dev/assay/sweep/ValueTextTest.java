package dev.assay.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One way to write a parameter's number in tables and trial names. */
class ValueTextTest {

    @Test
    void longDecimalsAreRoundedAndJavasExponentFormIsWrittenAsTheRoundedOnesAre() {
        assertThat(ValueText.rounded("0.04110815668956829")).isEqualTo("0.0411082");
        assertThat(ValueText.rounded("2.99732788365548E-4")).isEqualTo("0.000299733");
        assertThat(ValueText.rounded("1.2345678901234E30")).isEqualTo("1.23457e+30");
        // a table showed 1.0E-5 beside 1.232e+30 and 0.000299733
        assertThat(ValueText.rounded("1.0E-5")).isEqualTo("1e-5");
        assertThat(ValueText.rounded("1.0E30")).isEqualTo("1e+30");
        assertThat(ValueText.rounded("2.5E7")).isEqualTo("2.5e+7");
        assertThat(ValueText.rounded("0.001")).isEqualTo("0.001");
        assertThat(ValueText.rounded("1000000.0")).isEqualTo("1000000"); // 8 digits: rounded, plain
        assertThat(ValueText.rounded("64")).isEqualTo("64");
        assertThat(ValueText.rounded("adam")).isEqualTo("adam");
        assertThat(ValueText.rounded("[256,128]")).isEqualTo("[256,128]");
    }

    @Test
    void exactKeepsEveryDigitAndWritesExponentsAsTablesDo() {
        assertThat(ValueText.exact("1.0E-5")).isEqualTo("1e-5");
        assertThat(ValueText.exact("2.99732788365548E-4")).isEqualTo("2.99732788365548e-4");
        assertThat(ValueText.exact("1.0E30")).isEqualTo("1e+30");
        assertThat(ValueText.exact("-2.5E-7")).isEqualTo("-2.5e-7");
        assertThat(ValueText.exact("0.04110815668956829")).isEqualTo("0.04110815668956829");
        assertThat(ValueText.exact("ELU")).isEqualTo("ELU");
        assertThat(ValueText.exact("64")).isEqualTo("64");
    }
}
