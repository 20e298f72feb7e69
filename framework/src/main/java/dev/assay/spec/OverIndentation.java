package dev.assay.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Explains the syntax errors SnakeYAML gives for a line indented too far, and locates the line that is.
 *
 * <p>YAML takes the indentation of a key's block from its first line, so in
 *
 * <pre>
 * optimizer:
 *     name: adam          # 4 spaces in a file that indents by 2
 *   learning_rate: 0.1
 * </pre>
 *
 * SnakeYAML reports "expected &lt;block end&gt;" at the line after the over-indented one
 * ({@code learning_rate}), which lines up with nothing. When the block's first line is alone at its
 * indentation and the line SnakeYAML stopped at is indented by the step every other block of the
 * file uses (while the first line is not), the first line is the one indented too far and the error
 * is located there; otherwise it stays at SnakeYAML's line, and the message names both lines either
 * way. A key indented further than a line whose value ends there ({@code architecture: "mlp"}) is
 * said to belong to nothing; one indented further than a line with a plain value ({@code epochs: 1})
 * continues that value, where SnakeYAML's "mapping values are not allowed here" pointed at its colon
 * rather than at the line's start.
 */
final class OverIndentation {

    /** A plain key at the start of a line's text: {@code name:} or {@code name: value}. */
    private static final Pattern PLAIN_KEY = Pattern.compile("([A-Za-z0-9_.\\-]+):(\\s.*)?");

    private final List<String> lines;

    private OverIndentation(String text) {
        this.lines = text.lines().map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList();
    }

    /**
     * The error for a block whose lines are indented differently, or empty for another problem.
     *
     * @param text the YAML text that failed
     * @param e SnakeYAML's exception
     * @param source the file name for the location
     * @return the error to throw in place of SnakeYAML's
     */
    static Optional<SpecException> explain(String text, MarkedYAMLException e, String source) {
        if (e.getProblemMark() == null || e.getProblem() == null) {
            return Optional.empty();
        }
        int line = e.getProblemMark().getLine();
        int column = e.getProblemMark().getColumn();
        if (e.getProblem().startsWith("expected <block end>")) {
            return new OverIndentation(text).explain(line, column, source);
        }
        if (e.getProblem().equals("mapping values are not allowed here")) {
            return new OverIndentation(text).continued(line, column, source);
        }
        return Optional.empty();
    }

    /**
     * A key indented further than the line above, whose plain value YAML then read on into this line
     * until its ':' ({@code column}), which SnakeYAML reports at the colon.
     */
    private Optional<SpecException> continued(int line, int column, String source) {
        int above = previous(Math.min(line, lines.size()));
        if (line >= lines.size() || above < 0 || indent(line) >= column || indent(line) <= keyColumn(above)
                || opensBlock(above)) {
            return Optional.empty();
        }
        String problem = "invalid YAML: this line is indented " + indent(line) + " spaces, more than line " + (above + 1)
                + " above it (" + keyColumn(above) + "), so YAML read it as more of that line's value and found the"
                + " ':' at column " + (column + 1) + " in it; indent it like line " + (above + 1)
                + ", or quote the value if the ':' belongs to it";
        return Optional.of(new SpecException(new SourceLocation(source, line + 1, indent(line) + 1),
                path(line, above, keyColumn(above)), problem));
    }

    /** {@code stop}: the 0-based line SnakeYAML stopped at, whose first token is at {@code column}. */
    private Optional<SpecException> explain(int stop, int column, String source) {
        if (stop >= lines.size() || !isContent(stop) || indent(stop) != column) {
            return Optional.empty();
        }
        int key = stop - 1;
        while (key >= 0 && (!isContent(key) || indent(key) > column)) {
            key--;
        }
        if (key < 0 || indent(key) >= column) {
            return Optional.empty();
        }
        if (key == previous(stop) && !opensBlock(key)) {
            String problem = "invalid YAML: this line is indented " + column + " spaces, more than line " + (key + 1)
                    + " above it (" + indent(key) + "), whose value ends on that line, so this line belongs to"
                    + " nothing; indent it like line " + (key + 1) + ", or make it part of that value";
            return Optional.of(new SpecException(new SourceLocation(source, stop + 1, column + 1),
                    path(stop, key, keyColumn(key)), problem));
        }
        return key == previous(stop) || !opensBlock(key) ? Optional.empty() : underOneKey(key, stop, source);
    }

