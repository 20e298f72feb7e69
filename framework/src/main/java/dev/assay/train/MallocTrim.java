package dev.assay.train;

import com.sun.jna.Platform;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the free memory of the C heap back to the operating system at epoch ends and trial ends
 * (glibc's {@code malloc_trim(0)}), within a time budget.
 *
 * <p>Why: the engines allocate their tensors with {@code malloc}, and glibc's heap keeps memory
 * that was freed, resident, inside its arenas. Loading a dataset and training leave those arenas
 * mostly free (out of tree, a 10-epoch CNN trial on the 6,000-image Fashion-MNIST subset: about
 * 300 MiB of arena, 40-90 MiB of it in use), and as later allocations land on pages of that free
 * space for the first time, the resident set grows from epoch to epoch for no live data (the
 * README's "Performance" (d): 699 → 759 MiB over epochs 1-6, then flat). {@code malloc_trim(0)}
 * releases the whole pages inside free chunks of every arena ({@code madvise(MADV_DONTNEED)},
 * glibc ≥ 2.8; {@code malloc_trim(3)}); with it at each epoch end the same trial stayed at 510-554
 * MiB, its epochs as fast (1.9-2.4 s either way), each trim taking 6-12 ms. Ruby's garbage
 * collector calls it after each full collection for the same reason.
 *
 * <p>The budget: a trim is skipped until {@value #BUDGET_FACTOR} times as long as the last one
 * took has passed since it ended, so trimming costs at most 1/{@value #BUDGET_FACTOR} of the wall
 * time (with 8 ms trims: at most one each 1.6 s, every epoch of that CNN, every 6th of a 0.26 s MLP
 * epoch); the first call always trims. Set the system property {@value #PROPERTY} to
 * {@code false} to turn it off. Where {@code malloc_trim} does not exist (not glibc: macOS, musl,
 * Windows) nothing is done.
 */
public final class MallocTrim {

    /** The system property that turns trimming off when {@code false} (default {@code true}). */
    public static final String PROPERTY = "assay.malloc_trim";

    /** Wall time between trims, as a multiple of the last trim's duration. */
    static final long BUDGET_FACTOR = 200;

    private static final Logger LOG = LoggerFactory.getLogger(MallocTrim.class);

    private static final MallocTrim PROCESS = new MallocTrim(System::nanoTime, glibc());

    /** What trims: {@code malloc_trim(0)}, or a stand-in in tests. */
    interface Trimmer {
        /**
         * Trims the C heap.
         *
         * @return whether memory was released
         */
        boolean trim();
    }

    private final LongSupplier nanoClock;
    private Trimmer trimmer;
    private long nextDueNanos;
    private boolean trimmedOnce;
    private long trims;

    MallocTrim(LongSupplier nanoClock, Trimmer trimmer) {
        this.nanoClock = nanoClock;
        this.trimmer = trimmer;
    }

    /**
     * Trims the process's C heap if trimming is on, available and due (see the class comment).
     * Never throws: a failing call turns trimming off with a warning.
     *
     * @return true if it trimmed now
     */
    public static boolean ifDue() {
        return wanted() && PROCESS.trimIfDue();
    }

    /**
     * Returns whether the user leaves trimming on: {@value #PROPERTY} is unset or anything but
     * {@code false} (case and surrounding blanks ignored).
     *
     * @return false only when {@value #PROPERTY} says {@code false}
     */
    public static boolean wanted() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /**
     * Returns whether this process can trim its C heap (glibc's {@code malloc_trim} was found).
     *
     * @return true on Linux with glibc
     */
    public static boolean available() {
        synchronized (PROCESS) {
            return PROCESS.trimmer != null;
        }
    }

    /** Trims if due; the budget logic, apart from the process-wide instance (tests). */
    synchronized boolean trimIfDue() {
        if (trimmer == null) {
            return false;
        }
        long start = nanoClock.getAsLong();
        if (trimmedOnce && start - nextDueNanos < 0) {
            return false;
        }
        boolean released;
        try {
            released = trimmer.trim();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Trimming the C heap (malloc_trim) failed, so it is off from now on: {}", e.toString());
            trimmer = null;
            return false;
        }
        long end = nanoClock.getAsLong();
        LOG.debug("Trimmed the C heap in {} ms ({})", (end - start) / 1_000_000.0,
                released ? "memory released" : "nothing to release");
        nextDueNanos = end + BUDGET_FACTOR * Math.max(0, end - start);
        trimmedOnce = true;
        trims++;
        return true;
    }

    /** Trims done by this instance (tests). */
    synchronized long trims() {
        return trims;
    }

    /** Makes the next {@link #ifDue} trim whatever the budget says (tests). */
    static void makeDue() {
        synchronized (PROCESS) {
            PROCESS.trimmedOnce = false;
        }
    }

    /** Trims done in this process (tests). */
    static long processTrims() {
        return PROCESS.trims();
    }

    /**
     * Returns glibc's {@code malloc_trim(0)}, or null where it cannot be loaded.
     *
     * @return the trimmer, or null
     */
    static Trimmer glibc() {
        LibC.Functions libc = Platform.isLinux() ? LibC.get() : null;
        return libc == null ? null : () -> libc.malloc_trim(0) == 1;
    }
}
