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
 *   <li>{@code tpe}: {@code n_trials} trials proposed one at a time by the Tree-structured Parzen
 *       Estimator ({@link dev.assay.sweep.TpeSampler}) from the finished trials' {@code objective}
 *       (the best value of an epoch metric over the run); the first {@code n_startup_trials} are
 *       random. No variants, no repeats.
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
 * @param objective for {@code tpe}: the metric whose best value a trial is judged by (default
 *     {@code val_loss})
 * @param objectiveMode {@code min}, {@code max} or {@code auto} (min for loss-like names)
 * @param startupTrials for {@code tpe}: random trials before the model is used (default 10)
 */
public record SweepSpec(
        String strategy,
        Map<String, SweepAxis> parameters,
        Map<String, List<Assignment>> variants,
        int repeat,
        int trials,
        long seed,
        PrunerSpec pruner,
        String objective,
        String objectiveMode,
        int startupTrials) {

    /** The strategy names. */
    public static final List<String> STRATEGIES = List.of("grid", "random", "tpe");

    /**
     * Returns the sweep of a spec with no {@code sweep} section: one trial.
     *
     * @return a single-trial sweep
     */
    public static SweepSpec single() {
        return new SweepSpec("grid", Map.of(), Map.of(), 1, 0, 0, PrunerSpec.none(), "val_loss",
                "auto", 10);
    }

    /**
     * Whether smaller objective values are better.
     *
     * @return true if the objective is minimized
     */
    public boolean minimizeObjective() {
        return EarlyStoppingSpec.minimize(objective, objectiveMode);
    }
}
