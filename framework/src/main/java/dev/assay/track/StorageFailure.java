package dev.assay.track;

import java.sql.SQLException;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * Tells a failure to write the store's file (a full disk, an I/O error) apart from a lost
 * connection. After such a failure H2 closes the database, and every later statement fails with
 * "The object is already closed" (90007), which alone reads like a serving process that exited:
 * the store retried it for 60 s and the sweep then stopped naming only that (a sweep on a full
 * disk), not the disk. Also tells a file that cannot be read as a database at all ({@link #damage}).
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

    /**
     * Returns why the store's file cannot be read, if opening it failed on the file itself: H2's
     * 90030 "file corrupted", or an {@link MVStoreException} in the cause chain that reports a
     * corrupt file, an unsupported format or a failed read (a truncated copy, a file that is no H2
     * database). Waiting does not mend these: the store retried them for 60 s like a lock held by
     * another process, then printed H2's text.
     *
     * @param e the exception of a failed connection
     * @return H2's message of the damage, or null for any other failure
     */
    static String damage(SQLException e) {
        if (e.getErrorCode() == org.h2.api.ErrorCode.FILE_CORRUPTED_1) {
            return e.getMessage();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MVStoreException m && (m.getErrorCode() == DataUtils.ERROR_FILE_CORRUPT
                    || m.getErrorCode() == DataUtils.ERROR_UNSUPPORTED_FORMAT
                    || m.getErrorCode() == DataUtils.ERROR_READING_FAILED)) {
                return m.getMessage();
            }
        }
        return null;
    }

    /**
     * Returns why H2 could not write the store's lock file ({@code assay.lock.db}) on opening it,
     * if that is what failed: H2's 8000 "Could not save properties" with the I/O error's message
     * (e.g. "No space left on device") when the cause chain holds one. Its error code is that of a
     * race for the lock file between processes, which is waited out; this one is not mended by
     * waiting (on a full disk the reading commands retried it for 60 s).
     *
     * @param e the exception of a failed connection
     * @return the reason, or null for any other failure
     */
    static String lockFileUnwritable(SQLException e) {
        if (e.getErrorCode() != org.h2.api.ErrorCode.ERROR_OPENING_DATABASE_1
                || !String.valueOf(e.getMessage()).contains("Could not save properties")) {
            return null;
        }
        String reason = e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException && t.getMessage() != null) {
                reason = t.getMessage();
            }
        }
        return reason;
    }

    /**
     * Says what a damaged store file means for the user.
     *
     * @param url the store's JDBC URL
     * @param reason from {@link #damage}
     * @return the explanation, naming H2's recovery tool with its jar
     */
    static String explainDamage(String url, String reason) {
        String jar;
        try {
            jar = java.nio.file.Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            jar = "h2.jar";
        }
        return "the store's database file cannot be read (" + reason + "): it is damaged or is no H2 database."
                + " Restore it from a backup, or try H2's recovery tool on a copy: java -cp " + jar
                + " org.h2.tools.Recover -dir DIR -db NAME (for " + url + ")";
    }
}
