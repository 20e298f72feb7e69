package dev.assay.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.training.tracker.Tracker;
import dev.assay.spec.ScheduleSpec;
import org.junit.jupiter.api.Test;

/**
 * Update numbers are those DJL's optimizers pass to the tracker: the first update is 1
 * ({@code Optimizer.updateCount} starts at {@code beginNumUpdate + 1}).
 */
class LearningRateSchedulesTest {

    private static final float LR = 0.1f;

    @Test
    void constantStaysAtTheBaseRate() {
        Tracker t = LearningRateSchedules.build(ScheduleSpec.constant(), LR, 10, 6);
        for (int update : new int[] {0, 1, 20, 21, 60, 10_000}) {
            assertThat(t.getNewValue(update)).isEqualTo(LR);
        }
    }

    @Test
    void aLearningRateOfZeroWorksWithEverySchedule() {
        // cosine from 0 failed at the trial's first step: DJL's builder refuses a base value of 0
        for (ScheduleSpec spec : new ScheduleSpec[] {ScheduleSpec.constant(), new ScheduleSpec("step", 1, 0.5, 0),
            new ScheduleSpec("cosine", 1, 0.1, 0)}) {
            Tracker t = LearningRateSchedules.build(spec, 0, 10, 4);
            for (int update : new int[] {1, 20, 40, 100}) {
                assertThat(t.getNewValue(update)).as("%s at %d", spec.name(), update).isZero();
            }
        }
        // towards a final rate above 0 it rises along the same half cosine as DJL's falls
        Tracker rising = LearningRateSchedules.build(new ScheduleSpec("cosine", 1, 0.1, 0.01), 0, 10, 4);
        Tracker falling = LearningRateSchedules.build(new ScheduleSpec("cosine", 1, 0.1, 0), 0.01, 10, 4);
        for (int update = 0; update <= 45; update++) {
            assertThat(rising.getNewValue(update)).as("update %d", update)
                    .isCloseTo(0.01f - falling.getNewValue(update), within(1e-7f));
        }
    }

    /**
     * DJL's MultiFactorTracker decays once {@code numUpdate > boundary}: with 10 updates per epoch
     * and step_epochs = 2 the boundaries are 20 and 40, so updates 1..20 (epochs 0-1) use lr0,
     * 21..40 (epochs 2-3) lr0·γ and 41.. (epochs 4-5) lr0·γ², i.e. lr0·γ^floor(epoch/2).
     */
    @Test
    void stepDecaysByGammaEveryStepEpochsAfterTheBoundaryUpdate() {
        Tracker t = LearningRateSchedules.build(new ScheduleSpec("step", 2, 0.1, 0), LR, 10, 6);
        for (int update = 1; update <= 60; update++) {
            float expected = update <= 20 ? LR : update <= 40 ? LR * 0.1f : LR * 0.01f;
            assertThat(t.getNewValue(update)).as("update %d", update).isCloseTo(expected, within(1e-8f));
        }
    }

    @Test
    void stepDecaysNoFurtherThanTheLastBoundaryInsideTheTrial() {
        Tracker fresh = LearningRateSchedules.build(new ScheduleSpec("step", 2, 0.5, 0), LR, 10, 6);
        assertThat(fresh.getNewValue(21)).isCloseTo(LR * 0.5f, within(1e-8f));
        Tracker t = LearningRateSchedules.build(new ScheduleSpec("step", 2, 0.5, 0), LR, 10, 6);
        assertThat(t.getNewValue(1000)).isCloseTo(LR * 0.25f, within(1e-8f));
    }

    @Test
    void stepWithNoBoundaryInsideTheTrialIsConstant() {
        Tracker t = LearningRateSchedules.build(new ScheduleSpec("step", 5, 0.1, 0), LR, 10, 3);
        assertThat(t.getNewValue(1)).isEqualTo(LR);
        assertThat(t.getNewValue(30)).isEqualTo(LR);
        assertThat(t.getNewValue(31)).isEqualTo(LR);
    }

    @Test
    void stepWithASingleBoundaryDecaysOnce() {
        Tracker t = LearningRateSchedules.build(new ScheduleSpec("step", 2, 0.1, 0), LR, 10, 4);
        assertThat(t.getNewValue(20)).isEqualTo(LR);
        assertThat(t.getNewValue(21)).isCloseTo(LR * 0.1f, within(1e-8f));
        assertThat(t.getNewValue(40)).isCloseTo(LR * 0.1f, within(1e-8f));
    }

    @Test
    void cosineFallsFromTheBaseRateToTheFinalRateAtTheLastUpdate() {
        Tracker t = LearningRateSchedules.build(new ScheduleSpec("cosine", 1, 0.1, 0.001), LR, 10, 6);
        assertThat(t.getNewValue(0)).isCloseTo(LR, within(1e-7f));
        // first real update: final + (lr0 - final)(1 + cos(pi/60))/2
        assertThat(t.getNewValue(1)).isCloseTo(
                (float) (0.001 + (0.1 - 0.001) * (1 + Math.cos(Math.PI / 60)) / 2), within(1e-7f));
        assertThat(t.getNewValue(60)).isCloseTo(0.001f, within(1e-7f));
        assertThat(t.getNewValue(61)).isEqualTo(0.001f);
        float previous = Float.MAX_VALUE;
        for (int update = 0; update <= 60; update++) {
            float lr = t.getNewValue(update);
            assertThat(lr).as("update %d", update).isLessThanOrEqualTo(previous);
            previous = lr;
        }
    }

    @Test
    void cosineIsHalfTheBaseRateAtTheMidpointWhenItEndsAtZero() {
        Tracker t = LearningRateSchedules.build(new ScheduleSpec("cosine", 1, 0.1, 0), LR, 10, 6);
        assertThat(t.getNewValue(30)).isCloseTo(LR / 2, within(1e-7f));
        assertThat(t.getNewValue(60)).isCloseTo(0f, within(1e-7f));
    }

    @Test
    void anUnknownScheduleNameIsRejected() {
        assertThatThrownBy(() -> LearningRateSchedules.build(new ScheduleSpec("linear", 1, 0.1, 0), LR, 10, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown schedule 'linear'; known: [constant, step, cosine]");
    }
}
