package dev.assay.spec;

import dev.assay.plugin.Params;

/**
 * A provider named in the spec with its resolved parameters.
 *
 * @param name the registered name, e.g. {@code mlp}
 * @param params the provider's parameters, coerced and with defaults filled in
 */
public record PluginRef(String name, Params params) {}
