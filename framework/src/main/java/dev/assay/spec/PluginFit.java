package dev.assay.spec;

import ai.djl.nn.Block;
import dev.assay.data.LoadedDataset;
import dev.assay.plugin.ArchitectureProvider;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.PluginKind;
import dev.assay.plugin.PluginProvider;
import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.TaskProvider;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Checks, when an experiment is read, that its task can train on its dataset and its
 * architecture: the data type the dataset declares ({@link DatasetProvider#dataType()}) must be
 * the one the task trains on ({@link TaskProvider#dataType()}), and the block type the
 * architecture declares ({@link ArchitectureProvider#blockType()}) the one it trains ({@link
 * TaskProvider#blockType()}). Without it, {@code task: language_model} over {@code fashion-mnist}
 * was accepted by the dry run, and every trial of the sweep loaded its data and failed at once.
 * A dataset or architecture that declares nothing ({@link LoadedDataset}, {@link Block}) fits
 * every task here, and is checked by the task when the trial starts.
 */
final class PluginFit {

    private PluginFit() {}

    /**
     * Refuses a dataset or architecture the task cannot train on.
     *
     * @param registry the plugins
     * @param root the experiment's tree (locates the names)
     * @param dataset the dataset's name
     * @param architecture the architecture's name
     * @param task the task's name
     * @throws SpecException at {@code dataset.name} or {@code model.architecture}, saying what the
     *     task needs and which registered plugins provide it, or at a {@code model.params} key the
     *     task does not use
     */
    static void require(PluginRegistry registry, SpecNode.MapNode root, String dataset, String architecture,
            String task) {
        TaskProvider t = registry.get(PluginKind.TASK, task);
        DatasetProvider d = registry.get(PluginKind.DATASET, dataset);
        if (d.dataType() != LoadedDataset.class && !t.dataType().isAssignableFrom(d.dataType())) {
            throw new SpecException(nameNode(root, "dataset", "name").location(), "dataset.name",
                    "task '" + task + "' trains on " + t.dataType().getSimpleName() + ", but dataset '"
                            + dataset + "' loads " + d.dataType().getSimpleName() + "; datasets that load "
                            + t.dataType().getSimpleName() + ": " + fitting(registry, PluginKind.DATASET,
                                    p -> t.dataType().isAssignableFrom(((DatasetProvider) p).dataType())));
        }
        requireUsed(registry, root, t, task, architecture);
        ArchitectureProvider a = registry.get(PluginKind.ARCHITECTURE, architecture);
        if (a.blockType() != Block.class && !t.blockType().isAssignableFrom(a.blockType())) {
            throw new SpecException(nameNode(root, "model", "architecture").location(), "model.architecture",
                    "task '" + task + "' trains a model of type " + t.blockType().getSimpleName()
                            + ", but architecture '" + architecture + "' builds " + a.blockType().getSimpleName()
                            + "; architectures that build one: "
                            + fitting(registry, PluginKind.ARCHITECTURE,
                                    p -> t.blockType().isAssignableFrom(((ArchitectureProvider) p).blockType())));
        }
        Class<?> refused = refusedBy(t, a.blockType());
        if (refused != null) {
            throw new SpecException(nameNode(root, "model", "architecture").location(), "model.architecture",
                    "task '" + task + "' cannot train architecture '" + architecture + "' (it builds a block of type "
                            + refused.getSimpleName() + "); architectures that fit: "
                            + fitting(registry, PluginKind.ARCHITECTURE, p -> {
                                Class<?> type = ((ArchitectureProvider) p).blockType();
                                return refusedBy(t, type) == null
                                        && (type == Block.class || t.blockType().isAssignableFrom(type));
                            }));
        }
    }

    /** The type of {@link TaskProvider#refusedBlockTypes()} that {@code blockType} is, or null. */
    private static Class<?> refusedBy(TaskProvider t, Class<?> blockType) {
        return t.refusedBlockTypes().stream().filter(r -> r.isAssignableFrom(blockType)).findFirst().orElse(null);
    }

    /**
     * Refuses a {@code model.params} key the task does not use ({@link TaskProvider#unusedModelParams()})
     * set to another value than its default.
     */
    private static void requireUsed(PluginRegistry registry, SpecNode.MapNode root, TaskProvider t, String task,
            String architecture) {
        if (t.unusedModelParams().isEmpty() && t.refusedModelParams().isEmpty()
                || !(root.entries().get("model") instanceof SpecNode.MapNode model)
                || !(model.entries().get("params") instanceof SpecNode.MapNode params)) {
            return;
        }
        List<ParamDescriptor> declared = registry.<ArchitectureProvider>get(PluginKind.ARCHITECTURE, architecture)
                .parameters();
        for (String key : t.unusedModelParams()) {
            SpecNode node = params.entries().get(key);
            // at its default it is what every run records (show --config writes it): only another value is refused
            if (node != null && !isDefault(declared, key, node)) {
                throw new SpecException(node.location(), "model.params." + key, "task '" + task + "' does not use"
                        + " the " + key + " of architecture '" + architecture + "': it has no effect on the model,"
                        + " yet it would make runs of one model count as different trials; remove it");
            }
        }
        for (Map.Entry<String, String> refused : new java.util.TreeMap<>(t.refusedModelParams()).entrySet()) {
            SpecNode node = params.entries().get(refused.getKey());
            if (node != null && !isDefault(declared, refused.getKey(), node)) {
                throw new SpecException(node.location(), "model.params." + refused.getKey(), "task '" + task
                        + "' cannot train architecture '" + architecture + "' with " + refused.getKey() + ": "
                        + node.toPlain() + ": " + refused.getValue());
            }
        }
    }

    /**
     * Whether a value in the file is its parameter's default (an unknown key or a value that does
     * not coerce is not; those are reported where the parameters are bound).
     *
     * @param declared the parameters
     * @param key the parameter's name
     * @param node its value in the file
     * @return true if it coerces to the declared default
     */
    static boolean isDefault(List<ParamDescriptor> declared, String key, SpecNode node) {
        for (ParamDescriptor d : declared) {
            if (d.name().equals(key)) {
                try {
                    return d.defaultValue() != null && d.defaultValue().equals(d.coerce(node.toPlain()));
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** The names of the registered plugins of a kind that fit, or "none registered". */
    private static String fitting(PluginRegistry registry, PluginKind kind, Predicate<PluginProvider> fits) {
        List<String> names = registry.providers(kind).entrySet().stream()
                .filter(e -> fits.test(e.getValue())).map(Map.Entry::getKey).sorted().toList();
        return names.isEmpty() ? "none registered" : String.join(", ", names);
    }

    /** The node of a section's plugin name: {@code section.key}, or the section itself when it is a bare name. */
    private static SpecNode nameNode(SpecNode.MapNode root, String section, String key) {
        SpecNode node = root.entries().get(section);
        if (node instanceof SpecNode.MapNode map && map.entries().get(key) != null) {
            return map.entries().get(key);
        }
        return node != null ? node : root;
    }
}
