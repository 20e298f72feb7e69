package dev.assay.spec;

import dev.assay.plugin.MetricKind;
import dev.assay.plugin.Names;
import dev.assay.plugin.TaskProvider;
import java.util.List;
import java.util.Map;

/**
 * Checks, when an experiment is read, that the metrics it watches are metrics its task logs
 * ({@link TaskProvider#metrics()}): {@code training.early_stopping.monitor} and {@code
 * sweep.pruner.monitor} must be epoch metrics, {@code sweep.objective} any metric. A task that
 * declares no metrics is not checked here; the trial then fails when its first epoch ends (see
 * {@code EpochJudge}).
 */
final class WatchedMetrics {

    private WatchedMetrics() {}

    /**
     * Checks one watched metric.
     *
     * @param task the trial's task
     * @param taskName its name, for the message
     * @param metric the watched metric's name
     * @param epochOnly whether it must be logged once per epoch (a monitor) or may be any metric
     *     (an objective)
     * @param at where the name is written, or the section whose default it is
     * @param key the setting's dotted key, e.g. {@code training.early_stopping.monitor}
     * @throws SpecException at {@code at} if the task does not log the metric (or not once per
     *     epoch), naming the closest metric and all the ones that would do
     */
    static void require(TaskProvider task, String taskName, String metric, boolean epochOnly, SpecNode at,
            String key) {
        Map<String, MetricKind> declared = task.metrics();
        MetricKind kind = declared.get(metric);
        if (declared.isEmpty() || kind == MetricKind.EPOCH || (kind != null && !epochOnly)) {
            return;
        }
        List<String> allowed = declared.entrySet().stream()
                .filter(e -> !epochOnly || e.getValue() == MetricKind.EPOCH)
                .map(Map.Entry::getKey).sorted().toList();
        String problem = kind == null ? "task '" + taskName + "' logs no metric '" + metric + "'"
                : "task '" + taskName + "' logs '" + metric + "' "
                        + (kind == MetricKind.FINAL ? "once, after training" : "every few steps")
                        + ", not at the end of each epoch";
        // a test metric is logged once, after training: its validation twin is what was meant
        String twin = metric.startsWith("test_") ? "val_" + metric.substring("test_".length()) : null;
        String close = twin != null && allowed.contains(twin) ? twin : Names.closest(metric, allowed);
        throw new SpecException(at.location(), key, problem + Names.suggestion(close, ".") + " "
                + (epochOnly ? "Its epoch metrics are " : "Its metrics are ") + String.join(", ", allowed) + ".");
    }

    /**
     * Returns the node at a path, or the deepest map on it when the path ends early (where a
     * defaulted setting belongs).
     *
     * @param root the tree
     * @param path the keys
     * @return the node at {@code path}, or the last map found along it
     */
    static SpecNode at(SpecNode root, String... path) {
        SpecNode node = root;
        for (String key : path) {
            if (!(node instanceof SpecNode.MapNode map) || !map.entries().containsKey(key)) {
                return node;
            }
            node = map.entries().get(key);
        }
        return node;
    }
}
