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
 */
public record ExperimentSpec(
        String name,
        String description,
        SpecNode.MapNode base,
        SweepSpec sweep,
        List<Assignment> overrides,
        String source) {}
