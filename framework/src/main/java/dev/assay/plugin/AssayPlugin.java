package dev.assay.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;

/**
 * Base class of every plugin: a Guice module that registers named providers. A plugin jar lists
 * its subclass in {@code META-INF/services/dev.assay.plugin.AssayPlugin}; the registry finds it
 * with {@link java.util.ServiceLoader}. Two plugins that register the same name of the same kind
 * fail at start-up with Guice's message naming the key and both sources.
 *
 * <pre>{@code
 * public final class MyPlugin extends AssayPlugin {
 *     protected void configure() {
 *         registerDataset("my-data", MyDataProvider.class);
 *     }
 * }
 * }</pre>
 */
public abstract class AssayPlugin extends AbstractModule {

    /**
     * Registers a dataset provider under its YAML name.
     *
     * @param name the name used in {@code dataset.name}
     * @param type the provider class, constructed by Guice
     */
    protected final void registerDataset(String name, Class<? extends DatasetProvider> type) {
        MapBinder.newMapBinder(binder(), String.class, DatasetProvider.class)
                .addBinding(name)
                .to(type);
    }

    /**
     * Registers an architecture provider under its YAML name.
     *
     * @param name the name used in {@code model.architecture}
     * @param type the provider class
     */
    protected final void registerArchitecture(
            String name, Class<? extends ArchitectureProvider> type) {
        MapBinder.newMapBinder(binder(), String.class, ArchitectureProvider.class)
                .addBinding(name)
                .to(type);
    }

    /**
     * Registers an optimizer provider under its YAML name.
     *
     * @param name the name used in {@code training.optimizer.name}
     * @param type the provider class
     */
    protected final void registerOptimizer(String name, Class<? extends OptimizerProvider> type) {
        MapBinder.newMapBinder(binder(), String.class, OptimizerProvider.class)
                .addBinding(name)
                .to(type);
    }

    /**
     * Registers an optimizer provider instance under its YAML name (for families of optimizers
     * that share one class).
     *
     * @param name the name used in {@code training.optimizer.name}
     * @param provider the provider
     */
    protected final void registerOptimizer(String name, OptimizerProvider provider) {
        MapBinder.newMapBinder(binder(), String.class, OptimizerProvider.class)
                .addBinding(name)
                .toInstance(provider);
    }

    /**
     * Registers a task provider under its YAML name.
     *
     * @param name the name used in {@code task}
     * @param type the provider class
     */
    protected final void registerTask(String name, Class<? extends TaskProvider> type) {
        MapBinder.newMapBinder(binder(), String.class, TaskProvider.class)
                .addBinding(name)
                .to(type);
    }
}
