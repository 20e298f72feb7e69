package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a name the store cannot take is told. */
class StoreChecksTest {

    @Test
    void aTooLongNameSaysItsLengthWithTheRightArticle() {
        // it read "A experiment name must be 1 to 250 non-blank characters, got '<300 characters>'"
        assertThatThrownBy(() -> new NewRun("e".repeat(251), "", "r", 0, "k", 1, "", "{}", Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("An experiment name must be 1 to 250 non-blank characters, got 251 characters: 'eee");
        assertThatThrownBy(() -> StoreChecks.requireKey("metric", " "))
                .hasMessage("A metric name must be 1 to 250 non-blank characters, got 1 characters: ' '.");
        assertThatThrownBy(() -> StoreChecks.requireKey("tag", null))
                .hasMessage("A tag name must be 1 to 250 non-blank characters, got none.");
    }
}
