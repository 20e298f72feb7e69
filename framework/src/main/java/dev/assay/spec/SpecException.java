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
     * @param problem a sentence saying what is wrong; past {@value #MAX_PROBLEM_CHARS} characters it is
     *     cut, saying how long it was
     */
    public SpecException(SourceLocation location, String key, String problem) {
        super(location + ": " + (key.isEmpty() ? "" : key + ": ") + cut(problem));
        this.location = location;
        this.key = key;
        this.problem = cut(problem);
    }

    /** The longest problem text kept; a million-value list quoted in full made a 52-MB error line. */
    static final int MAX_PROBLEM_CHARS = 2_000;

    private static String cut(String problem) {
        return problem.length() <= MAX_PROBLEM_CHARS ? problem : problem.substring(0, MAX_PROBLEM_CHARS)
                + "… (" + String.format(java.util.Locale.ROOT, "%,d", problem.length()) + " characters in all)";
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
