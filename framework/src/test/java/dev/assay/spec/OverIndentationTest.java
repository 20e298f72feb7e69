package dev.assay.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class OverIndentationTest {

    private static SpecException error(String yaml) {
        return catchThrowableOfType(SpecException.class, () -> SpecLoader.parse(yaml, "exp.yaml", List.of()));
    }

    @Test
    void aFirstLineIndentedFurtherThanTheLineBelowItIsReportedAtItself() {
        // SnakeYAML stops at learning_rate (6:5), the first line that lines up with nothing
        SpecException e = error("""
                name: e
                training:
                  epochs: 1
                  optimizer:
                      name: adam
                    learning_rate: 0.1
                """);
        assertThat(e).hasMessage("exp.yaml:5:7: training.optimizer.name: invalid YAML: this line is indented 6"
                + " spaces, where line 6 below it, under the same key 'optimizer' (line 4), is indented 4 (this file"
                + " indents each level by 2 spaces). YAML takes the indentation of the lines under a key from the"
                + " first of them, so line 6 lines up with nothing; indent this line by 4 spaces");
    }

    @Test
    void aLineBetweenTwoEstablishedLevelsIsReportedAtItself() {
        SpecException e = error("""
                name: e
                training:
                  optimizer:
                    name: adam
                    learning_rate: 0.1
                   epochs: 3
                """);
        assertThat(e).hasMessage("exp.yaml:6:4: training.optimizer.epochs: invalid YAML: this line is indented 3"
                + " spaces, which lines up with nothing above it: the lines under 'optimizer' (line 3) are indented 4"
                + " (from line 4) and 'optimizer' itself 2. Indent it like one of them");
    }

    @Test
    void withoutAnotherBlockToTellTheIndentationStepBothLinesAreNamed() {
        SpecException e = error("""
                name: e
                model:
                    architecture: mlp
                  params: {}
                """);
        assertThat(e).hasMessage("exp.yaml:4:3: model.params: invalid YAML: this line is indented 2 spaces, which"
                + " lines up with nothing above it: the lines under 'model' (line 2) are indented 4 (from line 3)"
                + " and 'model' itself 0. Indent it like one of them, or indent line 3 like this line if that one is"
                + " indented too far");
    }

    @Test
    void anOverIndentedKeyAfterAPlainValueIsReportedAtItsStartNotAtItsColon() {
        // was 4:15, the colon, with "mapping values are not allowed here"
        SpecException e = error("""
                name: e
                training:
                  epochs: 1
                    batch_size: 64
                """);
        assertThat(e).hasMessage("exp.yaml:4:5: training.batch_size: invalid YAML: this line is indented 4 spaces,"
                + " more than line 3 above it (2), so YAML read it as more of that line's value and found the ':' at"
                + " column 15 in it; indent it like line 3, or quote the value if the ':' belongs to it");
    }

    @Test
    void anOverIndentedKeyAfterACompleteValueSaysItBelongsToNothing() {
        SpecException e = error("""
                name: e
                model:
                  architecture: "mlp"
                  # a comment between
                    params: {}
                """);
        assertThat(e).hasMessage("exp.yaml:5:5: model.params: invalid YAML: this line is indented 4 spaces, more"
                + " than line 3 above it (2), whose value ends on that line, so this line belongs to nothing; indent"
                + " it like line 3, or make it part of that value");
    }

    @Test
    void otherSyntaxErrorsKeepSnakeYamlsMessage() {
        SpecException e = error("""
                name: e
                model:
                  params:
                    hidden:
                      - 8
                    - 4
                """);
        assertThat(e.location().line()).isEqualTo(6);
        assertThat(e.problem()).startsWith("invalid YAML: while parsing a block mapping");
    }
}
