package dev.assay.spec;

/**
 * A learning-rate schedule over update steps.
 *
 * <ul>
 *   <li>{@code constant}: {@code lr(t) = lr0}.
 *   <li>{@code step}: {@code lr(t) = lr0 · gamma^floor(epoch(t) / step_epochs)}.
 *   <li>{@code cosine}: {@code lr(t) = final + (lr0 - final)·(1 + cos(π·t/T))/2} over all
 *       {@code T} update steps of the trial (Loshchilov &amp; Hutter 2017, SGDR, without restarts).
 * </ul>
 *
 * @param name {@code constant} (default), {@code step} or {@code cosine}
 * @param stepEpochs for {@code step}: epochs between decays (default 1, at least 1)
 * @param gamma for {@code step}: multiplicative decay factor in (0, 1] (default 0.1)
 * @param finalLearningRate for {@code cosine}: the learning rate at the last step (default 0)
 */
public record ScheduleSpec(String name, int stepEpochs, double gamma, double finalLearningRate) {

    /** The schedule names the loader accepts. */
    public static final java.util.List<String> NAMES = java.util.List.of("constant", "step", "cosine");

    /**
     * Returns the default: a constant learning rate.
     *
     * @return the constant schedule
     */
    public static ScheduleSpec constant() {
        return new ScheduleSpec("constant", 1, 0.1, 0.0);
    }
}
