package dev.assay.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.training.tracker.Tracker;
import dev.assay.spec.ScheduleSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A schedule over epochs of different lengths ends and decays where it should (word2vec's epochs). */
class EpochAlignedScheduleTest {

    private static final int[] EPOCH_UPDATES = {112, 111, 111}; // a numbers audit's word2vec trial

    /** The learning rate of every update, epoch by epoch. */
    private static List<Float> rates(ScheduleSpec spec) {
        EpochAlignedSchedule schedule = new EpochAlignedSchedule(
                LearningRateSchedules.build(spec, 1e-2, EPOCH_UPDATES[0], EPOCH_UPDATES.length), EPOCH_UPDATES[0]);
        List<Float> rates = new ArrayList<>();
        long done = 0;
        for (int e = 1; e <= EPOCH_UPDATES.length; e++) {
            schedule.beginEpoch(e, done, EPOCH_UPDATES[e - 1]);
            for (int k = 1; k <= EPOCH_UPDATES[e - 1]; k++) {
                rates.add(schedule.getNewValue(Math.toIntExact(done + k)));
            }
            done += EPOCH_UPDATES[e - 1];
        }
        return rates;
    }

    @Test
    void aCosineScheduleEndsExactlyAtItsFinalRateOnTheLastUpdate() {
        // built on the first epoch's 112 updates alone it planned 336 and the 334th read 0.0010008
        List<Float> rates = rates(new ScheduleSpec("cosine", 1, 0.1, 1e-3));
        assertThat(rates).hasSize(334);
        assertThat(rates.get(333)).isEqualTo(1e-3f);
        assertThat(rates.get(332)).isGreaterThan(1e-3f);
        assertThat(rates.get(0)).isCloseTo(1e-2f, within(1e-6f));
        for (int i = 1; i < rates.size(); i++) {
            assertThat(rates.get(i)).as("update " + (i + 1)).isLessThanOrEqualTo(rates.get(i - 1));
        }
    }

    @Test
    void aStepScheduleDecaysExactlyAtEpochBoundaries() {
        // epoch 3 began at update 224, and read epoch 2's rate there (the nominal boundary was 225)
        List<Float> rates = rates(new ScheduleSpec("step", 1, 0.5, 0));
        assertThat(rates.subList(0, 112)).containsOnly(1e-2f);
        assertThat(rates.subList(112, 223)).containsOnly(5e-3f);
        assertThat(rates.subList(223, 334)).containsOnly(2.5e-3f);
    }

    @Test
    void beforeAnEpochBeginsTheUpdateNumberIsReadAsGivenAndBadCountsAreRefused() {
        Tracker nominal = n -> n;
        EpochAlignedSchedule schedule = new EpochAlignedSchedule(nominal, 10);
        assertThat(schedule.getNewValue(7)).isEqualTo(7f);
        schedule.beginEpoch(2, 9, 5); // epoch 2 of 5 updates, 10 nominal: updates 10..14 read 12, 14, ..., 20
        assertThat(List.of(10, 11, 12, 13, 14).stream().map(schedule::getNewValue).toList())
                .containsExactly(12f, 14f, 16f, 18f, 20f);
        assertThatThrownBy(() -> schedule.beginEpoch(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EpochAlignedSchedule(nominal, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
