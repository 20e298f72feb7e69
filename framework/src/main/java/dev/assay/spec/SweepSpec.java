package dev.assay.spec;

import java.util.List;
import java.util.Map;

/**
 * {@code sweep}: how one experiment becomes many trials. Trials are the product of the variants
 * (each a named set of overrides, e.g. {@code none / l1 / l2 / dropout}), the points of the search
 * strategy, and {@code repeat} seeds per configuration.
 *
 * <ul>
 *   <li>{@code grid}: the Cartesian product of the {@code parameters} value lists (the last
 *       parameter varies fastest); distributions are not allowed.
 *   <li>{@code random}: {@code n_trials} points, each parameter drawn independently from its
 *       distribution or uniformly from its value list, from one {@code java.util.Random} seeded
 *       with {@code sweep.seed}: the same file proposes the same trials (Bergstra &amp; Bengio
 *       2012, "Random Search for Hyper-Parameter Optimization"). Every variant gets the same points.
 * </ul>
 *
 * @param strategy {@code grid} or {@code random}
 * @param parameters the axes: dotted path to values or a distribution, in file order
 * @param variants named override sets, in file order; empty for none
 * @param repeat seeds per configuration (≥ 1, default 1): trial seeds are
 *     {@code training.seed + 0 .. repeat-1}
 * @param trials for {@code random}: the number of points (≥ 1); 0 for {@code grid}
 * @param seed for {@code random}: the seed of the sampler (default 0)
 * @param pruner the sweep-level pruner
 */
public record SweepSpec(
        String strategy,
        Map<String, SweepAxis> parameters,
        Map<String, List<Assignment>> variants,
        int repeat,
        int trials,
        long seed,
        PrunerSpec pruner) {

    /** The strategy names. */
    public static final List<String> STRATEGIES = List.of("grid", "random");

    /**
     * Returns the sweep of a spec with no {@code sweep} section: one trial.
     *
     * @return a single-trial sweep
     */
    public static SweepSpec single() {
        return new SweepSpec("grid", Map.of(), Map.of(), 1, 0, 0, PrunerSpec.none());
    }
}
