package dev.assay.plugin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** When a task logs a metric ({@link TaskProvider#metrics()}). */
public enum MetricKind {
    /** At step 1 and every {@code training.log_every_n_steps} update steps, e.g. {@code batch_loss}. */
    STEP,
    /** Once at the end of each epoch, e.g. {@code val_loss}: what early stopping and pruners watch. */
    EPOCH,
    /** Once, after training, e.g. {@code test_accuracy}. */
    FINAL;

    /**
     * Builds a task's metric declaration.
     *
     * @param step the metrics logged every few steps
     * @param epoch the metrics logged once per epoch
     * @param last the metrics logged once after training
     * @return name → kind, in the order given (step, epoch, final), unmodifiable
     * @throws IllegalArgumentException if a name is given twice
     */
    public static Map<String, MetricKind> declare(List<String> step, List<String> epoch, List<String> last) {
        Map<String, MetricKind> out = new LinkedHashMap<>();
        for (MetricKind kind : values()) {
            List<String> names = kind == STEP ? step : kind == EPOCH ? epoch : last;
            for (String name : names) {
                if (out.put(name, kind) != null) {
                    throw new IllegalArgumentException("Metric '" + name + "' is declared twice.");
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
