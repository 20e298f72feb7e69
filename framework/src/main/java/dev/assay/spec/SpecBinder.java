package dev.assay.spec;

import dev.assay.plugin.Names;
import dev.assay.plugin.OptimizerProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import dev.assay.plugin.PluginKind;
import dev.assay.plugin.PluginProvider;
import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.TaskProvider;
import dev.assay.plugin.UnknownPluginException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a configuration tree against the spec's sections and the registered plugins' parameter
 * descriptors, and turns it into a {@link TrialConfig}. Every error names the file position, the
 * dotted key and what is wrong.
 */
public final class SpecBinder {

    /** The configuration sections of an experiment file. */
    static final List<String> SECTIONS = List.of("engine", "dataset", "model", "task", "training");

    private final PluginRegistry registry;

    /**
     * Creates a binder over the given plugins.
     *
     * @param registry the providers that names are checked against
     */
    public SpecBinder(PluginRegistry registry) {
        this.registry = registry;
    }

    /**
     * Binds the configuration sections of a tree (other top-level keys are ignored here).
     *
     * @param root the tree with {@code dataset}, {@code model}, {@code task}, {@code training} and
     *     optionally {@code engine}
     * @return the resolved configuration
     * @throws SpecException at the first problem found, a task that cannot train on the dataset or
     *     the architecture among them ({@link PluginFit})
     */
    public TrialConfig bind(SpecNode.MapNode root) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        String engine = engine(root, resolved);
        PluginRef dataset = plugin(root, "dataset", "name", PluginKind.DATASET, resolved);
        PluginRef model = plugin(root, "model", "architecture", PluginKind.ARCHITECTURE, resolved);
        PluginRef task = plugin(root, "task", "name", PluginKind.TASK, resolved);
        PluginFit.require(registry, root, dataset.name(), model.name(), task.name());
        TrainingSpec training = training(root, resolved);
        if (training.earlyStopping() != null) {
            WatchedMetrics.require(task(task.name()), task.name(), training.earlyStopping().monitor(), true,
                    training.regularization().any(), WatchedMetrics.validates(dataset.params().asMap()), root,
                    "training", "early_stopping", "monitor");
            WatchedMetrics.requireDirection(training.earlyStopping().monitor(), training.earlyStopping().mode(), root,
                    "training", "early_stopping", "monitor");
        }
        return new TrialConfig(engine, dataset, model, task, training, resolved);
    }

    /**
     * Checks the metrics the sweep section watches against the task of every trial: {@code
     * sweep.pruner.monitor} (unless the pruner is {@code none}) must be an epoch metric, and
     * {@code sweep.objective} of a {@code tpe} sweep a metric the task logs
     * ({@link TaskProvider#metrics()}).
     *
     * @param spec the experiment ({@link ExperimentSpec#file()} locates the settings)
     * @param trials the trials' bound configurations
     * @throws SpecException at the setting (or at the section whose default it is) when a trial's
     *     task does not log the metric
     */
    public void checkSweepMetrics(ExperimentSpec spec, List<TrialConfig> trials) {
        Set<List<Object>> checked = new LinkedHashSet<>();
        for (TrialConfig trial : trials) {
            String name = trial.task().name();
            boolean penalized = trial.training().regularization().any();
            boolean validated = WatchedMetrics.validates(trial.dataset().params().asMap());
            if (!checked.add(List.of(name, penalized, validated))) {
                continue;
            }
            TaskProvider task = task(name);
            PrunerSpec pruner = spec.sweep().pruner();
            if (!pruner.name().equals("none")) {
                WatchedMetrics.require(task, name, pruner.monitor(), true, penalized, validated, spec.file(),
                        "sweep", "pruner", "monitor");
                WatchedMetrics.requireDirection(pruner.monitor(), pruner.mode(), spec.file(), "sweep", "pruner", "monitor");
            }
            if (spec.sweep().strategy().equals("tpe")) {
                boolean map = spec.file().entries().get("sweep") instanceof SpecNode.MapNode sweep
                        && sweep.entries().get("objective") instanceof SpecNode.MapNode;
                String[] path = map ? new String[] {"sweep", "objective", "metric"} : new String[] {"sweep", "objective"};
                WatchedMetrics.require(task, name, spec.sweep().objective(), false, penalized, validated, spec.file(),
                        path);
                WatchedMetrics.requireDirection(spec.sweep().objective(), spec.sweep().objectiveMode(), spec.file(),
                        map ? path : new String[] {"sweep", "objective", "metric"});
            }
        }
    }

    private TaskProvider task(String name) {
        return (TaskProvider) registry.get(PluginKind.TASK, name);
    }

    private static String engine(SpecNode.MapNode root, Map<String, Object> resolved) {
        SpecNode node = root.entries().get("engine");
        String engine = (String) BuiltinFields.ENGINE.defaultValue();
        if (node != null && !isNull(node)) {
            try {
                engine = (String) BuiltinFields.ENGINE.coerce(node.toPlain());
            } catch (IllegalArgumentException e) {
                throw new SpecException(node.location(), "engine", e.getMessage());
            }
        }
        resolved.put("engine", engine);
        return engine;
    }

    private PluginRef plugin(SpecNode.MapNode root, String section, String nameKey,
            PluginKind kind, Map<String, Object> resolved) {
        SpecNode node = required(root, section, section);
        if (node instanceof SpecNode.ScalarNode s && s.value() instanceof String) {
            node = new SpecNode.MapNode(Map.of(nameKey, s), Map.of(nameKey, s.location()),
                    s.location());
        }
        SpecNode.MapNode map = asMap(node, section);
        checkKeys(map, section, List.of(nameKey, "params"));
        SpecNode nameNode = required(map, nameKey, section + "." + nameKey);
        String name = text(nameNode, section + "." + nameKey);
        PluginProvider provider = provider(kind, name, nameNode, section + "." + nameKey);
        SpecNode paramsNode = map.entries().get("params");
        SpecNode.MapNode params = paramsNode == null || isNull(paramsNode)
                ? new SpecNode.MapNode(Map.of(), Map.of(), map.location())
                : asMap(paramsNode, section + ".params");
        Params values = Params.ofResolved(
                fields(params, section + ".params", provider.parameters(), List.of()));
        provider.checkParams(values).entrySet().stream().findFirst().ifPresent(problem -> {
            String key = problem.getKey();
            throw new SpecException(params.entries().containsKey(key) ? params.entries().get(key).location()
                    : params.location(), section + ".params." + key, problem.getValue());
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(nameKey, name);
        out.put("params", values.asMap());
        resolved.put(section, out);
        return new PluginRef(name, values);
    }

    private PluginProvider provider(PluginKind kind, String name, SpecNode at, String key) {
        try {
            return registry.get(kind, name);
        } catch (UnknownPluginException e) {
            throw new SpecException(at.location(), key, e.getMessage());
        }
    }

    private TrainingSpec training(SpecNode.MapNode root, Map<String, Object> resolved) {
        SpecNode.MapNode map = asMap(required(root, "training", "training"), "training");
        Map<String, Object> t = fields(map, "training", BuiltinFields.TRAINING,
                List.of("optimizer", "regularization", "early_stopping"));
        Map<String, Object> optimizerOut = new LinkedHashMap<>();
        OptimizerSpec optimizer = optimizer(map, optimizerOut);
        SpecNode regNode = map.entries().get("regularization");
        Map<String, Object> reg = fields(optionalMap(regNode, map, "training.regularization"),
                "training.regularization", BuiltinFields.REGULARIZATION, List.of());
        Map<String, Object> out = new LinkedHashMap<>(t);
        out.put("optimizer", optimizerOut);
        out.put("regularization", reg);
        SpecNode esNode = map.entries().get("early_stopping");
        EarlyStoppingSpec earlyStopping = null;
        if (esNode != null && !isNull(esNode)) {
            SpecNode.MapNode esMap = asMap(esNode, "training.early_stopping");
            Map<String, Object> es = fields(esMap, "training.early_stopping", BuiltinFields.EARLY_STOPPING,
                    List.of(BuiltinFields.DIVERGENCE_THRESHOLD));
            Double divergence = divergenceThreshold(esMap);
            if (divergence != null) {
                es.put(BuiltinFields.DIVERGENCE_THRESHOLD, divergence);
            }
            out.put("early_stopping", es);
            earlyStopping = new EarlyStoppingSpec((String) es.get("monitor"), (String) es.get("mode"),
                    Math.toIntExact((Long) es.get("patience")), (Double) es.get("min_delta"),
                    (Boolean) es.get("restore_best_weights"), divergence);
        }
        resolved.put("training", out);
        return new TrainingSpec(
                Math.toIntExact((Long) t.get("epochs")),
                Math.toIntExact((Long) t.get("batch_size")),
                (Long) t.get("seed"),
                Math.toIntExact((Long) t.get("log_every_n_steps")),
                optimizer,
                new RegularizationSpec((Double) reg.get("l1"), (Double) reg.get("l2")),
                earlyStopping);
    }

    /**
     * {@code training.early_stopping.divergence_threshold}: a finite number, or null where absent
     * (it has no default, so it is not among {@link BuiltinFields#EARLY_STOPPING}).
     *
     * @throws SpecException at the value's line if it is not a finite number
     */
    private static Double divergenceThreshold(SpecNode.MapNode earlyStopping) {
        SpecNode node = earlyStopping.entries().get(BuiltinFields.DIVERGENCE_THRESHOLD);
        if (node == null || isNull(node)) {
            return null;
        }
        return finiteNumber(node, "training.early_stopping." + BuiltinFields.DIVERGENCE_THRESHOLD);
    }

    /**
     * Reads a value that must be a finite number (a distribution's end, the divergence threshold).
     *
     * @param node the value
     * @param key its dotted path, for the error
     * @return the number
     * @throws SpecException at the value if it is not a number or not finite
     */
    static double finiteNumber(SpecNode node, String key) {
        try {
            double d = (Double) ParamDescriptor.of(key, ParamType.DOUBLE, null, key).coerce(node.toPlain());
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("expected a finite number, got " + d);
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new SpecException(node.location(), key, e.getMessage());
        }
    }

    private OptimizerSpec optimizer(SpecNode.MapNode training, Map<String, Object> out) {
        String path = "training.optimizer";
        SpecNode node = required(training, "optimizer", path);
        if (node instanceof SpecNode.ScalarNode s && s.value() instanceof String) {
            node = new SpecNode.MapNode(Map.of("name", s), Map.of("name", s.location()),
                    s.location());
        }
        SpecNode.MapNode map = asMap(node, path);
        SpecNode nameNode = required(map, "name", path + ".name");
        String name = text(nameNode, path + ".name");
        PluginProvider provider = provider(PluginKind.OPTIMIZER, name, nameNode, path + ".name");
        List<ParamDescriptor> all = new ArrayList<>(BuiltinFields.OPTIMIZER);
        all.addAll(provider.parameters());
        Map<String, Object> values = fields(map, path, all, List.of("schedule"));
        requireFloat32(map, path, values, List.of("learning_rate", "weight_decay", "clip_gradient"));
        Map<String, Object> own = new LinkedHashMap<>(values);
        BuiltinFields.OPTIMIZER.forEach(d -> own.remove(d.name()));
        out.putAll(values);
        ScheduleSpec schedule = schedule(map, path + ".schedule", out);
        if (provider instanceof OptimizerProvider o && !o.usesLearningRate()) {
            // validated above, but no setting of this trial: not a param, not in the trial key
            out.remove("learning_rate");
            out.remove("schedule");
        }
        return new OptimizerSpec(name, (Double) values.get("learning_rate"),
                (Double) values.get("weight_decay"), (Double) values.get("clip_gradient"),
                schedule, Params.ofResolved(own));
    }

    private ScheduleSpec schedule(SpecNode.MapNode optimizer, String path, Map<String, Object> out) {
        SpecNode node = optimizer.entries().get("schedule");
        if (node instanceof SpecNode.ScalarNode s && s.value() instanceof String) {
            node = new SpecNode.MapNode(Map.of("name", s), Map.of("name", s.location()),
                    s.location());
        }
        SpecNode.MapNode map = optionalMap(node, optimizer, path);
        Map<String, Object> v = fields(map, path, BuiltinFields.SCHEDULE, List.of());
        requireUsedScheduleFields(map, path, (String) v.get("name"));
        requireFloat32(map, path, v, List.of("final_learning_rate"));
        Object base = out.get("learning_rate");
        if (v.get("name").equals("cosine") && base instanceof Double rate && (Double) v.get("final_learning_rate") > rate) {
            // accepted: the rate rose over the trial, under the name of an annealing schedule
            SpecNode last = map.entries().get("final_learning_rate");
            throw new SpecException(last != null ? last.location() : map.location(), path + ".final_learning_rate",
                    "is " + v.get("final_learning_rate") + ", above learning_rate (" + rate + "): cosine anneals from"
                            + " learning_rate down to final_learning_rate; give a final rate at most the base rate");
        }
        if (v.get("name").equals("step") && (Double) v.get("gamma") == 0.0) {
            // accepted: the learning rate became 0 at the first decay and training stopped, without a word
            SpecNode gamma = map.entries().get("gamma");
            throw new SpecException(gamma != null ? gamma.location() : map.location(), path + ".gamma",
                    "must be above 0 (the rate is multiplied by it at each decay: 0 stops training at the first);"
                            + " e.g. 0.1 or 0.5");
        }
        out.put("schedule", v);
        return new ScheduleSpec((String) v.get("name"), Math.toIntExact((Long) v.get("step_epochs")),
                (Double) v.get("gamma"), (Double) v.get("final_learning_rate"));
    }

    /**
     * Refuses a value beyond float32's range ({@link Float#MAX_VALUE}, about 3.4e38) for settings the
     * engines read as float32: {@code learning_rate: 1e39} was accepted and trained with an infinite
     * rate.
     */
    private static void requireFloat32(SpecNode.MapNode map, String path, Map<String, Object> values,
            List<String> keys) {
        for (String key : keys) {
            Object value = values.get(key);
            if (value instanceof Double d && Math.abs(d) > Float.MAX_VALUE) {
                SpecNode node = map.entries().get(key);
                throw new SpecException(node != null ? node.location() : map.location(), path + "." + key,
                        "is " + d + ", beyond float32's largest value (" + Float.MAX_VALUE + "), which the engines"
                                + " train in: it would be infinite");
            }
        }
    }

    /** The schedule fields each schedule reads; {@code name} aside. */
    private static final Map<String, List<String>> SCHEDULE_FIELDS = Map.of("constant", List.of(),
            "step", List.of("step_epochs", "gamma"), "cosine", List.of("final_learning_rate"));

    /**
     * Refuses a schedule field set in the file, to another value than its default, that the
     * schedule does not read ({@code gamma} under {@code cosine}): it changed nothing, yet it made the trial key differ, so a sweep over it
     * trained one schedule several times, each as a group of its own.
     */
    private static void requireUsedScheduleFields(SpecNode.MapNode map, String path, String name) {
        List<String> used = SCHEDULE_FIELDS.getOrDefault(name, List.of());
        for (Map.Entry<String, SpecNode> e : map.entries().entrySet()) {
            // at its default it is what every run records (show --config writes it): only another value is refused
            if (!e.getKey().equals("name") && !used.contains(e.getKey())
                    && !PluginFit.isDefault(BuiltinFields.SCHEDULE, e.getKey(), e.getValue())) {
                throw new SpecException(e.getValue().location(), path + "." + e.getKey(), "schedule '" + name
                        + "' does not use " + e.getKey() + (used.isEmpty() ? "" : " (it reads " + String.join(" and ", used)
                        + ")") + "; remove it: it changes nothing but would make runs of one schedule count as different"
                        + " trials");
            }
        }
    }

    /**
     * Checks a mapping's keys and coerces each value by its descriptor, filling defaults.
     *
     * @return coerced values in descriptor order
     */
    private static Map<String, Object> fields(SpecNode.MapNode map, String path,
            List<ParamDescriptor> descriptors, List<String> nested) {
        List<String> allowed = new ArrayList<>(descriptors.stream().map(ParamDescriptor::name).toList());
        allowed.addAll(nested);
        checkKeys(map, path, allowed);
        Map<String, Object> out = new LinkedHashMap<>();
        for (ParamDescriptor d : descriptors) {
            SpecNode node = map.entries().get(d.name());
            String key = path + "." + d.name();
            if (node != null && isNull(node)) {
                // "lr=$LR" with LR unset, or "learning_rate:" left empty, silently took the default
                throw new SpecException(node.location(), key, "has no value (empty or null); give "
                        + d.type().description() + (d.required() ? " (" + d.description() + ")"
                                : ", or leave the key out for its default (" + d.defaultValue() + ")")
                        + (d.type() == ParamType.STRING ? "; the word null as text is written \"null\" (quoted)" : ""));
            }
            if (node == null) {
                if (d.required()) {
                    throw new SpecException(map.location(), key, "required key is missing (" + d.description() + ")");
                }
                out.put(d.name(), d.defaultValue());
                continue;
            }
            try {
                out.put(d.name(), d.coerce(node.toPlain()));
            } catch (IllegalArgumentException e) {
                throw new SpecException(node.location(), key, e.getMessage());
            }
        }
        return out;
    }

    private static void checkKeys(SpecNode.MapNode map, String path, List<String> allowed) {
        for (String key : map.entries().keySet()) {
            if (!allowed.contains(key)) {
                throw new SpecException(map.keyLocation(key), path.isEmpty() ? key : path + "." + key,
                        "unknown key" + Names.didYouMean(key, allowed, ".")
                                + " Known keys here: " + String.join(", ", allowed));
            }
        }
    }

    /**
     * Binds {@code sweep.pruner}.
     *
     * @param node the pruner section, or null
     * @return the pruner ({@link PrunerSpec#none()} when absent)
     * @throws SpecException on an unknown key or a bad value
     */
    static PrunerSpec pruner(SpecNode node) {
        if (node == null || isNull(node)) {
            return PrunerSpec.none();
        }
        if (node instanceof SpecNode.ScalarNode s && s.value() instanceof String) {
            node = new SpecNode.MapNode(Map.of("name", s), Map.of("name", s.location()), s.location());
        }
        Map<String, Object> v = fields(asMap(node, "sweep.pruner"), "sweep.pruner",
                BuiltinFields.PRUNER, List.of());
        return new PrunerSpec((String) v.get("name"), (String) v.get("monitor"), (String) v.get("mode"),
                Math.toIntExact((Long) v.get("min_epochs")),
                Math.toIntExact((Long) v.get("reduction_factor")),
                Math.toIntExact((Long) v.get("min_trials")));
    }

    /**
     * Checks the top-level keys of an experiment file.
     *
     * @param root the document
     * @param allowed the allowed keys
     * @throws SpecException naming the first unknown key and the closest allowed one
     */
    static void checkTopLevel(SpecNode.MapNode root, List<String> allowed) {
        checkKeys(root, "", allowed);
    }

    /**
     * Checks the keys of a section outside the configuration (e.g. {@code sweep}).
     *
     * @param map the section
     * @param path its dotted path
     * @param allowed the allowed keys
     * @throws SpecException naming the first unknown key
     */
    static void checkTopLevelKeys(SpecNode.MapNode map, String path, List<String> allowed) {
        checkKeys(map, path, allowed);
    }

    private static SpecNode required(SpecNode.MapNode map, String key, String path) {
        SpecNode node = map.entries().get(key);
        if (node == null) {
            throw new SpecException(map.location(), path, "required key is missing");
        }
        return node;
    }

    private static SpecNode.MapNode optionalMap(SpecNode node, SpecNode.MapNode parent, String path) {
        if (node == null || isNull(node)) {
            return new SpecNode.MapNode(Map.of(), Map.of(), parent.location());
        }
        return asMap(node, path);
    }

    /**
     * Requires a mapping.
     *
     * @param node the node
     * @param path its dotted path, for the error
     * @return the node as a map
     * @throws SpecException if it is a list or scalar
     */
    static SpecNode.MapNode asMap(SpecNode node, String path) {
        if (node instanceof SpecNode.MapNode m) {
            return m;
        }
        throw new SpecException(node.location(), path, "expected a mapping (key: value lines), got "
                + describe(node));
    }

    private static String text(SpecNode node, String path) {
        if (node instanceof SpecNode.ScalarNode s && s.value() instanceof String str && !str.isBlank()) {
            return str;
        }
        throw new SpecException(node.location(), path, "expected a name, got " + describe(node));
    }

    private static boolean isNull(SpecNode node) {
        return node instanceof SpecNode.ScalarNode s && s.value() == null;
    }

    private static String describe(SpecNode node) {
        if (node instanceof SpecNode.ListNode) {
            return "a list";
        }
        if (node instanceof SpecNode.MapNode) {
            return "a mapping";
        }
        Object v = ((SpecNode.ScalarNode) node).value();
        return v == null ? "nothing" : v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }
}
