package dev.assay.web.query;

/**
 * A run filter or sort field that cannot be parsed. The message is a whole sentence naming the bad
 * token and its position, meant to be shown to the user as is.
 */
public final class FilterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The offending token's text. */
    private final String token;
    /** The 0-based character position of the token in the filter. */
    private final int position;

    /**
     * Creates the exception.
     *
     * @param message the sentence shown to the user
     * @param token the offending token as written, or {@code ""} at the end of the input
     * @param position the token's 0-based character offset in the expression
     */
    public FilterException(String message, String token, int position) {
        super(message);
        this.token = token;
        this.position = position;
    }

    /**
     * Returns the offending token.
     *
     * @return the token as written, or {@code ""} when the expression ended too early
     */
    public String token() {
        return token;
    }

    /**
     * Returns where the offending token starts.
     *
     * @return the 0-based character offset
     */
    public int position() {
        return position;
    }
}
