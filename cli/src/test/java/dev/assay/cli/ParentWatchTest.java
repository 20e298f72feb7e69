package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A worker notices its sweep process has gone within a check or two, and acts once. */
class ParentWatchTest {

    @Test
    void theActionRunsOnceSoonAfterTheProcessIsGoneAndNotBefore() throws Exception {
        AtomicBoolean alive = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        Thread watch = ParentWatch.start(alive::get, Duration.ofMillis(20), () -> {
            runs.incrementAndGet();
            done.countDown();
        });
        assertThat(watch.isDaemon()).isTrue();
        Thread.sleep(200);
        assertThat(runs.get()).isZero(); // still alive: nothing happens
        alive.set(false);
        // noticed by a later check (JDK's onExit for a non-child took 14-18 s in a fresh-clone check)
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        watch.join(5_000);
        assertThat(watch.isAlive()).isFalse();
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aProcessThatIsReallyGoneIsNoticed() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        CountDownLatch done = new CountDownLatch(1);
        ParentWatch.start(child.toHandle()::isAlive, ParentWatch.EVERY, done::countDown);
        child.destroyForcibly();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        assertThatThrownBy(() -> ParentWatch.start(() -> true, Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
