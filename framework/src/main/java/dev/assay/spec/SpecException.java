package dev.assay.spec;

/**
 * A problem in an experiment file or override: what is wrong, at which key, and where. The message
 * reads {@code file:line:column: key.path: problem}.
 */
public final class SpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient SourceLocation location;
    /** The dotted key of the offending value. */
    private final String key;
    /** What is wrong with it, without the location. */
    private final String problem;

    /**
     * Creates the exception.
     *
     * @param location where the bad value or key is
     * @param key the dotted key path, or "" for the whole document
     * @param problem a sentence saying what is wrong
     */
    public SpecException(SourceLocation location, String key, String problem) {
        super(location + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
        this.location = location;
        this.key = key;
        this.problem = problem;
    }

    /**
     * Returns where the problem is.
     *
     * @return the location
     */
    public SourceLocation location() {
        return location;
    }

    /**
     * Returns the dotted key path of the bad entry.
     *
     * @return the key, or ""
     */
    public String key() {
        return key;
    }

    /**
     * Returns what is wrong, without the location and key.
     *
     * @return the problem
     */
    public String problem() {
        return problem;
    }
}
