package dev.assay.spec;

import java.util.List;

/**
 * One value set at a dotted path, from a sweep, a variant or a command-line override.
 *
 * @param path the dotted path, e.g. {@code training.optimizer.learning_rate}
 * @param value the value, with the location it was written at
 * @param keyLocation where the path itself is written
 */
public record Assignment(String path, SpecNode value, SourceLocation keyLocation) {

    /**
     * Parses a command-line override {@code path=value}; the value is read as YAML, so
     * {@code 1e-3} is a number and {@code [256, 128]} a list.
     *
     * @param argument the argument text
     * @return the assignment
     * @throws SpecException if there is no '=', the path is not dotted identifiers, or the value
     *     is not valid YAML
     */
    public static Assignment parse(String argument) {
        return parse(argument, SourceLocation.argument(argument));
    }

    /**
     * Parses a {@code --sweep path=v1,v2,...} axis as the list {@code path=[v1,v2,...]} (so a list
     * value keeps its own brackets and commas: {@code hidden=[32,16],[64]}), located at the
     * argument as the user wrote it ({@code --sweep path=v1,v2}). {@link SpecLoader} reads the axes
     * and {@link ExperimentSpec#planNotes()} their paths with it: the notes once read the argument
     * without the brackets and failed on a list value.
     *
     * @param argument the text after {@code --sweep}
     * @return the assignment, its value a list when the argument is well formed
     * @throws SpecException as {@link #parse(String)}, at the argument
     */
    static Assignment parseAxis(String argument) {
        SourceLocation at = SourceLocation.argument("--sweep " + argument);
        try {
            return parse(argument.replaceFirst("=", "=[") + "]", at);
        } catch (SpecException e) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw e;
            }
            // SnakeYAML's message quoted "[[64,[32]]", the values as rewritten into one list, never
            // what the user wrote: say it in the argument's terms
            String values = argument.substring(eq + 1);
            String brackets = unbalanced(values, '[', ']') + unbalanced(values, '{', '}');
            throw new SpecException(at, e.key(), "cannot read '" + values + "' as comma-separated values"
                    + (brackets.isEmpty() ? ": " + e.problem().lines().filter(l -> !l.isBlank()
                            && !l.startsWith(" ")).reduce((a, b) -> b).orElse(e.problem())
                            : " (" + brackets.substring(2) + ")")
                    + "; e.g. --sweep training.batch_size=32,64, or a list per value in brackets:"
                    + " --sweep model.params.hidden=[32,16],[64]");
        }
    }

    /** {@code "; 2 '[' but 1 ']'"} when the brackets of a kind do not pair up, else "". */
    private static String unbalanced(String text, char open, char close) {
        long opened = text.chars().filter(c -> c == open).count();
        long closed = text.chars().filter(c -> c == close).count();
        return opened == closed ? "" : "; " + opened + " '" + open + "' but " + closed + " '" + close + "'";
    }

    /**
     * Parses {@code path=value} as {@link #parse(String)} does, locating it (and any error) at
     * {@code at}, e.g. the command-line argument it was rewritten from.
     *
     * @param argument the text to parse
     * @param at where it came from
     * @return the assignment
     * @throws SpecException as {@link #parse(String)}, at {@code at}
     */
    public static Assignment parse(String argument, SourceLocation at) {
        int eq = argument.indexOf('=');
        if (eq <= 0) {
            throw new SpecException(at, "", "expected an override of the form path=value, e.g. "
                    + "training.epochs=3");
        }
        String path = argument.substring(0, eq).trim();
        checkPath(path, at);
        SpecNode value;
        try {
            value = YamlTrees.parse(argument.substring(eq + 1), at.source());
        } catch (SpecException e) {
            throw new SpecException(at, path, e.problem());
        }
        return new Assignment(path, relocate(value, at), at);
    }

    /** Gives every node of a parsed argument value the argument's own location. */
    private static SpecNode relocate(SpecNode node, SourceLocation at) {
        if (node instanceof SpecNode.MapNode m) {
            java.util.Map<String, SpecNode> entries = new java.util.LinkedHashMap<>();
            java.util.Map<String, SourceLocation> keys = new java.util.LinkedHashMap<>();
            m.entries().forEach((k, v) -> {
                entries.put(k, relocate(v, at));
                keys.put(k, at);
            });
            return new SpecNode.MapNode(entries, keys, at);
        }
        if (node instanceof SpecNode.ListNode l) {
            return new SpecNode.ListNode(l.items().stream().map(i -> relocate(i, at)).toList(), at);
        }
        return new SpecNode.ScalarNode(((SpecNode.ScalarNode) node).value(), at);
    }

    /**
     * Checks that a path is dot-separated identifiers.
     *
     * @param path the path
     * @param at where it is written, for the error
     * @throws SpecException if it is not
     */
    static void checkPath(String path, SourceLocation at) {
        if (!path.matches("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*")) {
            throw new SpecException(at, path, "not a dotted path of keys (e.g. model.params.dropout)");
        }
    }

    /**
     * Returns the path split at dots.
     *
     * @return the keys
     */
    public List<String> keys() {
        return List.of(path.split("\\."));
    }

    /**
     * Applies this assignment to a tree.
     *
     * @param root the tree
     * @return a modified copy
     */
    public SpecNode applyTo(SpecNode root) {
        return root.with(keys(), value, keyLocation);
    }
}
