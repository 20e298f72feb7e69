package dev.assay.track;

import java.sql.SQLException;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * Tells a failure to write the store's file (a full disk, an I/O error) apart from a lost
 * connection. After such a failure H2 closes the database, and every later statement fails with
 * "The object is already closed" (90007), which alone reads like a serving process that exited:
 * the store retried it for 60 s and the sweep then stopped naming only that (a sweep on a full
 * disk), not the disk.
 */
final class StorageFailure {

    private StorageFailure() {}

    /**
     * Returns what went wrong if {@code e} reports that H2 could not write its file: the I/O
     * error's own message (e.g. "No space left on device") when the cause chain holds it, else H2's
     * message.
     *
     * @param e a failed statement's exception (embedded: H2's {@link MVStoreException} is in the
     *     cause chain; an {@code AUTO_SERVER} client gets only its text)
     * @return the reason, or null for any other failure
     */
    static String of(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_WRITING_FAILED) {
                Throwable io = m.getCause();
                return io != null && io.getMessage() != null ? io.getMessage() : m.getMessage();
            }
        }
        return String.valueOf(e.getMessage()).contains("MVStoreException: Writing to") ? e.getMessage() : null;
    }

    /**
     * Says what a storage failure means for the user.
     *
     * @param reason from {@link #of}
     * @return the explanation, e.g. "the database could not write its file (No space left on
     *     device) and stopped; ..."
     */
    static String explain(String reason) {
        return "the database could not write its file (" + reason + ") and stopped; free disk space or choose"
                + " another --store, then run the same command again (completed trials are kept)";
    }
}
