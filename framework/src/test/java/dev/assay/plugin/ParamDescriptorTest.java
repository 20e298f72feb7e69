package dev.assay.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamDescriptorTest {

    private static final ParamDescriptor INT = ParamDescriptor.of("size", ParamType.INT, 100L, "samples");
    private static final ParamDescriptor DOUBLE = ParamDescriptor.of("rate", ParamType.DOUBLE, 0.5, "rate");
    private static final ParamDescriptor BOOL = ParamDescriptor.of("shuffle", ParamType.BOOLEAN, true, "shuffle");
    private static final ParamDescriptor TEXT = ParamDescriptor.of("mode", ParamType.STRING, "a", "mode");
    private static final ParamDescriptor INTS = ParamDescriptor.of("hidden", ParamType.INT_LIST, List.of(8L), "widths");
    private static final ParamDescriptor DOUBLES = ParamDescriptor.of("betas", ParamType.DOUBLE_LIST, null, "betas");

    @Test
    void integersAcceptWholeNumbersOfAnyFormAndStayLong() {
        assertThat(INT.coerce(5L)).isEqualTo(5L);
        assertThat(INT.coerce(5)).isEqualTo(5L);
        assertThat(INT.coerce(5.0)).isEqualTo(5L);
        assertThat(INT.coerce("7")).isEqualTo(7L);
        assertThat(INT.coerce("1e3")).isEqualTo(1000L);
        assertThat(INT.coerce(-3L)).isEqualTo(-3L);
    }

    @Test
    void integersRejectFractionsWordsAndBooleans() {
        assertThatThrownBy(() -> INT.coerce(2.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an integer, got 2.5");
        assertThatThrownBy(() -> INT.coerce("five")).hasMessage("expected an integer, got 'five'");
        assertThatThrownBy(() -> INT.coerce(true)).hasMessage("expected an integer, got true");
        assertThatThrownBy(() -> INT.coerce(List.of(1L))).hasMessage("expected an integer, got [1]");
        assertThatThrownBy(() -> INT.coerce(Double.POSITIVE_INFINITY))
                .hasMessage("expected an integer, got Infinity");
    }

    @Test
    void doublesAcceptNumbersScientificTextAndYamlSpecials() {
        assertThat(DOUBLE.coerce(3L)).isEqualTo(3.0);
        assertThat(DOUBLE.coerce(0.25)).isEqualTo(0.25);
        assertThat(DOUBLE.coerce("1e-3")).isEqualTo(0.001);
        assertThat(DOUBLE.coerce(" 1.0E-4 ")).isEqualTo(1.0e-4);
        assertThat(DOUBLE.coerce(".5")).isEqualTo(0.5);
        assertThat(DOUBLE.coerce(".inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(DOUBLE.coerce("-.inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat((Double) DOUBLE.coerce(".nan")).isNaN();
    }

    @Test
    void doublesRejectWordsAndBooleans() {
        assertThatThrownBy(() -> DOUBLE.coerce("fast")).hasMessage("expected a number, got 'fast'");
        assertThatThrownBy(() -> DOUBLE.coerce("1e")).hasMessage("expected a number, got '1e'");
        assertThatThrownBy(() -> DOUBLE.coerce(false)).hasMessage("expected a number, got false");
    }

    @Test
    void booleansAcceptOnlyTrueAndFalse() {
        assertThat(BOOL.coerce(false)).isEqualTo(false);
        assertThat(BOOL.coerce("TRUE")).isEqualTo(true);
        assertThat(BOOL.coerce("false")).isEqualTo(false);
        assertThatThrownBy(() -> BOOL.coerce("yes")).hasMessage("expected true or false, got 'yes'");
        assertThatThrownBy(() -> BOOL.coerce(1L)).hasMessage("expected true or false, got 1");
    }

    @Test
    void stringsKeepAnyScalarAsText() {
        assertThat(TEXT.coerce("b")).isEqualTo("b");
        assertThat(TEXT.coerce(5L)).isEqualTo("5");
        assertThat(TEXT.coerce(true)).isEqualTo("true");
        assertThatThrownBy(() -> TEXT.coerce(List.of("a"))).hasMessage("expected a string, got [a]");
    }

    @Test
    void choicesRestrictStrings() {
        ParamDescriptor d = ParamDescriptor.of("activation", ParamType.STRING, "relu", "d")
                .choices("relu", "tanh", "sigmoid");
        assertThat(d.choices()).containsExactly("relu", "tanh", "sigmoid");
        assertThat(d.coerce("tanh")).isEqualTo("tanh");
        // a misspelled choice gets the closest one, as a misspelled plugin name does
        assertThatThrownBy(() -> d.coerce("rellu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected one of [relu, tanh, sigmoid], got 'rellu'; did you mean 'relu'?");
        assertThatThrownBy(() -> d.coerce("softplus"))
                .hasMessage("expected one of [relu, tanh, sigmoid], got 'softplus'");
    }

    @Test
    void intListsKeepLongElements() {
        assertThat(INTS.coerce(List.of(256L, 128.0, "64"))).isEqualTo(List.of(256L, 128L, 64L))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .allSatisfy(e -> assertThat(e).isInstanceOf(Long.class));
        assertThat(INTS.coerce(List.of())).isEqualTo(List.of());
        assertThat(INTS.defaultValue()).isEqualTo(List.of(8L));
    }

    @Test
    void intListsRejectNonListsAndFractionalElements() {
        assertThatThrownBy(() -> INTS.coerce(8L)).hasMessage("expected a list of integers, got 8");
        assertThatThrownBy(() -> INTS.coerce(List.of(8L, 2.5)))
                .hasMessage("expected a list of integers, got [8, 2.5]");
    }

    @Test
    void doubleListsConvertEveryElement() {
        assertThat(DOUBLES.coerce(List.of(1L, "1e-3", 0.5))).isEqualTo(List.of(1.0, 0.001, 0.5));
        assertThatThrownBy(() -> DOUBLES.coerce(Arrays.asList(1.0, "x")))
                .hasMessage("expected a list of numbers, got [1.0, x]");
    }

    @Test
    void boundsAreInclusiveAndNamedInTheMessage() {
        ParamDescriptor dropout = DOUBLE.range(0, 0.99);
        assertThat(dropout.min()).isEqualTo(0.0);
        assertThat(dropout.max()).isEqualTo(0.99);
        assertThat(dropout.coerce(0L)).isEqualTo(0.0);
        assertThat(dropout.coerce(0.99)).isEqualTo(0.99);
        assertThatThrownBy(() -> dropout.coerce(1.5)).hasMessage("expected a value in [0, 0.99], got 1.5");
        assertThatThrownBy(() -> dropout.coerce(-0.1)).hasMessage("expected a value in [0, 0.99], got -0.1");

        ParamDescriptor atLeastOne = INT.range(1, Double.NaN);
        assertThat(atLeastOne.coerce(1_000_000L)).isEqualTo(1_000_000L);
        assertThatThrownBy(() -> atLeastOne.coerce(0L)).hasMessage("expected a value ≥ 1, got 0");
    }

    @Test
    void boundsApplyToEveryListElement() {
        ParamDescriptor widths = INTS.range(1, Double.NaN);
        assertThat(widths.coerce(List.of(1L, 2L))).isEqualTo(List.of(1L, 2L));
        assertThatThrownBy(() -> widths.coerce(List.of(8L, 0L))).hasMessage("expected a value ≥ 1, got 0");
    }

    @Test
    void defaultsAreCoercedAndCheckedWhenTheDescriptorIsMade() {
        assertThat(ParamDescriptor.of("x", ParamType.DOUBLE, 1, "d").defaultValue()).isEqualTo(1.0);
        assertThat(ParamDescriptor.of("x", ParamType.INT, 3, "d").defaultValue()).isEqualTo(3L);
        assertThatThrownBy(() -> ParamDescriptor.of("x", ParamType.INT, "many", "d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'x': its default many is not valid: expected an integer, got 'many'");
        assertThatThrownBy(() -> DOUBLE.range(0, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'rate': its default 0.5 is not valid: expected a value in [0, 0.1], got 0.5");
        assertThatThrownBy(() -> TEXT.choices("bravo", "charlie"))
                .hasMessage("parameter 'mode': its default a is not valid: expected one of [bravo, charlie], got 'a'");
    }

    @Test
    void aNullDefaultMakesTheParameterRequired() {
        assertThat(DOUBLES.required()).isTrue();
        assertThat(INT.required()).isFalse();
    }

    @Test
    void nameTypeAndDescriptionAreRequired() {
        assertThatThrownBy(() -> ParamDescriptor.of(null, ParamType.INT, 1L, "d"))
                .isInstanceOf(NullPointerException.class).hasMessage("a parameter has no name (null)");
        // a plugin declaring a null type stopped start-up with "... cannot declare its parameters: type"
        assertThatThrownBy(() -> ParamDescriptor.of("x", null, 1L, "d"))
                .isInstanceOf(NullPointerException.class).hasMessage("parameter 'x' has no type (null; give a ParamType)");
        assertThatThrownBy(() -> ParamDescriptor.of("x", ParamType.INT, 1L, null))
                .isInstanceOf(NullPointerException.class).hasMessage("parameter 'x' has no description (null)");
    }

    @Test
    void nanIsOutsideEveryRange() {
        ParamDescriptor dropout = DOUBLE.range(0, 0.99);
        assertThatThrownBy(() -> dropout.coerce(".nan")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a finite value in [0, 0.99], got NaN");
    }

    @Test
    void largeLongIntegersAreAcceptedWhereALongIsDeclaredAndRefusedWhereAnIntIs() {
        ParamDescriptor seed = ParamDescriptor.of("seed", ParamType.LONG, 42L, "seed");
        assertThat(seed.coerce(10_000_000_000_000_000L)).isEqualTo(10_000_000_000_000_000L);
        assertThat(INT.coerce(2_147_483_647L)).isEqualTo(2_147_483_647L);
        // it passed, then failed where the value is used as an int: "ArithmeticException: integer overflow"
        assertThatThrownBy(() -> INT.coerce(2_147_483_648L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an integer in [-2147483648, 2147483647], got 2147483648");
        assertThatThrownBy(() -> INTS.coerce(List.of(8L, 99_999_999_999L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a list of integers, got [8, 99999999999] (each an integer in [-2147483648,"
                        + " 2147483647], got 99999999999)");
    }

    @Test
    void openBoundsRefuseTheBoundItselfAndSaySo() {
        // beta1: 1.0 passed "in [0, 1]" and the trial failed blaming the learning rate; epsilon 0 diverged
        ParamDescriptor beta = ParamDescriptor.of("beta1", ParamType.DOUBLE, 0.9, "b").range(0, 1).open(false, true);
        assertThat(beta.coerce(0.0)).isEqualTo(0.0);
        assertThat(beta.coerce(0.9999)).isEqualTo(0.9999);
        assertThatThrownBy(() -> beta.coerce(1.0)).hasMessage("expected a value in [0, 1), got 1.0");
        assertThat(beta.bounds()).isEqualTo("in [0, 1)");
        ParamDescriptor epsilon = ParamDescriptor.of("epsilon", ParamType.DOUBLE, 1e-8, "e").range(0, Double.NaN)
                .open(true, false);
        assertThatThrownBy(() -> epsilon.coerce(0.0)).hasMessage("expected a value > 0, got 0.0");
        assertThat(epsilon.coerce(1e-12)).isEqualTo(1e-12);
        ParamDescriptor both = ParamDescriptor.of("m", ParamType.DOUBLE, 0.5, "m").range(0, 1).open(true, true);
        assertThat(both.bounds()).isEqualTo("in (0, 1)");
        assertThatThrownBy(() -> both.coerce(0.0)).hasMessage("expected a value in (0, 1), got 0.0");
        assertThat(ParamDescriptor.of("n", ParamType.DOUBLE, -1.0, "n").range(Double.NaN, 0).open(false, true).bounds())
                .isEqualTo("< 0");
        // a default outside its own open bound is a bad declaration
        assertThatThrownBy(() -> ParamDescriptor.of("x", ParamType.DOUBLE, 1.0, "x").range(0, 1).open(false, true))
                .hasMessageContaining("its default 1.0 is not valid");
        // range() on an open descriptor gives closed bounds again
        assertThat(beta.range(0, 2).bounds()).isEqualTo("in [0, 2]");
    }
}
