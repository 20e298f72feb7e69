package dev.assay.plugin;

import java.util.List;

/**
 * What every provider tells about itself: a one-line description and its parameters. The YAML
 * name of a provider is the key it is registered under, not a property of the provider.
 */
public interface PluginProvider {

    /**
     * Returns one line describing the provider, shown by {@code assay plugins}.
     *
     * @return the description
     */
    String description();

    /**
     * Returns the parameters the provider accepts, in the order they are listed.
     *
     * @return the descriptors; empty if it takes none
     */
    List<ParamDescriptor> parameters();
}
