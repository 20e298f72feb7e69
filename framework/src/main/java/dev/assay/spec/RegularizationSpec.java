package dev.assay.spec;

/**
 * {@code training.regularization}: penalties added to the loss, over weight arrays only (never
 * biases or normalization parameters).
 *
 * <p>Penalty in the loss: {@code l1·Σ|w| + (l2/2)·Σw²}. Its L2 gradient {@code l2·w} is what
 * {@code training.optimizer.weight_decay} adds to every parameter's gradient (biases included)
 * for every optimizer but {@code adamw}, so the two are the same coupled decay up to the biases,
 * with adaptive optimizers (Adam, RMSProp) too: there both are rescaled per weight like any other
 * gradient, so large-gradient weights are decayed less (Loshchilov &amp; Hutter 2019, "Decoupled
 * Weight Decay Regularization", ICLR). For decoupled decay, use {@code
 * training.optimizer.weight_decay} with {@code adamw}.
 *
 * @param l1 λ₁ of the L1 penalty {@code λ₁·Σ|w|} (default 0); must be ≥ 0
 * @param l2 λ₂ of the L2 penalty {@code (λ₂/2)·Σw²} (default 0); must be ≥ 0
 */
public record RegularizationSpec(double l1, double l2) {

    /**
     * Whether any penalty is active.
     *
     * @return true if l1 or l2 is positive
     */
    public boolean any() {
        return l1 > 0 || l2 > 0;
    }
}
