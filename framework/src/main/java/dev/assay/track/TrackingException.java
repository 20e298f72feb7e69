package dev.assay.track;

/**
 * Thrown when the tracking database cannot be opened, migrated, read or written. The message names
 * the operation and the JDBC URL; the cause is the underlying {@link java.sql.SQLException} or
 * Flyway exception.
 */
public final class TrackingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message a whole sentence naming what failed and where
     * @param cause the underlying failure
     */
    public TrackingException(String message, Throwable cause) {
        super(message, cause);
    }
}
