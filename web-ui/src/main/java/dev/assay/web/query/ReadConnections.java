package dev.assay.web.query;

import dev.assay.track.LostConnections;
import dev.assay.track.TrackingException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small pool of JDBC connections marked read-only, opened lazily. Each {@link #with} runs in one
 * transaction with H2's {@code SNAPSHOT} isolation, so all the statements of one request see the
 * store as of its first statement while a sweep goes on writing (in auto-commit mode each
 * statement saw the latest commit: a runs page could count 10 runs and list 11, or show a run's
 * summary from before its last points). With {@code AUTO_SERVER=TRUE} each request sees what other
 * processes had committed when it began.
 */
public final class ReadConnections implements AutoCloseable {

    /** Work done with a borrowed connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        /**
         * Runs the work.
         *
         * @param connection the borrowed connection; do not close it
         * @return the result
         * @throws SQLException if a statement fails
         */
        T run(Connection connection) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReadConnections.class);

    /**
     * How long a request keeps trying when its connection is lost: 20 s, for another process to
     * take the store file over (H2 waits out a dead server's lock file first; on a loaded 2-core
     * machine this took several seconds).
     */
    static final long RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(20);

    private final String url;
    private final dev.assay.track.StoreLockFile lockFile;
    private final BlockingQueue<Connection> idle;
    private volatile boolean closed;

    /**
     * Creates the pool; no connection is opened yet.
     *
     * @param url the JDBC URL of the store
     * @param size how many idle connections to keep, ≥ 1
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public ReadConnections(String url, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("A connection pool needs a size >= 1, got " + size + ".");
        }
        this.url = url;
        this.lockFile = new dev.assay.track.StoreLockFile(url);
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /**
     * Runs work with a pooled connection, in one snapshot transaction (ended when the work ends).
     *
     * <p>A lost connection (the process serving the store exited) is retried on a fresh connection
     * for up to {@link #RETRY_NANOS}, the idle ones dropped with it; reads are safe to repeat.
     *
     * @param what what the work does, for the error message
     * @param work the work (run again after a lost connection)
     * @param <T> the result type
     * @return the work's result
     * @throws TrackingException if connecting or a statement fails (a lost connection: when it
     *     still fails after {@link #RETRY_NANOS})
     * @throws IllegalStateException if the pool is closed
     */
    public <T> T with(String what, SqlWork<T> work) {
        if (closed) {
            throw new IllegalStateException("Cannot " + what + ": the web UI's connections are closed.");
        }
        long deadline = 0;
        while (true) {
            Connection connection = null;
            try {
                connection = borrow();
                T result = work.run(connection);
                connection.commit(); // ends the snapshot: the next request sees the latest commits
                // the web UI may have taken the store over in this request
                lockFile.check(dev.assay.track.StoreLockFile.servedHere(connection));
                release(connection);
                return result;
            } catch (SQLException e) {
                discard(connection);
                if (LostConnections.isLostOrTakenOver(e)) {
                    // the process serving the store exited (a sweep that ended): the pooled connections
                    // all went to it; a fresh one finds the process that took the file over, or takes
                    // it over itself. Reads are safe to repeat. (A request failed with 500 "Connection
                    // is broken: session closed" about 3 s after a sweep exited.)
                    deadline = deadline == 0 ? System.nanoTime() + RETRY_NANOS : deadline;
                    if (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                        LOG.debug("Connection to {} lost while trying to {}; reconnecting", url, what);
                        discardIdle();
                        LostConnections.pauseBeforeRetry();
                        continue;
                    }
                }
                throw new TrackingException("Cannot " + what + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                discard(connection); // its snapshot transaction is still open
                throw e;
            }
        }
    }

    private void discardIdle() {
        Connection connection;
        while ((connection = idle.poll()) != null) {
            discard(connection);
        }
    }


    /** Closes every idle connection. Calling it again does nothing. */
    @Override
    public void close() {
        closed = true;
        discardIdle();
    }

    private Connection borrow() throws SQLException {
        Connection connection = idle.poll();
        if (connection != null && !connection.isClosed()) {
            return connection;
        }
        connection = DriverManager.getConnection(url);
        connection.setReadOnly(true);
        connection.setAutoCommit(false);
        try (Statement set = connection.createStatement()) {
            set.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
        }
        return connection;
    }

    private void release(Connection connection) {
        if (connection != null && (closed || !idle.offer(connection))) {
            discard(connection);
        }
    }

    private static void discard(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Ignoring a failure to close a connection", e);
        }
    }
}
