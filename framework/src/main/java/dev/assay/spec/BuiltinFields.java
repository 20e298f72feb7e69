package dev.assay.spec;

import static dev.assay.plugin.ParamType.BOOLEAN;
import static dev.assay.plugin.ParamType.DOUBLE;
import static dev.assay.plugin.ParamType.INT;
import static dev.assay.plugin.ParamType.LONG;
import static dev.assay.plugin.ParamType.STRING;

import dev.assay.plugin.ParamDescriptor;
import java.util.List;

/**
 * The fields of the spec's own sections, described like plugin parameters so one binder checks
 * both and {@code assay plugins} can list them.
 */
public final class BuiltinFields {

    /**
     * The top-level {@code engine} field: the DJL engine a trial trains on, {@code mxnet}
     * (default) or {@code pytorch}. A process loads one engine, so the CLI starts one process per
     * engine when a sweep needs both.
     */
    static final ParamDescriptor ENGINE = ParamDescriptor.of("engine", STRING, "mxnet",
            "deep learning engine the trials run on").choices("mxnet", "pytorch");

    static final List<ParamDescriptor> TRAINING = List.of(
            ParamDescriptor.of("epochs", INT, null, "passes over the training split")
                    .range(1, Double.NaN),
            ParamDescriptor.of("batch_size", INT, 128L, "samples per batch").range(1, Double.NaN),
            ParamDescriptor.of("seed", LONG, 42L, "trial seed (repeat r uses seed + r)"),
            ParamDescriptor.of("log_every_n_steps", INT, 20L,
                    "log the training loss every N update steps").range(1, Double.NaN));

    static final List<ParamDescriptor> OPTIMIZER = List.of(
            ParamDescriptor.of("name", STRING, null, "registered optimizer name"),
            ParamDescriptor.of("learning_rate", DOUBLE, 1.0e-3, "base learning rate: a schedule's value at step 0 (the first update is step 1, as DJL counts)")
                    .range(0, Double.NaN),
            ParamDescriptor.of("weight_decay", DOUBLE, 0.0,
                    "the optimizer's own weight decay (decoupled for adamw)").range(0, Double.NaN),
            ParamDescriptor.of("clip_gradient", DOUBLE, 0.0,
                    "clip gradient elements to [-c, c]; 0 = off").range(0, Double.NaN));

    static final List<ParamDescriptor> SCHEDULE = List.of(
            ParamDescriptor.of("name", STRING, "constant", "learning-rate schedule")
                    .choices(ScheduleSpec.NAMES.toArray(String[]::new)),
            ParamDescriptor.of("step_epochs", INT, 1L, "step: epochs between decays")
                    .range(1, Double.NaN),
            ParamDescriptor.of("gamma", DOUBLE, 0.1, "step: decay factor").range(0, 1),
            ParamDescriptor.of("final_learning_rate", DOUBLE, 0.0, "cosine: learning rate at the end")
                    .range(0, Double.NaN));

    static final List<ParamDescriptor> REGULARIZATION = List.of(
            ParamDescriptor.of("l1", DOUBLE, 0.0, "L1 penalty l1*sum|w| over weights")
                    .range(0, Double.NaN),
            ParamDescriptor.of("l2", DOUBLE, 0.0, "L2 penalty (l2/2)*sum w^2 over weights")
                    .range(0, Double.NaN));

    static final List<ParamDescriptor> EARLY_STOPPING = List.of(
            ParamDescriptor.of("monitor", STRING, "val_loss", "epoch metric to watch"),
            ParamDescriptor.of("mode", STRING, "auto", "min, max, or auto (min for loss-like names)")
                    .choices("auto", "min", "max"),
            ParamDescriptor.of("patience", INT, 3L, "epochs without improvement before stopping")
                    .range(1, Double.NaN),
            ParamDescriptor.of("min_delta", DOUBLE, 0.0, "smallest change that counts as better")
                    .range(0, Double.NaN),
            ParamDescriptor.of("restore_best_weights", BOOLEAN, false,
                    "test with the best epoch's weights, not the last's"));

    /**
     * {@code training.early_stopping.divergence_threshold}: optional, with no default (no check),
     * so it is read on its own ({@link EarlyStoppingSpec#divergenceThreshold()}).
     */
    static final String DIVERGENCE_THRESHOLD = "divergence_threshold";

    static final List<ParamDescriptor> PRUNER = List.of(
            ParamDescriptor.of("name", STRING, "none", "sweep pruner")
                    .choices(PrunerSpec.NAMES.toArray(String[]::new)),
            ParamDescriptor.of("monitor", STRING, "val_loss", "epoch metric compared"),
            ParamDescriptor.of("mode", STRING, "auto", "min, max, or auto (min for loss-like names)")
                    .choices("auto", "min", "max"),
            ParamDescriptor.of("min_epochs", INT, 1L, "epochs before pruning; first ASHA rung")
                    .range(1, Double.NaN),
            ParamDescriptor.of("reduction_factor", INT, 3L, "asha: keep the top 1/eta at each rung")
                    .range(2, Double.NaN),
            ParamDescriptor.of("min_trials", INT, 2L, "median: other trials needed before pruning")
                    .range(1, Double.NaN));

    private BuiltinFields() {}

    /**
     * Returns the built-in fields that have no default (absent means off), by section, as help
     * lines: {@code name (type, no default): what it does}. They are read on their own, not through
     * {@link #sections()}'s descriptors, whose fields all have a default or are required.
     *
     * @return dotted section path to its help lines
     */
    public static java.util.Map<String, List<String>> withoutDefault() {
        return java.util.Map.of("training.early_stopping", List.of(DIVERGENCE_THRESHOLD + " (double, no default):"
                + " a monitor value beyond it (above when minimized, below when maximized) records the trial diverged"));
    }

    /**
     * Returns the built-in sections and their fields, for help output; {@code (top level)} holds
     * the fields written at the root of the file ({@code engine}). The optimizer section
     * also accepts the chosen optimizer's own parameters.
     *
     * @return dotted section path to its fields, in file order
     */
    public static java.util.Map<String, List<ParamDescriptor>> sections() {
        java.util.Map<String, List<ParamDescriptor>> out = new java.util.LinkedHashMap<>();
        out.put("(top level)", List.of(ENGINE));
        out.put("training", TRAINING);
        out.put("training.optimizer", OPTIMIZER);
        out.put("training.optimizer.schedule", SCHEDULE);
        out.put("training.regularization", REGULARIZATION);
        out.put("training.early_stopping", EARLY_STOPPING);
        out.put("sweep.pruner", PRUNER);
        return out;
    }
}
