package dev.assay.web.api;

/**
 * An HTTP error answered as JSON: {@code {"status": 400, "error": "...", "token": ..., "position":
 * ...}}. The message is a whole sentence shown to the user.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status code to answer with. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status code, e.g. 400 or 404
     * @param message the sentence shown to the user
     */
    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * Returns a 400 Bad Request.
     *
     * @param message what was wrong with the request
     * @return the exception
     */
    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /**
     * Returns a 404 Not Found.
     *
     * @param message what was not found
     * @return the exception
     */
    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /**
     * Returns the HTTP status code.
     *
     * @return the code
     */
    public int status() {
        return status;
    }
}
