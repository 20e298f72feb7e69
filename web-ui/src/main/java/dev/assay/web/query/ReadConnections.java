package dev.assay.web.query;

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

    private final String url;
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
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /**
     * Runs work with a pooled connection, in one snapshot transaction (ended when the work ends).
     *
     * @param what what the work does, for the error message
     * @param work the work
     * @param <T> the result type
     * @return the work's result
     * @throws TrackingException if connecting or a statement fails
     * @throws IllegalStateException if the pool is closed
     */
    public <T> T with(String what, SqlWork<T> work) {
        if (closed) {
            throw new IllegalStateException("Cannot " + what + ": the web UI's connections are closed.");
        }
        Connection connection = null;
        try {
            connection = borrow();
            T result = work.run(connection);
            connection.commit(); // ends the snapshot: the next request sees the latest commits
            release(connection);
            return result;
        } catch (SQLException e) {
            discard(connection);
            throw new TrackingException("Cannot " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(connection); // its snapshot transaction is still open
            throw e;
        }
    }

    /** Closes every idle connection. Calling it again does nothing. */
    @Override
    public void close() {
        closed = true;
        Connection connection;
        while ((connection = idle.poll()) != null) {
            discard(connection);
        }
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