    /**
     * Lines under {@code key} whose first one ({@code next(key)}) is indented further than {@code stop}:
     * located at the first when it is alone at its indentation and {@code stop} follows the file's step
     * while it does not, else at {@code stop}.
     */
    private Optional<SpecException> underOneKey(int key, int stop, String source) {
        int first = next(key);
        int blockIndent = indent(first);
        int column = indent(stop);
        long alongside = java.util.stream.IntStream.range(first, stop)
                .filter(i -> isContent(i) && indent(i) == blockIndent).count();
        int keyColumn = keyColumn(key);
        Integer step = step(key);
        String owner = "'" + keyName(key) + "' (line " + (key + 1) + ")";
        if (alongside == 1 && step != null && column - keyColumn == step && blockIndent - keyColumn != step) {
            String problem = "invalid YAML: this line is indented " + blockIndent + " spaces, where line " + (stop + 1)
                    + " below it, under the same key " + owner + ", is indented " + column + " (this file indents"
                    + " each level by " + step + " spaces). YAML takes the indentation of the lines under a key from"
                    + " the first of them, so line " + (stop + 1) + " lines up with nothing; indent this line by "
                    + column + " spaces";
            return Optional.of(new SpecException(new SourceLocation(source, first + 1, blockIndent + 1),
                    path(first, key, keyColumn + 1), problem));
        }
        String problem = "invalid YAML: this line is indented " + column + " spaces, which lines up with nothing above"
                + " it: the lines under " + owner + " are indented " + blockIndent + " (from line " + (first + 1)
                + ") and '" + keyName(key) + "' itself " + keyColumn + ". Indent it like one of them"
                + (alongside == 1 ? ", or indent line " + (first + 1) + " like this line if that one is indented"
                + " too far" : "");
        return Optional.of(new SpecException(new SourceLocation(source, stop + 1, column + 1),
                path(stop, key, keyColumn + 1), problem));
    }

    /**
     * The indentation step of the file's other blocks (a key line's key to its block's first line), or
     * null when they disagree or there are none.
     */
    private Integer step(int except) {
        Set<Integer> steps = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            int child = next(i);
            if (i != except && isContent(i) && opensBlock(i) && child < lines.size()
                    && indent(child) > keyColumn(i)) {
                steps.add(indent(child) - keyColumn(i));
            }
        }
        return steps.size() == 1 ? steps.iterator().next() : null;
    }

    /**
     * The dotted key of a line read as under the keys above {@code from} that start left of {@code column}
     * (its own key last, when it is one), or "" where lists or keys other than plain ones make it unclear.
     */
    private String path(int line, int from, int column) {
        String own = plainKey(line);
        StringBuilder path = new StringBuilder(own == null ? "" : own);
        for (int i = from; i >= 0; i--) {
            if (!isContent(i) || indent(i) >= column) {
                continue;
            }
            String name = plainKey(i);
            if (name == null || lines.get(i).strip().startsWith("-")) {
                return "";
            }
            path.insert(0, path.length() == 0 ? name : name + ".");
            column = keyColumn(i);
            if (column == 0) {
                break;
            }
        }
        return path.toString();
    }

    /** A plain key ({@code name:} or {@code name: value}) the line starts with after any "- ", or null. */
    private String plainKey(int line) {
        Matcher m = PLAIN_KEY.matcher(lines.get(line).substring(keyColumn(line)));
        return m.matches() ? m.group(1) : null;
    }

    private String keyName(int line) {
        String key = plainKey(line);
        return key != null ? key : lines.get(line).substring(keyColumn(line)).split(":", 2)[0].strip();
    }

    /** Whether a line ends in a key whose value is the block below: {@code key:}, {@code key: |}, {@code key: >-}. */
    private boolean opensBlock(int line) {
        String code = lines.get(line).replaceFirst("\\s#.*$", "").stripTrailing();
        return code.endsWith(":") || code.matches(".*:\\s+[|>][-+0-9]*");
    }

    private int previous(int line) {
        int i = line - 1;
        while (i >= 0 && !isContent(i)) {
            i--;
        }
        return i;
    }

    private int next(int line) {
        int i = line + 1;
        while (i < lines.size() && !isContent(i)) {
            i++;
        }
        return i;
    }

    private boolean isContent(int line) {
        String stripped = lines.get(line).strip();
        return !stripped.isEmpty() && !stripped.startsWith("#");
    }

    private int indent(int line) {
        String l = lines.get(line);
        int i = 0;
        while (i < l.length() && l.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** Where a line's key starts: after its indentation and any list dashes ({@code "  - name:"}: 4). */
    private int keyColumn(int line) {
        String l = lines.get(line);
        int i = indent(line);
        while (i + 1 < l.length() && l.charAt(i) == '-' && l.charAt(i + 1) == ' ') {
            i += 2;
            while (i < l.length() && l.charAt(i) == ' ') {
                i++;
            }
        }
        return i;
    }
}
