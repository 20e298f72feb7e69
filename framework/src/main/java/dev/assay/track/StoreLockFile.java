package dev.assay.track;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the lock file of an embedded file store ({@code <name>.lock.db}) readable by its owner
 * only. It holds the key of the {@code AUTO_SERVER} port, with which any process of any user on the
 * machine could use the database (and run code in the process serving it), and H2 creates it
 * readable by everyone (found by a security check). H2 writes a new one whenever a process takes the
 * store over (the one serving it exited: every writer and the web UI reconnect, and the first serves
 * it from then on), so {@link #check} runs after each transaction, not only on opening: made private
 * once on opening, the file written at a takeover stayed readable by everyone. It looks at the file
 * when this process has just begun to serve the store, and otherwise at most once a second
 * ({@link #CHECK_INTERVAL_NANOS}): a look costs about 3 µs, and a writer commits thousands of
 * transactions a second.
 *
 * <p>Other users cannot read the store while the file is there anyway (it is in use); a copy
 * without it reads. Does nothing for other URLs, for a lock file another user owns, or on a file
 * system without POSIX permissions. The check costs one {@code stat} when nothing needs changing.
 */
public final class StoreLockFile {

    private static final Logger LOG = LoggerFactory.getLogger(StoreLockFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The longest time between two looks at the file while nothing changes: 1 s. */
    static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final Path lock;
    private boolean serving;
    private long lastLookNanos;
    private boolean looked;

    /**
     * The lock file of a store.
     *
     * @param jdbcUrl the store's JDBC URL; a URL that is not of an embedded file store gives a lock
     *     file of none, which {@link #makePrivate} leaves alone
     */
    public StoreLockFile(String jdbcUrl) {
        Path file = TrackingStore.embeddedFile(jdbcUrl);
        this.lock = file == null ? null : Path.of(file + ".lock.db");
    }

    /**
     * Runs {@link #makePrivate} when this process has just begun to serve the store (it took the
     * store over), on the first call, or when the last look is {@link #CHECK_INTERVAL_NANOS} old;
     * otherwise does nothing. Thread-safe.
     *
     * @param servingNow whether this process serves the store now ({@link #servedHere})
     */
    public synchronized void check(boolean servingNow) {
        long now = System.nanoTime();
        if (!looked || servingNow != serving || now - lastLookNanos >= CHECK_INTERVAL_NANOS) {
            looked = true;
            serving = servingNow;
            lastLookNanos = now;
            makePrivate();
        }
    }

    /**
     * Whether a connection's database is open in this process (it serves the store to the others),
     * as opposed to reached through another process's {@code AUTO_SERVER} port.
     *
     * @param connection an open H2 connection
     * @return true for an H2 connection with an in-process session; false otherwise or on any error
     */
    public static boolean servedHere(java.sql.Connection connection) {
        return StoreConnection.localSession(connection) != null;
    }

    /**
     * Makes the lock file readable and writable by its owner alone ({@code rw-------}) when it
     * exists, this process's user owns it, and anyone else may read or write it. Never throws: a
     * file that vanished or cannot be changed is left as it is (logged at debug level).
     */
    public void makePrivate() {
        if (lock == null) {
            return;
        }
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(lock);
            if (!OWNER_ONLY.containsAll(now)
                    && Files.getOwner(lock).getName().equals(System.getProperty("user.name"))) {
                Files.setPosixFilePermissions(lock, OWNER_ONLY);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no process serves the store now
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.debug("lock file {} left as it is: {}", lock, e.toString());
        }
    }
}
