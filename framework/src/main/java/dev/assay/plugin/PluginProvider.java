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

    /**
     * Checks resolved parameter values against rules their descriptors cannot state (a declared
     * range is one interval: "0 for no limit, else at least 3" is not), when the experiment file is
     * read, so that a bad value is refused at its {@code file:line:column} before any trial loads
     * data (a {@code max_vocab} of 2 failed every trial of a sweep after loading its data).
     *
     * @param params the values, each already within its descriptor's type, range and choices
     * @return what is wrong, by parameter name (its message without the name); empty when all is
     *     well (the default)
     */
    default java.util.Map<String, String> checkParams(Params params) {
        return java.util.Map.of();
    }
}
