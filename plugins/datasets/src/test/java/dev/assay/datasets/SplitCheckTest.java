package dev.assay.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.Params;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sizes whose validation split holds out nothing or leaves too little to train on are refused from
 * the parameters alone, when the experiment file is read; they were found when a trial loaded its
 * data (or never: a split that rounded to nothing trained without validation metrics).
 */
class SplitCheckTest {

    private static Params params(DatasetProvider p, Map<String, Object> given) {
        Map<String, Object> with = new java.util.HashMap<>(given);
        if (p.parameters().stream().anyMatch(d -> d.name().equals("path"))) {
            with.put("path", "x"); // csv-text requires one
        }
        return Params.resolve(p.parameters(), with);
    }

    @Test
    void aLimitWhoseValidationSplitRoundsToNothingIsRefusedNamingTheLeastThatHoldsOneOut() {
        assertThat(SplitCheck.problem(4, 0.1, SplitCheck.CLASSIFIER)).isEqualTo("with validation_split 0.1, 4 examples"
                + " hold out none for validation (round(4 × 0.1) = 0), so the trial would have no validation split and"
                + " no val_* metrics: use 5 or more (0 for all), or set validation_split: 0 to train without one");
    }

    @Test
    void aLimitOfOneIsRefusedForAClassifier() {
        assertThat(SplitCheck.problem(1, 0.1, SplitCheck.CLASSIFIER)).isEqualTo("leaves 1 training example of 1, and a"
                + " classifier needs examples of at least 2 classes: use 5 or more (0 for all) (with validation_split"
                + " 0.1, the least that also holds one out for validation)");
        assertThat(SplitCheck.problem(1, 0.0, SplitCheck.CLASSIFIER)).isEqualTo("leaves 1 training example of 1, and a"
                + " classifier needs examples of at least 2 classes: use 2 or more (0 for all)");
    }

    @Test
    void aSplitThatHoldsOutEverythingIsRefused() {
        assertThat(SplitCheck.problem(2, 0.9, SplitCheck.CLASSIFIER)).isEqualTo("leaves 0 training examples of 2 once"
                + " validation_split 0.9 holds 2 out for validation, and a classifier needs examples of at least 2"
                + " classes: use 16 or more (0 for all), or a lower validation_split");
        assertThat(SplitCheck.problem(1, 0.9, SplitCheck.GENERATED_PAIRS)).isEqualTo("leaves 0 training pairs of 1 once"
                + " validation_split 0.9 holds 1 out for validation, and training needs at least one: use 6 or more,"
                + " or a lower validation_split");
    }

    @Test
    void sizesThatLeaveBothPartsPassAndNoLimitIsNotChecked() {
        assertThat(SplitCheck.problem(5, 0.1, SplitCheck.CLASSIFIER)).isNull();
        assertThat(SplitCheck.problem(16, 0.9, SplitCheck.CLASSIFIER)).isNull();
        assertThat(SplitCheck.problem(2, 0.0, SplitCheck.CLASSIFIER)).isNull();
        assertThat(SplitCheck.problem(0, 0.1, SplitCheck.CLASSIFIER)).isNull();
        assertThat(SplitCheck.problem(15, 0.9, SplitCheck.CLASSIFIER)).contains("leaves 1 training example of 15 once");
    }

    @Test
    void aFractionTooSmallForAnyLimitSaysToRaiseIt() {
        assertThat(SplitCheck.problem(1000, 1.0e-10, SplitCheck.CLASSIFIER)).endsWith("no val_* metrics: raise"
                + " validation_split, or set validation_split: 0 to train without one");
        assertThat(SplitCheck.problem(1, 1.0e-10, SplitCheck.CLASSIFIER)).endsWith("at least 2 classes: use 2 or"
                + " more with validation_split: 0");
    }

    @Test
    void everyDatasetWithALimitAndAValidationSplitChecksItsParameters() {
        for (DatasetProvider p : new DatasetProvider[] {new FashionMnistProvider(), new MnistProvider(),
                new ImdbProvider(), new CsvTextProvider(), new SpamAssassinProvider()}) {
            assertThat(p.checkParams(params(p, Map.of("limit_train", 4L)))).as(p.description())
                    .containsOnlyKeys("limit_train");
            assertThat(p.checkParams(params(p, Map.of("limit_train", 5L)))).as(p.description()).isEmpty();
        }
        DateNormalisationProvider dates = new DateNormalisationProvider();
        assertThat(dates.checkParams(params(dates, Map.of("train_size", 4L)))).containsOnlyKeys("train_size");
        assertThat(dates.checkParams(params(dates, Map.of("train_size", 5L)))).isEmpty();
    }

    @Test
    void datePairsAskedForBeyondTheDistinctDatesAreRefusedWhenTheFileIsRead() {
        // found only when each trial generated its data ("train_size and test_size must be >= 1 and add up ...")
        DateNormalisationProvider dates = new DateNormalisationProvider();
        assertThat(dates.checkParams(params(dates, Map.of("train_size", 36_000L, "test_size", 526L))))
                .containsExactly(Map.entry("test_size", "train_size 36000 and test_size 526 add up to 36526, more than"
                        + " the 36525 distinct dates from 1950-01-01 to 2049-12-31 that the pairs are drawn from"
                        + " without repeats: lower either"));
        assertThat(dates.checkParams(params(dates, Map.of("train_size", 36_000L, "test_size", 525L)))).isEmpty();
    }
}
