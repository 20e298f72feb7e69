package dev.assay.track;

import java.sql.SQLException;
import java.util.regex.Pattern;
import org.h2.api.ErrorCode;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * Tells a JDBC failure that means the connection itself is gone, so that the work may be retried on
 * a fresh one: with H2's {@code AUTO_SERVER}, the process serving a store file has exited and
 * another process must take the file over (the writers' transactions and the web UI's reads
 * retry then).
 */
public final class LostConnections {

    /**
     * An {@link MVStoreException} with {@link DataUtils#ERROR_CLOSED} as an {@code AUTO_SERVER}
     * client receives it, as text only: H2 formats the store's errors "message [version/code]", e.g.
     * {@code General error: "org.h2.mvstore.MVStoreException: Transaction 1 is closed
     * [2.4.240/4]" [50000-240]}.
     */
    private static final Pattern STORE_CLOSED_TEXT =
            Pattern.compile("MVStoreException: [^\\n]*\\[[0-9.]+/" + DataUtils.ERROR_CLOSED + "]");

    private LostConnections() {}

    /**
     * Whether a failure means a lost connection: SQL state class 08 (connection exception), or
     * H2's 90067 "connection broken", 90121 "database closed", 90098 "the database has been closed"
     * or 90007 "object already closed" (a session of a server process that exited), or an I/O
     * error whose cause is an {@code EOFException} (the serving process closed the socket
     * mid-answer), or a statement cut off by the serving process closing its database: MVStore's
     * "closed" error ({@link DataUtils#ERROR_CLOSED}: "Transaction 1 is closed", "This store is
     * closed"), which the client receives as H2's general error 50000. The last was seen when four
     * sweep workers shared a fresh store and the serving one exited while another appended a
     * trial's metrics: the points were dropped and the trial failed.
     *
     * <p>A storage failure closes the database too; callers tell it apart first ({@link
     * StorageFailure}), since retrying cannot help it.
     *
     * @param e the failure
     * @return true if the work may be retried on a new connection
     */
    public static boolean isLost(SQLException e) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        if (StorageFailure.lockFileUnwritable(e) != null) {
            return false; // H2's 8000 (state 08000) for a lock file a full disk cannot take: reconnecting does not mend it
        }
        return e instanceof java.sql.SQLNonTransientConnectionException
                || e instanceof java.sql.SQLTransientConnectionException
                || (state != null && state.startsWith("08"))
                || code == ErrorCode.CONNECTION_BROKEN_1 || code == ErrorCode.DATABASE_IS_CLOSED
                || code == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN || code == ErrorCode.OBJECT_CLOSED
                || code == ErrorCode.IO_EXCEPTION_1 && String.valueOf(e.getMessage()).contains("EOFException")
                || code == ErrorCode.GENERAL_ERROR_1 && storeClosed(e);
    }

    private static boolean storeClosed(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MVStoreException m) {
                return m.getErrorCode() == DataUtils.ERROR_CLOSED;
            }
        }
        return e.getMessage() != null && STORE_CLOSED_TEXT.matcher(e.getMessage()).find();
    }

    /**
     * Whether a failure means a lost connection ({@link #isLost}) or a store file that another
     * process holds for a moment: H2's 90020 "database may be already in use" or 8000 "error
     * opening database" ("lock file recently modified"), seen while a process takes over the file
     * of one that exited; not 8000 for a lock file that cannot be written ({@link
     * StorageFailure#lockFileUnwritable}: a full disk).
     *
     * @param e the failure
     * @return true if connecting again shortly may succeed
     */
    public static boolean isLostOrTakenOver(SQLException e) {
        return isLost(e) || e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1
                || e.getErrorCode() == ErrorCode.ERROR_OPENING_DATABASE_1 && StorageFailure.lockFileUnwritable(e) == null;
    }

    /**
     * Sleeps before another attempt after a lost connection or a store file held by another
     * process: 250-1,000 ms, jittered so that processes racing for the file do not retry in step.
     * An interrupt ends the sleep early and stays set, for the caller to give up on.
     */
    public static void pauseBeforeRetry() {
        try {
            Thread.sleep(250 + java.util.concurrent.ThreadLocalRandom.current().nextLong(750));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
