package dev.assay.track;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the sparse chunks of the H2 file this process serves, every {@value #PERIOD_MILLIS} ms,
 * so that the file of an open store grows with its data, not with its commits. H2 writes each
 * commit as a new chunk holding the pages it changed; a later commit replaces most of them, but a
 * chunk is freed only when none of its pages is live any more, and a chunk that still holds one
 * leaf of an old run's rows never gets there. Only H2's own housekeeping rewrites such chunks (their
 * live pages move into a new chunk, and the old one is freed after H2's retention time, 45 s), and
 * it runs only while the store is idle (and, with {@code WRITE_DELAY=0}, see {@link
 * TrackingStore#defaultUrl}, not at all: that setting starts no background writer). A sweep never
 * idles, so its store file grew by every commit: a 1,000-trial sweep of one-epoch MLP trials left
 * 208 MB holding 16 MB of data (1% of the chunks' pages live), growing 200 KB a trial, with each
 * chunk's metadata on the heap, until closing the database compacted it. Each round calls {@link
 * MVStore#compact(int, int)} (that housekeeping's rewrite, under H2's store lock; skipped while
 * another thread holds it) when fewer than {@value #TARGET_FILL_PERCENT}% of the chunks' pages are
 * live, rewriting at most {@value #REWRITE_BYTES} bytes of chunks. {@code StoreGrowthTest} (with
 * a 100-ms retention time so that it runs in seconds): about 70 KB of file a trial without the
 * rounds, under 25 KB with them; with the default retention the file holds at most about the last
 * 45 s of commits beyond its data.
 *
 * <p>Only a store this process opened as a file (the one serving it to {@code AUTO_SERVER}
 * clients) is kept; for any other (a client of another process, in-memory, read-only, not H2) the
 * supplier returns null and a round does nothing. A failure is logged at debug and the next round
 * tries again.
 */
final class StoreHousekeeping implements AutoCloseable {

    /** Time between rounds: 2,000 ms. */
    static final long PERIOD_MILLIS = 2_000;
    /** Chunks fuller than this (percent of their pages live) are left alone: 50. */
    static final int TARGET_FILL_PERCENT = 50;
    /** Bytes of sparse chunks one round rewrites at most (only their live pages are copied): 64 MiB. */
    static final int REWRITE_BYTES = 64 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(StoreHousekeeping.class);

    private final Supplier<MVStore> store;
    private final ScheduledExecutorService timer;

    /**
     * Starts the rounds on a daemon thread ({@code assay-store-housekeeping}).
     *
     * @param store the file store this process serves, or null when there is none (asked each round:
     *     a reconnected store may serve it later)
     */
    StoreHousekeeping(Supplier<MVStore> store) {
        this.store = store;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "assay-store-housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::round, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * One round: rewrites sparse chunks if the live share of the chunks is below the target.
     *
     * @return whether chunks were rewritten
     */
    boolean round() {
        try {
            MVStore mv = store.get();
            if (mv == null || mv.isClosed()) {
                return false;
            }
            FileStore<?> file = mv.getFileStore();
            if (file == null || file.isReadOnly() || file.getChunksFillRate() >= TARGET_FILL_PERCENT) {
                return false;
            }
            return mv.compact(TARGET_FILL_PERCENT, REWRITE_BYTES);
        } catch (RuntimeException e) {
            LOG.debug("Store housekeeping failed; trying again in {} ms", PERIOD_MILLIS, e);
            return false;
        }
    }

    /** Stops the rounds, waiting for one in progress (before the database closes under it). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
