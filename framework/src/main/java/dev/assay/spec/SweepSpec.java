package dev.assay.spec;

import java.util.List;
import java.util.Map;

/**
 * {@code sweep}: how one experiment becomes many trials. Trials are the product of the variants
 * (each a named set of overrides, e.g. {@code none / l1 / l2 / dropout}), the grid over
 * {@code parameters} (Cartesian product; the last parameter varies fastest) and {@code repeat}
 * seeds per configuration.
 *
 * @param strategy {@code grid} (the only strategy so far)
 * @param parameters grid axes: dotted path to the values it takes, in file order
 * @param variants named override sets, in file order; empty for none
 * @param repeat seeds per configuration (≥ 1, default 1): trial seeds are
 *     {@code training.seed + 0 .. repeat-1}
 */
public record SweepSpec(
        String strategy,
        Map<String, List<SpecNode>> parameters,
        Map<String, List<Assignment>> variants,
        int repeat) {

    /**
     * Returns the sweep of a spec with no {@code sweep} section: one trial.
     *
     * @return a single-trial sweep
     */
    public static SweepSpec single() {
        return new SweepSpec("grid", Map.of(), Map.of(), 1);
    }
}
