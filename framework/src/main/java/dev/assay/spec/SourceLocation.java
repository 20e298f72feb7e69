package dev.assay.spec;

/**
 * Where a value came from: a file position or a command-line argument.
 *
 * @param source the file path as given, or a description such as {@code argument 'a.b=1'}
 * @param line 1-based line, or 0 when not from a file
 * @param column 1-based column, or 0 when not from a file
 */
public record SourceLocation(String source, int line, int column) {

    /**
     * Creates a location for a command-line argument.
     *
     * @param argument the argument text
     * @return the location
     */
    public static SourceLocation argument(String argument) {
        return new SourceLocation("argument '" + argument + "'", 0, 0);
    }

    /** Formats as {@code file:line:column}, or just the source when there is no position. */
    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }
}
