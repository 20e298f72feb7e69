package dev.assay.spec;

/**
 * {@code sweep.pruner}: stops trials that are doing worse than their peers at the same epoch,
 * recorded as {@code pruned}.
 *
 * <ul>
 *   <li>{@code median}: the median stopping rule (Golovin et al. 2017, "Google Vizier"): after
 *       {@code min_epochs}, prune a trial whose best value so far is worse than the median of the
 *       other trials' best values up to the same epoch, once at least {@code min_trials} others
 *       reached it.
 *   <li>{@code asha}: asynchronous successive halving (Li et al. 2018, "Massively Parallel
 *       Hyperparameter Tuning"): rungs at epochs {@code min_epochs · reduction_factor^k}; at a rung
 *       a trial goes on only if its value there is in the top {@code max(1, ⌊n / η⌋)} of the
 *       {@code n} trials (itself included) that reached that rung.
 * </ul>
 *
 * @param name {@code none} (default), {@code median} or {@code asha}
 * @param monitor the epoch metric compared (default {@code val_loss})
 * @param mode {@code min}, {@code max} or {@code auto} (see {@link EarlyStoppingSpec#minimize()})
 * @param minEpochs epochs before any pruning, and the first rung (≥ 1, default 1)
 * @param reductionFactor η, for {@code asha} (≥ 2, default 3)
 * @param minTrials for {@code median}: other trials needed before pruning (≥ 1, default 2)
 */
public record PrunerSpec(String name, String monitor, String mode, int minEpochs,
        int reductionFactor, int minTrials) {

    /** The pruner names. */
    public static final java.util.List<String> NAMES = java.util.List.of("none", "median", "asha");

    /**
     * Returns no pruning.
     *
     * @return the {@code none} pruner
     */
    public static PrunerSpec none() {
        return new PrunerSpec("none", "val_loss", "auto", 1, 3, 2);
    }

    /**
     * Whether smaller values of the monitored metric are better.
     *
     * @return true if smaller is better
     */
    public boolean minimize() {
        return EarlyStoppingSpec.minimize(monitor, mode);
    }
}
