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
     * Command-line arguments, as given.
     *
     * @param overrides {@code path=value} overrides
     * @param sweeps {@code path=v1,v2,...} grid axes added or replaced from the command line
     */
    /**
     * The grid axes of the file that {@code --sweep} arguments replace (a {@code --sweep} on a path
     * the file's {@code sweep.parameters} already sweeps replaces that axis; on any other path it
     * adds one), so the command line can say so rather than run fewer trials silently.
     *
     * @return each replaced axis's path mapped to where the file sweeps it, in argument order;
     *     empty when no argument replaces an axis
     */
    public java.util.Map<String, SourceLocation> axesReplacedBySweepArguments() {
        java.util.Map<String, SourceLocation> replaced = new java.util.LinkedHashMap<>();
        if (file == null || !(file.entries().get("sweep") instanceof SpecNode.MapNode sweepNode)
                || !(sweepNode.entries().get("parameters") instanceof SpecNode.MapNode parameters)) {
            return replaced;
        }
        for (String argument : arguments.sweeps()) {
            String path = Assignment.parse(argument).path(); // as SpecLoader read it (it refused a malformed one)
            if (parameters.entries().containsKey(path)) {
                replaced.put(path, parameters.keyLocations().get(path));
            }
        }
        return replaced;
    }

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
