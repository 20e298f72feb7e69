package dev.assay.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

    @ParameterizedTest(name = "distance({0}, {1}) = {2}")
    @CsvSource({
        "kitten, sitting, 3",
        "sitting, kitten, 3",
        "flaw, lawn, 2",
        "saturday, sunday, 3",
        "epochs, epochs, 0",
        "epoch, epochs, 1",
        "'', abc, 3",
        "abc, '', 3",
        "abc, ABC, 3"})
    void levenshteinDistanceOfKnownPairs(String a, String b, int expected) {
        assertThat(Names.distance(a, b)).isEqualTo(expected);
    }

    @Test
    void closestPicksTheNearestCandidate() {
        List<String> keys = List.of("epochs", "batch_size", "seed", "log_every_n_steps");
        assertThat(Names.closest("epoch", keys)).isEqualTo("epochs");
        assertThat(Names.closest("batchsize", keys)).isEqualTo("batch_size");
        assertThat(Names.closest("sed", keys)).isEqualTo("seed");
    }

    @Test
    void closestIgnoresCaseButReturnsTheCandidateAsWritten() {
        assertThat(Names.closest("EPOCHS", List.of("epochs", "seed"))).isEqualTo("epochs");
        assertThat(Names.closest("adam", List.of("Adam", "SGD"))).isEqualTo("Adam");
    }

    @Test
    void closestReturnsNullWhenNothingIsNear() {
        assertThat(Names.closest("lbfgs", List.of("adam", "sgd"))).isNull();
        assertThat(Names.closest("anything", List.of())).isNull();
    }

    @Test
    void closestAllowsTwoEditsForShortNamesAndAThirdOfTheLengthForLongOnes() {
        assertThat(Names.closest("sdg", List.of("sgd"))).isEqualTo("sgd");
        assertThat(Names.closest("xyz", List.of("sgd"))).isNull();
        assertThat(Names.closest("lg_every_n_stps", List.of("log_every_n_steps"))).isEqualTo("log_every_n_steps");
        assertThat(Names.closest("log_evry_nstps", List.of("log_every_n_steps"))).isEqualTo("log_every_n_steps");
        assertThat(Names.distance("lo_evry_nstp", "log_every_n_steps")).isEqualTo(5);
        assertThat(Names.closest("lo_evry_nstp", List.of("log_every_n_steps"))).isEqualTo("log_every_n_steps");
        assertThat(Names.distance("lo_evry_nst", "log_every_n_steps")).isEqualTo(6);
        assertThat(Names.closest("lo_evry_nst", List.of("log_every_n_steps"))).isNull();
    }

    @Test
    void anAbbreviationOfExactlyOneCandidateSuggestsIt() {
        List<String> metrics = List.of("train_loss", "train_accuracy", "val_loss", "val_accuracy");
        // val_acc is 5 edits from val_accuracy, past the limit of 4: nothing was suggested
        assertThat(Names.distance("val_acc", "val_accuracy")).isEqualTo(5);
        assertThat(Names.closest("val_acc", metrics)).isEqualTo("val_accuracy");
        assertThat(Names.closest("VAL_ACCUR", metrics)).isEqualTo("val_accuracy");
        assertThat(Names.closest("train_", metrics)).isNull(); // two candidates start with it
        assertThat(Names.closest("va", List.of("val_accuracy"))).isNull(); // too short to say
    }

    @Test
    void closestPrefersTheFirstOfEquallyNearCandidates() {
        assertThat(Names.closest("ab", List.of("ax", "xb"))).isEqualTo("ax");
    }

    @Test
    void didYouMeanGivesTheClauseForTheClosestNameOrTheFallback() {
        assertThat(Names.didYouMean("sdg", List.of("adam", "sgd"), ".")).isEqualTo("; did you mean 'sgd'?");
        assertThat(Names.didYouMean("xyz", List.of("adam", "sgd"), ".")).isEqualTo(".");
        assertThat(Names.suggestion(null, "")).isEmpty();
        assertThat(Names.suggestion("val_accuracy", "")).isEqualTo("; did you mean 'val_accuracy'?");
    }

    @Test
    void initialsSuggestTheNameTheyAbbreviate() {
        // --sweep training.optimizer.lr got "unknown key" with no suggestion
        List<String> optimizer = List.of("name", "learning_rate", "weight_decay", "clip_gradient", "beta1", "schedule");
        assertThat(Names.closest("lr", optimizer)).isEqualTo("learning_rate");
        assertThat(Names.closest("wd", optimizer)).isEqualTo("weight_decay");
        assertThat(Names.closest("bs", List.of("epochs", "batch_size", "seed"))).isEqualTo("batch_size");
        // two names with the same initials: no guess
        assertThat(Names.closest("lr", List.of("learning_rate", "label_ratio", "optimizer"))).isNull();
        // a dotted name (a filter's field) is matched at its last part, before the edit distance: the web
        // UI's filter params.training.optimizer.lr suggested ...rho (3 edits) over ...learning_rate
        List<String> params = List.of("training.optimizer.learning_rate", "training.optimizer.rho",
                "training.optimizer.name", "training.batch_size", "model.params.dropout");
        assertThat(Names.closest("training.optimizer.lr", params)).isEqualTo("training.optimizer.learning_rate");
        assertThat(Names.closest("training.bs", params)).isEqualTo("training.batch_size");
        assertThat(Names.closest("model.lr", params)).isNull(); // no learning_rate under model
        assertThat(Names.closest("training.optimizer.rh", params)).isEqualTo("training.optimizer.rho");
        assertThat(Names.closest("rho", List.of("rho", "random_hue"))).isEqualTo("rho"); // an exact name stays
    }

    @Test
    void theShortNameATableShowsSuggestsTheOnePathEndingWithIt() {
        // a user's check: the tables head model.params.attention as "attention", and the filter
        // params.attention = dot got the list of all 36 params without a suggestion
        List<String> params = List.of("model.params.attention", "model.params.hidden_size", "training.seed",
                "training.optimizer.learning_rate", "dataset.params.seed");
        assertThat(Names.closest("attention", params)).isEqualTo("model.params.attention");
        assertThat(Names.closest("params.Attention", params)).isEqualTo("model.params.attention");
        assertThat(Names.closest("learning_rate", params)).isEqualTo("training.optimizer.learning_rate");
        assertThat(Names.closest("seed", params)).isNull(); // two paths end with it: no guess
        assertThat(Names.closest("", params)).isNull();
    }
}
