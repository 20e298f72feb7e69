package dev.assay.track;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking store's one JDBC connection: opened with retries (processes that open one store
 * file at the same moment), the schema migrated by Flyway, and every piece of work run in a
 * committed transaction that survives a lost {@code AUTO_SERVER} connection by reconnecting. Not
 * thread-safe: {@link TrackingStore} calls it under its own lock.
 */
final class StoreConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreConnection.class);
    /**
     * How long {@link #open} keeps trying to connect, and a transaction whose connection was lost
     * keeps reconnecting: 60 s (on a loaded 2-core machine four processes opening one fresh store
     * needed more than 30).
     */
    private static final long CONNECT_PATIENCE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private final String url;
    private volatile Connection connection;
    private boolean closed;
    /** Why H2 could not write the file, once it failed so (then the database is closed for good). */
    private String storageFailure;
    /** Nesting depth of {@link #snapshot}: while above 0, transactions do not commit. */
    private int snapshotDepth;

    /**
     * Wraps an open connection (auto-commit off) to the database at {@code url}; reconnecting after
     * a lost connection goes to {@code url}. {@link #open} is the way in; tests wrap a connection of
     * their own to lose it at a chosen moment.
     */
    StoreConnection(String url, Connection connection) {
        this.url = url;
        this.connection = connection;
    }

    /**
     * Connects to the database and migrates its schema to the latest version (a fresh database gets
     * the whole schema; an up-to-date one is left as it is).
     *
     * @param jdbcUrl a JDBC URL
     * @return the open connection, auto-commit off
     * @throws TrackingException if connecting or migrating fails; the message names the URL
     */
    static StoreConnection open(String jdbcUrl) {
        Connection connection = null;
        try {
            connection = connect(jdbcUrl);
            migrate(jdbcUrl);
            long deadline = System.nanoTime() + CONNECT_PATIENCE_NANOS;
            while (true) {
                try {
                    connection.setAutoCommit(false);
                    break;
                } catch (SQLException e) {
                    // the process serving the file exited during the migration: H2's reconnect can find the
                    // file locked by the next one starting its server (90020; a parallel worker failed so, once in
                    // a loaded CI run): connect again, as connect() does
                    if (!lockedOrLost(e) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    LOG.debug("Connection to {} lost after the migration ({}); connecting again", jdbcUrl, e.getMessage());
                    closeQuietly(connection);
                    connection = null;
                    LostConnections.pauseBeforeRetry();
                    connection = connect(jdbcUrl);
                }
            }
            LOG.debug("Opened tracking store {}", jdbcUrl);
            return new StoreConnection(jdbcUrl, connection);
        } catch (OlderSchemaReadOnly e) {
            closeQuietly(connection);
            throw e; // bad input (--store), said in full: not wrapped in "Cannot open the tracking store"
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw new TrackingException(
                    "Cannot open the tracking store at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the JDBC URL.
     *
     * @return the URL given to {@link #open}
     */
    String url() {
        return url;
    }

    /** Why a store opened read-only ({@code ACCESS_MODE_DATA=r}) cannot be read now. */
    static final String IN_USE = "the store is in use: its lock file assay.lock.db is there (a process is"
            + " writing it now, or the directory is a copy that kept the lock file), and a store this user"
            + " cannot write can only be read while no process holds it. Read it once that process has ended,"
            + " or copy the directory without assay.lock.db and read the copy (--store COPY)";

    /** Whether H2 opens the URL's database read-only ({@code ACCESS_MODE_DATA=r}). */
    private static boolean readOnly(String jdbcUrl) {
        return jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains(";ACCESS_MODE_DATA=R");
    }

    /**
     * Connects, retrying for up to 60 s: processes that open a store file at the same moment race
     * for H2's lock file ("Lock file recently modified"), and the loser succeeds a moment later by
     * connecting to the winner's server ({@code AUTO_SERVER}). A read-only URL whose file another
     * process holds fails at once ({@link #IN_USE}): it waited the 60 s for a lock that a running
     * sweep keeps; so does a file that cannot be read as a database ({@link StorageFailure#damage})
     * or a lock file that cannot be written (a full disk, {@link StorageFailure#lockFileUnwritable}),
     * which no wait mends.
     */
    private static Connection connect(String jdbcUrl) throws SQLException {
        SQLException last = null;
        long deadline = System.nanoTime() + CONNECT_PATIENCE_NANOS;
        for (int attempt = 1; ; attempt++) {
            try {
                return DriverManager.getConnection(jdbcUrl);
            } catch (SQLException e) {
                if (readOnly(jdbcUrl) && e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                    // no waiting: a reader that cannot write the directory cannot share a file in use
                    throw new SQLException(IN_USE, e.getSQLState(), e.getErrorCode(), e);
                }
                String damage = StorageFailure.damage(e);
                if (damage != null) {
                    throw new SQLException(StorageFailure.explainDamage(jdbcUrl, damage), e.getSQLState(),
                            e.getErrorCode(), e);
                }
                String lockFile = StorageFailure.lockFileUnwritable(e);
                if (lockFile != null) {
                    throw new SQLException(StorageFailure.explain(lockFile), e.getSQLState(), e.getErrorCode(), e);
                }
                last = e;
                LOG.debug("Connecting to {} failed (attempt {}): {}", jdbcUrl, attempt, e.getMessage());
                if (System.nanoTime() > deadline) {
                    throw last;
                }
                // jittered, so that processes that collided do not collide again
                LostConnections.pauseBeforeRetry();
            }
        }
    }

    /**
     * Runs the Flyway migrations. Several processes may open a fresh store at the same moment
     * (parallel trials): one of them creates the schema and the others' first attempt can fail on
     * the half-created history table, so a failed attempt is retried (up to 5 times, 200 ms to
     * 1.6 s apart); once the schema is there, Flyway finds nothing to do. Flyway opens connections
     * of its own, which can find the file locked by another process that is still starting its
     * {@code AUTO_SERVER} server (H2 error 90020), lose the race for the lock file (H2 error 8000,
     * "Lock file recently modified") or find that the server just exited: such an attempt is
     * retried as {@link #connect} retries, for up to 60 s after the first one ({@link #lockedOrLost}).
     *
     * <p>A read-only URL ({@code ACCESS_MODE_DATA=r}) is not migrated: its schema is checked, and a
     * store of an older schema is refused with what to do (Flyway tried to upgrade it and failed
     * with "restore backups").
     *
     * @param jdbcUrl the store's JDBC URL
     * @throws IllegalArgumentException if the URL is read-only and the store's schema is older than
     *     this version's
     * @throws RuntimeException Flyway's failure, once the attempts are spent
     */
    static void migrate(String jdbcUrl) {
        long deadline = System.nanoTime() + CONNECT_PATIENCE_NANOS;
        for (int attempt = 1; ; attempt++) {
            try {
                Flyway flyway = Flyway.configure(StoreConnection.class.getClassLoader())
                        .dataSource(jdbcUrl, null, null)
                        .locations("classpath:db/migration")
                        .load();
                if (!readOnly(jdbcUrl)) {
                    flyway.migrate();
                    return;
                }
                org.flywaydb.core.api.MigrationInfoService info = flyway.info();
                if (info.pending().length == 0) {
                    return;
                }
                throw new OlderSchemaReadOnly(jdbcUrl, info);
            } catch (OlderSchemaReadOnly e) {
                throw e;
            } catch (RuntimeException e) {
                boolean locked = lockedOrLost(e);
                LOG.debug("Migration attempt {} on {} failed: {}", attempt, jdbcUrl, e.getMessage());
                if (locked ? System.nanoTime() > deadline : attempt >= 5) {
                    throw e;
                }
                if (locked) {
                    LostConnections.pauseBeforeRetry();
                } else {
                    pause(200L << (attempt - 1));
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
            }
        }
    }

    /**
     * A read-only store whose schema this version would have to upgrade; the message says what to
     * do instead. An {@link IllegalArgumentException}: the {@code --store} given cannot be used.
     */
    static final class OlderSchemaReadOnly extends IllegalArgumentException {
        OlderSchemaReadOnly(String jdbcUrl, org.flywaydb.core.api.MigrationInfoService info) {
            super("the store " + TrackingStore.embeddedFile(jdbcUrl) + ".mv.db has schema version "
                    + (info.current() == null ? "none" : info.current().getVersion()) + ", older than this Assay's "
                    + info.all()[info.all().length - 1].getVersion() + ", and can only be read here (a read-only file or"
                    + " directory), so it cannot be upgraded: copy the store's directory (without assay.lock.db) somewhere"
                    + " writable and point --store at the copy, or open it once with write access (any assay command"
                    + " upgrades it)");
        }
    }

    /**
     * Whether a failure was caused by a file locked by another process (H2 90020), a race for H2's
     * lock file between processes opening the file at once (H2 8000, "Error opening database":
     * "Lock file recently modified", "Concurrent update", "Another process was faster"), or a lost
     * connection: all of them pass once the other process has its server up or has exited.
     */
    static boolean lockedOrLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e && LostConnections.isLostOrTakenOver(e)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Work done inside a transaction.
     *
     * @param <T> the work's result
     */
    @FunctionalInterface
    interface SqlWork<T> {
        /**
         * Does the work.
         *
         * @param connection the connection, in a transaction (auto-commit off)
         * @return the result
         * @throws SQLException if a statement fails
         */
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs reads as one snapshot: the store as it was at the first of them, whatever other
     * connections commit meanwhile (H2's {@code SNAPSHOT} isolation; the default, {@code READ
     * COMMITTED}, lets each statement see the latest commit, so an export read a running run's
     * summary and then a series 23 points longer). The transactions inside do not commit; the
     * snapshot ends with a commit and the default isolation again; a snapshot inside another is part
     * of it.
     *
     * @param reads the reads, through this connection's {@link #transaction}s
     * @return what {@code reads} returns
     * @throws TrackingException if the isolation cannot be set or reset
     */
    <T> T snapshot(java.util.function.Supplier<T> reads) {
        // only the outermost snapshot sets and resets the isolation: setting it commits, which
        // would end an enclosing snapshot
        if (snapshotDepth == 0) {
            isolation("SNAPSHOT");
        }
        snapshotDepth++;
        try {
            return reads.get();
        } finally {
            if (--snapshotDepth == 0) {
                isolation("READ COMMITTED");
            }
        }
    }

    private void isolation(String level) {
        try (java.sql.Statement set = connection.createStatement()) {
            connection.commit();
            set.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL " + level);
        } catch (SQLException e) {
            throw new TrackingException("Cannot set the isolation level " + level + " on " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs work in a transaction and commits it. A lost connection (H2's {@code AUTO_SERVER}
     * server process exited, and another process must take the file over and serve it) is
     * retried, after {@code onConnectionLost} and a fresh connection, for up to 60 s (0.25-1 s
     * apart, jittered) as {@link #open} connects, unless the thread is interrupted; any other failure
     * rolls back. (Three retries
     * 0.5 s apart were not enough: four sweep workers on one store lost points when the serving
     * worker exited.)
     *
     * @param what what the work does, for messages ("finish run ...")
     * @param work the work
     * @param onConnectionLost called before each retry (e.g. to drop state cached from the database)
     * @param <T> the work's result
     * @return the work's result
     * @throws IllegalStateException if the connection is closed
     * @throws TrackingException if the work fails; the message names {@code what} and the URL
     */
    <T> T transaction(String what, SqlWork<T> work, Runnable onConnectionLost) {
        if (closed) {
            throw new IllegalStateException("Cannot " + what + ": the tracking store at " + url + " is closed.");
        }
        long deadline = 0;
        while (true) {
            try {
                T result = work.run(connection);
                if (snapshotDepth == 0) {
                    connection.commit();
                }
                return result;
            } catch (SQLException e) {
                rollback();
                String storage = StorageFailure.of(e);
                if (storage != null) {
                    storageFailure = storage;
                }
                if (storageFailure != null) {
                    // the database closed itself; its "object already closed" is no lost connection
                    throw new TrackingException("Cannot " + what + " in the tracking store at " + url + ": "
                            + StorageFailure.explain(storageFailure) + ".", e);
                }
                if (LostConnections.isLost(e)) {
                    deadline = deadline == 0 ? System.nanoTime() + CONNECT_PATIENCE_NANOS : deadline;
                    if (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                        LOG.debug("Connection to {} lost while trying to {}; reconnecting", url, what);
                        onConnectionLost.run();
                        LostConnections.pauseBeforeRetry();
                        reconnect();
                        continue;
                    }
                }
                throw new TrackingException("Cannot " + what + " in the tracking store at " + url + ": "
                        + e.getMessage(), e);
            } catch (RuntimeException e) {
                rollback();
                throw e;
            }
        }
    }

    /**
     * Returns the H2 file store behind this connection when this process serves it (an embedded,
     * persistent, writable H2 database), for {@link StoreHousekeeping}; null otherwise (an {@code
     * AUTO_SERVER} client of another process, in-memory, read-only, another database) or when it
     * cannot be told.
     */
    org.h2.mvstore.MVStore servedFileStore() {
        org.h2.engine.SessionLocal session = localSession(connection);
        if (session == null) {
            return null;
        }
        try {
            org.h2.engine.Database database = session.getDatabase();
            if (!database.isPersistent() || database.isReadOnly() || database.getStore() == null) {
                return null;
            }
            return database.getStore().getMvStore();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The in-process H2 session of a connection whose database this process has open (it serves the
     * store to the others), or null: another process's {@code AUTO_SERVER} port, not H2, null, or an
     * error.
     */
    static org.h2.engine.SessionLocal localSession(Connection connection) {
        try {
            return connection != null && connection.isWrapperFor(org.h2.jdbc.JdbcConnection.class)
                    && connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession()
                            instanceof org.h2.engine.SessionLocal session ? session : null;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    /** Replaces a lost connection with a new one; a failure is left to the next attempt. */
    private void reconnect() {
        closeQuietly(connection);
        try {
            Connection fresh = DriverManager.getConnection(url);
            fresh.setAutoCommit(false);
            connection = fresh;
        } catch (SQLException e) {
            LOG.debug("Reconnecting to {} failed: {}", url, e.getMessage());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            if (LostConnections.isLost(e)) {
                LOG.debug("Rollback skipped: the connection to {} is lost", url);
            } else {
                LOG.warn("Rollback failed in the tracking store {}", url, e);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Ignoring a failure to close a connection", e);
            }
        }
    }

    /**
     * Closes the connection. Calling it again does nothing.
     *
     * @throws TrackingException if closing the connection fails
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
            LOG.debug("Closed tracking store {}", url);
        } catch (SQLException e) {
            if (LostConnections.isLost(e)) { // the serving process went away: every commit was already written
                LOG.debug("The connection to {} was already lost when closing it", url, e);
                return;
            }
            throw new TrackingException("Cannot close the tracking store at " + url + ".", e);
        }
    }
}
