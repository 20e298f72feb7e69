package dev.assay.plugin;

/** The four kinds of provider, with the YAML key that names one of each. */
public enum PluginKind {
    /** Dataset providers, named by {@code dataset.name}. */
    DATASET("dataset", "dataset.name", DatasetProvider.class),
    /** Architecture providers, named by {@code model.architecture}. */
    ARCHITECTURE("architecture", "model.architecture", ArchitectureProvider.class),
    /** Optimizer providers, named by {@code training.optimizer.name}. */
    OPTIMIZER("optimizer", "training.optimizer.name", OptimizerProvider.class),
    /** Task providers, named by {@code task.name}. */
    TASK("task", "task.name", TaskProvider.class);

    private final String label;
    private final String specPath;
    private final Class<? extends PluginProvider> type;

    PluginKind(String label, String specPath, Class<? extends PluginProvider> type) {
        this.label = label;
        this.specPath = specPath;
        this.type = type;
    }

    /**
     * Returns the word used in messages, e.g. "architecture".
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * Returns the dotted spec path whose value names a provider of this kind.
     *
     * @return e.g. {@code model.architecture}
     */
    public String specPath() {
        return specPath;
    }

    /**
     * Returns the provider interface.
     *
     * @return the interface class
     */
    public Class<? extends PluginProvider> type() {
        return type;
    }
}
