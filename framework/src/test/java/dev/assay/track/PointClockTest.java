package dev.assay.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PointClockTest {

    /**
     * Waits until {@link PointClock} reads the clock itself again (the ticking thread of an earlier
     * burst, in this test or another, stops within about 100 ms of the burst's end).
     */
    static void awaitDirectReads() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (PointClock.isTicking()) {
            assertThat(System.nanoTime()).as("the point clock's ticking thread stops once reads slow down")
                    .isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @BeforeEach
    @AfterEach
    void direct() {
        awaitDirectReads();
    }

    @Test
    void aBurstOfReadsIsServedByTheTickerAndNoStampRunsAheadOfTheClockOrFarBehindIt() {
        boolean sawTicking = false;
        long largestLag = 0;
        for (int i = 0; i < 2_000_000; i++) {
            long before = System.currentTimeMillis();
            long stamp = PointClock.millis();
            long after = System.currentTimeMillis();
            assertThat(stamp).isLessThanOrEqualTo(after);
            largestLag = Math.max(largestLag, before - stamp);
            sawTicking |= PointClock.isTicking();
        }
        assertThat(sawTicking).as("2,000,000 reads in a row start the ticking thread").isTrue();
        // The tick is 0.5 ms; 200 ms leaves room for a loaded CI machine descheduling the thread.
        assertThat(largestLag).isBetween(0L, 200L);
    }

    @Test
    void whileTickingTheStampsFollowTheClock() {
        for (int i = 0; i < 100_000; i++) {
            PointClock.millis();
        }
        assertThat(PointClock.isTicking()).isTrue();
        long first = PointClock.millis();
        long start = System.currentTimeMillis();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = first;
        while (last - first < 20 && System.nanoTime() < deadline) {
            last = PointClock.millis();
        }
        assertThat(last - first).as("the copy moves on with the clock while reads come").isGreaterThanOrEqualTo(20L);
        assertThat(last).isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(PointClock.isTicking()).as("reads kept coming, so the thread keeps ticking").isTrue();
        assertThat(start).isLessThanOrEqualTo(first + 200);
    }

    @Test
    void afterABurstTheTickerStopsAndReadsAreTheClockItself() {
        for (int i = 0; i < 100_000; i++) {
            PointClock.millis();
        }
        assertThat(PointClock.isTicking()).isTrue();
        awaitDirectReads();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(30));
        long before = System.currentTimeMillis();
        long stamp = PointClock.millis();
        assertThat(stamp).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void pointsAtAnOrdinaryRateNeverStartTheTicker() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            long before = System.currentTimeMillis();
            assertThat(PointClock.millis()).isBetween(before, System.currentTimeMillis());
            for (int k = 0; k < PointClock.BURST_READS / 2; k++) {
                PointClock.millis(); // a step's few points
            }
            assertThat(PointClock.isTicking()).isFalse();
            Thread.sleep(2); // the next step's reads come in a later millisecond
        }
    }
}
