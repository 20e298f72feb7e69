package dev.assay.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import dev.assay.spec.RegularizationSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MallocTrimTest {

    private static final long MS = 1_000_000L;

    @Test
    void trimsAtFirstThenOnlyOnceBudgetFactorTimesTheLastTrimHasPassed() {
        AtomicLong clock = new AtomicLong(5_000 * MS);
        AtomicInteger calls = new AtomicInteger();
        MallocTrim trim = new MallocTrim(clock::get, () -> {
            calls.incrementAndGet();
            clock.addAndGet(8 * MS); // each trim takes 8 ms
            return true;
        });
        assertThat(trim.trimIfDue()).isTrue();
        long firstEnd = clock.get();
        // 200 x 8 ms = 1.6 s must pass after the end of the trim
        clock.set(firstEnd + 1_599 * MS);
        assertThat(trim.trimIfDue()).isFalse();
        clock.set(firstEnd + 1_600 * MS);
        assertThat(trim.trimIfDue()).isTrue();
        assertThat(calls.get()).isEqualTo(2);
        assertThat(trim.trims()).isEqualTo(2);
    }

    @Test
    void aFailingTrimTurnsTrimmingOffForGood() {
        AtomicInteger calls = new AtomicInteger();
        AtomicLong clock = new AtomicLong();
        MallocTrim trim = new MallocTrim(clock::get, () -> {
            calls.incrementAndGet();
            throw new UnsatisfiedLinkError("Error looking up function 'malloc_trim'");
        });
        assertThat(trim.trimIfDue()).isFalse();
        clock.addAndGet(3_600_000 * MS);
        assertThat(trim.trimIfDue()).isFalse();
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void theSystemPropertyTurnsItOff() {
        long before = MallocTrim.processTrims();
        System.setProperty(MallocTrim.PROPERTY, "false");
        try {
            assertThat(MallocTrim.ifDue()).isFalse();
        } finally {
            System.clearProperty(MallocTrim.PROPERTY);
        }
        assertThat(MallocTrim.processTrims()).isEqualTo(before);
    }

    @Test
    void anEpochEndTrimsTheCHeapWhenDue() throws Exception {
        assumeTrue(MallocTrim.available(), "malloc_trim is glibc's");
        MallocTrim.makeDue();
        long before = MallocTrim.processTrims();
        try (Model model = Model.newInstance("m")) {
            model.setBlock(Linear.builder().setUnits(2).build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                TrainingLoop loop = TrainingLoop.start(trainer, new WeightPenalty(new RegularizationSpec(0.0, 0.0)),
                        Checkpoints.disabled(), new Shape(1, 4));
                assertThat(loop.endEpoch(1)).isTrue();
                assertThat(MallocTrim.processTrims()).isEqualTo(before + 1);
            }
        }
    }

    /**
     * Frees every other block of 48 MiB of small C-heap blocks: the freed chunks lie between live
     * ones, so {@code free} cannot return them, and they stay resident until a trim.
     */
    @Test
    void glibcTrimReturnsFreedChunksInsideTheHeapToTheSystem() throws IOException {
        assumeTrue(Platform.isLinux(), "malloc_trim is glibc's");
        MallocTrim.Trimmer glibc = MallocTrim.glibc();
        assertThat(glibc).as("glibc's malloc_trim on Linux").isNotNull();
        assertThat(MallocTrim.available()).isTrue();
        List<Memory> blocks = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            Memory block = new Memory(96 * 1024); // below glibc's 128 KiB mmap threshold: from an arena
            block.clear(); // touch every page
            blocks.add(block);
        }
        for (int i = 0; i < blocks.size(); i += 2) {
            blocks.get(i).close();
        }
        long before = rssKiB();
        glibc.trim();
        long after = rssKiB();
        assertThat(before - after).as("KiB released of the 24 MiB freed").isGreaterThan(16 * 1024);
        for (int i = 1; i < blocks.size(); i += 2) {
            blocks.get(i).close();
        }
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
