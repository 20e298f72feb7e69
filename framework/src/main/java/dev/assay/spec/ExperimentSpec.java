package dev.assay.spec;

import java.util.List;

/**
 * An experiment file after parsing and structural checks: its name, the base configuration tree
 * (overrides from the command line not yet applied), the sweep, and the overrides.
 *
 * @param name the experiment name (groups runs in the store)
 * @param description free text, may be empty
 * @param base the configuration sections ({@code dataset}, {@code model}, {@code task},
 *     {@code training}) as a located tree
 * @param sweep the sweep
 * @param overrides command-line overrides, applied after the sweep's values (they win)
 * @param source the file path as given
 * @param arguments the command-line arguments that shaped this spec, as given: overrides
 *     ({@code path=value}) and sweep axes ({@code --sweep path=v1,v2}); recorded with each run so
 *     that {@code assay resume} can plan the same trials again
 * @param file the whole file as a located tree, after the command-line overrides of {@code name},
 *     {@code description} and {@code sweep.*}: where settings outside the configuration sections
 *     are written, for error messages
 */
public record ExperimentSpec(
        String name,
        String description,
        SpecNode.MapNode base,
        SweepSpec sweep,
        List<Assignment> overrides,
        String source,
        Arguments arguments,
        SpecNode.MapNode file) {

    /**
     * What the command line changes in the file's sweep that the user may not expect, one sentence
     * each, for {@code assay run} to print before it plans: a {@code --sweep} on a path the file's
     * {@code sweep.parameters} already sweeps replaces that axis, and one above a swept path removes
     * that axis; a path given to {@code --sweep}
     * twice keeps the last; a {@code --sweep} value wins over the value a variant sets on that
     * path; an override ({@code path=value}) on a swept path, or above it, removes the axis; an
     * override of one path given twice keeps the last. Each
     * of these ran fewer or other trials than the file and the command line seemed to ask for,
     * without a word.
     *
     * @return the notes, in argument order; empty when nothing is replaced
     */
    public List<String> planNotes() {
        List<String> notes = new java.util.ArrayList<>();
        java.util.Map<String, SourceLocation> fileAxes = new java.util.LinkedHashMap<>();
        if (file != null && file.entries().get("sweep") instanceof SpecNode.MapNode sweepNode
                && sweepNode.entries().get("parameters") instanceof SpecNode.MapNode parameters) {
            fileAxes.putAll(parameters.keyLocations());
        }
        java.util.Set<String> given = new java.util.HashSet<>();
        for (String argument : arguments.sweeps()) {
            String path = Assignment.parseAxis(argument).path(); // as SpecLoader read it (it refused a malformed one)
            if (!given.add(path)) {
                notes.add("--sweep " + path + " is given more than once: the last one is used");
                continue;
            }
            if (fileAxes.containsKey(path)) {
                notes.add("--sweep " + path + " replaces the file's axis on that path (" + fileAxes.get(path) + ")");
            }
            fileAxes.forEach((axis, at) -> {
                if (axis.startsWith(path + ".")) {
                    notes.add("--sweep " + path + " removes the file's axis " + axis + " (" + at + "): every trial"
                            + " takes " + axis + " from the --sweep values");
                }
            });
            List<String> setBy = sweep.variants().entrySet().stream()
                    .filter(v -> v.getValue().stream().anyMatch(a -> a.path().equals(path)))
                    .map(java.util.Map.Entry::getKey).toList();
            if (!setBy.isEmpty()) {
                notes.add("--sweep " + path + " also sets what variant(s) " + String.join(", ", setBy)
                        + " set on that path: the --sweep values win");
            }
        }
        java.util.Map<String, Assignment> lastOverride = new java.util.LinkedHashMap<>();
        java.util.Set<String> repeated = new java.util.LinkedHashSet<>();
        for (Assignment o : overrides) {
            if (lastOverride.put(o.path(), o) != null) {
                repeated.add(o.path());
            }
        }
        repeated.forEach(path -> notes.add("the override " + path + " is given more than once: the last one, " + path + "="
                + lastOverride.get(path).value().toPlain() + ", is used"));
        for (Assignment o : overrides) {
            sweep.parameters().forEach((path, axis) -> {
                if (path.equals(o.path()) || path.startsWith(o.path() + ".")) {
                    notes.add("the override " + o.path() + "=" + o.value().toPlain() + " removes the sweep's axis "
                            + path + " (" + axis.keyLocation() + "): every trial takes the override");
                }
            });
        }
        // an override wins over the variants too: training.optimizer.learning_rate=0.5 replaced every
        // variant's learning rate without a word, and the plan's column for it disappeared
        lastOverride.values().forEach(o -> {
            List<String> setBy = sweep.variants().entrySet().stream()
                    .filter(v -> v.getValue().stream().anyMatch(a -> a.path().equals(o.path())
                            || a.path().startsWith(o.path() + ".")))
                    .map(java.util.Map.Entry::getKey).toList();
            if (!setBy.isEmpty()) {
                notes.add("the override " + o.path() + "=" + o.value().toPlain() + " replaces what variant(s) "
                        + String.join(", ", setBy) + " set on that path: every trial takes the override");
            }
        });
        return notes;
    }

    /**
     * Command-line arguments, as given.
     *
     * @param overrides {@code path=value} overrides
     * @param sweeps {@code path=v1,v2,...} grid axes added or replaced from the command line
     */
    public record Arguments(List<String> overrides, List<String> sweeps) {

        /** Copies the lists. */
        public Arguments {
            overrides = List.copyOf(overrides);
            sweeps = List.copyOf(sweeps);
        }

        /**
         * Returns no arguments.
         *
         * @return empty arguments
         */
        public static Arguments none() {
            return new Arguments(List.of(), List.of());
        }
    }
}
