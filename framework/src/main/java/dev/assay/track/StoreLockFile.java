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
 * it from then on), so {@link #makePrivate} is called after each transaction, not only on opening:
 * made private once on opening, the file written at a takeover stayed readable by everyone.
 *
 * <p>Other users cannot read the store while the file is there anyway (it is in use); a copy
 * without it reads. Does nothing for other URLs, for a lock file another user owns, or on a file
 * system without POSIX permissions. The check costs one {@code stat} when nothing needs changing.
 */
public final class StoreLockFile {

    private static final Logger LOG = LoggerFactory.getLogger(StoreLockFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path lock;

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
