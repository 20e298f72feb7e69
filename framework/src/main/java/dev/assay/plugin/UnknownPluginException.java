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
        super(message(kind, name, known));
        this.kind = kind;
        this.name = name;
        this.known = List.copyOf(known);
    }

    private static String message(PluginKind kind, String name, List<String> known) {
        String close = Names.didYouMean(name, known, ".");
        // a name close to none is most likely a plugin's that was not loaded (found by a fresh-clone check)
        return "unknown " + kind.label() + " '" + name + "'" + close + " Known " + kind.label() + "s: "
                + String.join(", ", known) + (close.equals(".") ? " (a plugin's " + kind.label() + "s load with"
                + " --plugin-path DIR or $ASSAY_PLUGIN_PATH)" : "");
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
