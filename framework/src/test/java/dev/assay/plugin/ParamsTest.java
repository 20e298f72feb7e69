package dev.assay.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {

    private static final List<ParamDescriptor> DESCRIPTORS = List.of(
            ParamDescriptor.of("size", ParamType.INT, null, "samples"),
            ParamDescriptor.of("split", ParamType.DOUBLE, 0.1, "held out").range(0, 0.9),
            ParamDescriptor.of("hidden", ParamType.INT_LIST, List.of(8L), "widths"),
            ParamDescriptor.of("shuffle", ParamType.BOOLEAN, true, "shuffle"),
            ParamDescriptor.of("mode", ParamType.STRING, "fast", "mode"));

    @Test
    void resolveCoercesGivenValuesAndFillsDefaultsInDescriptorOrder() {
        Params p = Params.resolve(DESCRIPTORS, Map.of("hidden", List.of(4, 2.0), "size", "12"));
        assertThat(p.asMap()).containsExactly(
                Map.entry("size", 12L), Map.entry("split", 0.1), Map.entry("hidden", List.of(4L, 2L)),
                Map.entry("shuffle", true), Map.entry("mode", "fast"));
        assertThat(p.getLong("size")).isEqualTo(12L);
        assertThat(p.getInt("size")).isEqualTo(12);
        assertThat(p.getDouble("split")).isEqualTo(0.1);
        assertThat(p.getIntArray("hidden")).containsExactly(4, 2);
        assertThat(p.getBoolean("shuffle")).isTrue();
        assertThat(p.getString("mode")).isEqualTo("fast");
        assertThat(p).hasToString("{size=12, split=0.1, hidden=[4, 2], shuffle=true, mode=fast}");
    }

    @Test
    void aLongBeyondAnIntReadWithGetIntIsRefusedNamingTheParameter() {
        // getInt promised IllegalArgumentException and threw Math.toIntExact's bare "integer overflow"
        Params p = Params.resolve(List.of(ParamDescriptor.of("tokens", ParamType.LONG, 3_000_000_000L, "tokens")),
                Map.of());
        assertThatThrownBy(() -> p.getInt("tokens")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'tokens' is 3000000000, beyond an int's range (-2147483648 to 2147483647);"
                        + " read it with getLong");
        assertThat(Params.resolve(List.of(ParamDescriptor.of("tokens", ParamType.LONG, 7L, "tokens")), Map.of())
                .getInt("tokens")).isEqualTo(7);
    }

    @Test
    void aListOfNumbersReadsAsDoubles() {
        // DOUBLE_LIST had no getter: a plugin had to cast asMap()'s values
        Params p = Params.resolve(List.of(ParamDescriptor.of("rates", ParamType.DOUBLE_LIST, List.of(0.5), "rates")),
                Map.of("rates", List.of(1, 2.5, 1.0e-3)));
        assertThat(p.getDoubleArray("rates")).containsExactly(1.0, 2.5, 1.0e-3);
        assertThat(Params.resolve(List.of(ParamDescriptor.of("rates", ParamType.DOUBLE_LIST, List.of(0.5), "rates")),
                Map.of()).getDoubleArray("rates")).containsExactly(0.5);
        assertThatThrownBy(() -> p.getDoubleArray("nope")).hasMessage("parameter 'nope' is not declared, not a List");
    }

    @Test
    void resolveRejectsAnUnknownParameter() {
        assertThatThrownBy(() -> Params.resolve(DESCRIPTORS, Map.of("size", 1L, "sise", 2L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown parameter 'sise'");
    }

    @Test
    void resolveListsTheDeclaredNamesForAnUnknownParameter() {
        assertThatThrownBy(() -> Params.resolve(DESCRIPTORS, Map.of("size", 1L, "sise", 2L)))
                .hasMessageContaining("size, split, hidden, shuffle, mode");
    }

    @Test
    void resolveRejectsAMissingRequiredParameter() {
        assertThatThrownBy(() -> Params.resolve(DESCRIPTORS, Map.of("split", 0.2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing required parameter 'size'");
    }

    @Test
    void resolveNamesTheParameterWhoseValueDoesNotFit() {
        assertThatThrownBy(() -> Params.resolve(DESCRIPTORS, Map.of("size", "big")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size: expected an integer, got 'big'");
        assertThatThrownBy(() -> Params.resolve(DESCRIPTORS, Map.of("size", 1L, "split", 0.95)))
                .hasMessage("split: expected a value in [0, 0.9], got 0.95");
    }

    @Test
    void gettersNameTheParameterAndBothTypesOnAMismatch() {
        Params p = Params.resolve(DESCRIPTORS, Map.of("size", 3L));
        assertThatThrownBy(() -> p.getDouble("size")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'size' is a Long, not a Double");
        assertThatThrownBy(() -> p.getLong("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'nope' is not declared, not a Long");
    }

    @Test
    void getIntRejectsValuesBeyondIntRange() {
        // as its Javadoc says (an ArithmeticException was asserted here, the bare "integer overflow")
        Params p = Params.ofResolved(Map.of("n", 1L << 40));
        assertThatThrownBy(() -> p.getInt("n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("parameter 'n' is 1099511627776, beyond an int's range");
    }

    @Test
    void resolvedParamsAreImmutable() {
        Params p = Params.resolve(DESCRIPTORS, Map.of("size", 3L));
        assertThatThrownBy(() -> p.asMap().put("size", 4L)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Params.empty().asMap()).isEmpty();
    }
}
