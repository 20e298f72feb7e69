package dev.assay.track;

import java.sql.SQLException;

/**
 * Tells a JDBC failure that means the connection itself is gone, so that the work may be retried on
 * a fresh one: with H2's {@code AUTO_SERVER}, the process serving a store file has exited and
 * another process must take the file over (the writers' transactions and the web UI's reads
 * retry then).
 */
public final class LostConnections {

    private LostConnections() {}

    /**
     * Whether a failure means a lost connection: SQL state class 08 (connection exception), or
     * H2's 90067 "connection broken", 90121 "database closed" or 90007 "object already closed" (a
     * session of a server process that exited), or an I/O error whose cause is an {@code
     * EOFException} (the serving process closed the socket mid-answer).
     *
     * @param e the failure
     * @return true if the work may be retried on a new connection
     */
    public static boolean isLost(SQLException e) {
        String state = e.getSQLState();
        return e instanceof java.sql.SQLNonTransientConnectionException
                || e instanceof java.sql.SQLTransientConnectionException
                || (state != null && state.startsWith("08"))
                || e.getErrorCode() == 90067 || e.getErrorCode() == 90121
                || e.getErrorCode() == 90007
                || e.getErrorCode() == org.h2.api.ErrorCode.IO_EXCEPTION_1
                        && String.valueOf(e.getMessage()).contains("EOFException");
    }

    /**
     * Whether a failure means a lost connection ({@link #isLost}) or a store file that another
     * process holds for a moment: H2's 90020 "database may be already in use" or 8000 "error
     * opening database" ("lock file recently modified"), seen while a process takes over the file
     * of one that exited.
     *
     * @param e the failure
     * @return true if connecting again shortly may succeed
     */
    public static boolean isLostOrTakenOver(SQLException e) {
        return isLost(e) || e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1
                || e.getErrorCode() == org.h2.api.ErrorCode.ERROR_OPENING_DATABASE_1;
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
