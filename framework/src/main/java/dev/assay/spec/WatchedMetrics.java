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

    /** Metrics logged only with a weight penalty ({@code training.regularization}). */
    static final List<String> PENALTY_METRICS = List.of("penalty", "train_objective");

    /** The prefix of the metrics logged only with a validation split ({@code val_loss}, ...). */
    static final String VALIDATION_PREFIX = "val_";

    /** The dataset parameters that hold a validation split out of the training data. */
    static final List<String> VALIDATION_PARAMS = List.of("validation_split", "validation_fraction");

    /**
     * Whether a dataset holds a validation split out: false only when it declares one of {@link
     * #VALIDATION_PARAMS} and it is 0 (a dataset with a validation file of its own, or none of
     * those parameters, is taken to validate; its task says otherwise after epoch 1).
     *
     * @param datasetParams the dataset's resolved parameters
     * @return whether {@code val_*} metrics can be logged
     */
    static boolean validates(java.util.Map<String, Object> datasetParams) {
        return VALIDATION_PARAMS.stream().map(datasetParams::get)
                .noneMatch(v -> v instanceof Number n && n.doubleValue() == 0);
    }

    /**
     * Checks one watched metric.
     *
     * @param task the trial's task
     * @param taskName its name, for the message
     * @param metric the watched metric's name
     * @param epochOnly whether it must be logged once per epoch (a monitor) or may be any metric
     *     (an objective)
     * @param penalized whether the trial has a weight penalty, without which {@code penalty} and
     *     {@code train_objective} are not logged
     * @param validated whether the trial's dataset holds a validation split out ({@link #validates}),
     *     without which no {@code val_*} metric is logged (early stopping on {@code val_loss} with
     *     {@code validation_split: 0} failed its trial after epoch 1)
     * @param root the tree the setting is written in
     * @param path the setting's keys, e.g. {@code training, early_stopping, monitor}; where it is
     *     not written the metric is its default, and the message points at the enclosing section
     * @throws SpecException at the setting if the task does not log the metric (or not once per
     *     epoch, or not without a weight penalty or a validation split), naming the closest metric and all the ones that
     *     would do
     */
    static void require(TaskProvider task, String taskName, String metric, boolean epochOnly, boolean penalized,
            boolean validated, SpecNode root, String... path) {
        Map<String, MetricKind> declared = task.metrics();
        MetricKind kind = declared.get(metric);
        boolean missingPenalty = !penalized && PENALTY_METRICS.contains(metric);
        boolean missingValidation = !validated && kind != null && metric.startsWith(VALIDATION_PREFIX);
        if (declared.isEmpty() || (!missingPenalty && !missingValidation
                && (kind == MetricKind.EPOCH || (kind != null && !epochOnly)))) {
            return;
        }
        List<String> allowed = declared.entrySet().stream()
                .filter(e -> !epochOnly || e.getValue() == MetricKind.EPOCH)
                .map(Map.Entry::getKey)
                .filter(name -> penalized || !PENALTY_METRICS.contains(name))
                .filter(name -> validated || !name.startsWith(VALIDATION_PREFIX))
                .sorted().toList();
        List<SpecNode> walked = walk(root, path);
        SpecNode at = walked.get(walked.size() - 1);
        String named = "'" + metric + "'" + (walked.size() > path.length ? "" : " (the default)");
        String problem = kind == null ? "task '" + taskName + "' logs no metric " + named
                : missingPenalty ? named + " is logged only with a weight penalty (training.regularization.l1"
                        + " or l2 above 0), and this trial has none"
                : missingValidation ? named + " is logged only with a validation split, and this trial's dataset"
                        + " holds none out (its validation_split is 0)"
                : "task '" + taskName + "' logs " + named + " "
                        + (kind == MetricKind.FINAL ? "once, after training" : "every few steps")
                        + ", not at the end of each epoch";
        String twin = Names.validationTwin(metric, allowed);
        String close = twin != null ? twin : missingPenalty || missingValidation ? null : Names.closest(metric, allowed);
        throw new SpecException(at.location(), String.join(".", path), problem + Names.suggestion(close, ".")
                + " " + (epochOnly ? "Its epoch metrics are " : "Its metrics are ") + String.join(", ", allowed)
                + ".");
    }

    /**
     * Checks that {@code mode: auto} can tell which way a watched metric improves: a name with no
     * known part ({@link MetricDirection#UNKNOWN}, e.g. a plugin task's {@code val_r2} or a GAN's
     * {@code d_real}) was maximized, so early stopping, a pruner or TPE on a plugin's {@code
     * val_mae} stopped, pruned and searched the wrong way (found by a new-user check).
     *
     * @param metric the watched metric
     * @param mode its {@code mode} setting
     * @param root the tree the setting is written in
     * @param path the metric setting's keys, as for {@link #require}
     * @throws SpecException at the setting when the mode is {@code auto} and the name tells no
     *     direction, saying to set {@code min} or {@code max}
     */
    static void requireDirection(String metric, String mode, SpecNode root, String... path) {
        if (!mode.equals("auto") || MetricDirection.of(metric) != MetricDirection.UNKNOWN) {
            return;
        }
        List<SpecNode> walked = walk(root, path);
        String[] modePath = path.clone();
        modePath[modePath.length - 1] = "mode";
        throw new SpecException(walked.get(walked.size() - 1).location(), String.join(".", path), "mode: auto cannot"
                + " tell from the name '" + metric + "' whether smaller or larger is better (smaller: names with "
                + String.join(", ", MetricDirection.LOWER_PARTS) + "; larger: "
                + String.join(", ", MetricDirection.HIGHER_PARTS) + "); set " + String.join(".", modePath)
                + ": min or max");
    }

    /**
     * Walks a path as far as it is written: to the node at the path, or to the deepest node on it
     * where the path ends early (the section a defaulted setting belongs to).
     *
     * @param root the tree
     * @param path the keys
     * @return the nodes passed, {@code root} first; one more than {@code path.length} when the
     *     whole path is written
     */
    private static List<SpecNode> walk(SpecNode root, String... path) {
        List<SpecNode> nodes = new java.util.ArrayList<>(List.of(root));
        for (String key : path) {
            if (!(nodes.get(nodes.size() - 1) instanceof SpecNode.MapNode map) || !map.entries().containsKey(key)) {
                break;
            }
            nodes.add(map.entries().get(key));
        }
        return nodes;
    }
}
