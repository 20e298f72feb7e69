/**
 * The plugin SPI: dataset, architecture, optimizer and task providers, their typed parameters, and
 * the registry that finds them (Guice modules listed for {@link java.util.ServiceLoader}, providers
 * registered by name through {@link com.google.inject.multibindings.MapBinder}).
 */
package dev.assay.plugin;
