package dev.assay.plugin;

import java.util.List;

/** Thrown when a spec names a provider that no loaded plugin registered. */
public final class UnknownPluginException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The kind of provider looked up. */
    private final PluginKind kind;
    /** The name no plugin registered. */
    private final String name;
    /** The names registered for that kind, sorted. */
    private final List<String> known;

    /**
     * Creates the exception; its message names the unknown name, the closest match and all names.
     *
     * @param kind the kind looked up
     * @param name the name not found
     * @param known the names that exist, sorted
     */
    public UnknownPluginException(PluginKind kind, String name, List<String> known) {
        this(kind, name, known, List.of());
    }

    /**
     * Creates the exception for a lookup in a registry loaded with a plugin path.
     *
     * @param kind the kind looked up
     * @param name the name not found
     * @param known the names that exist, sorted
     * @param pluginPath the plugin path the registry was loaded with; empty if none: the message then
     *     says how to load a plugin, else that none on the path registers the name
     */
    public UnknownPluginException(PluginKind kind, String name, List<String> known, List<java.nio.file.Path> pluginPath) {
        super(message(kind, name, known, pluginPath));
        this.kind = kind;
        this.name = name;
        this.known = List.copyOf(known);
    }

    private static String message(PluginKind kind, String name, List<String> known, List<java.nio.file.Path> pluginPath) {
        String close = Names.didYouMean(name, known, ".");
        // a name close to none is most likely a plugin's that was not loaded (found by a fresh-clone check);
        // with a plugin path given, the advice to give one read as if it had been ignored (a new-user check)
        String hint = pluginPath.isEmpty() ? " (a plugin's " + kind.label() + "s load with --plugin-path DIR or"
                + " $ASSAY_PLUGIN_PATH)" : " (no plugin on the plugin path " + pluginPath.stream()
                .map(java.nio.file.Path::toString).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator))
                + " registers it; assay plugins lists what each one registers)";
        return "unknown " + kind.label() + " '" + name + "'" + close + " Known " + kind.label() + "s: "
                + String.join(", ", known) + (close.equals(".") ? hint : "");
    }

    /**
     * Returns the kind that was looked up.
     *
     * @return the kind
     */
    public PluginKind kind() {
        return kind;
    }

    /**
     * Returns the name that was not found.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the names that exist.
     *
     * @return sorted names
     */
    public List<String> known() {
        return known;
    }
}
