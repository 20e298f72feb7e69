package dev.assay.architectures;

import dev.assay.plugin.AssayPlugin;

/** Registers the architectures: {@code mlp}. */
public final class ArchitecturesPlugin extends AssayPlugin {

    @Override
    protected void configure() {
        registerArchitecture("mlp", MlpProvider.class);
    }
}
