package dev.assay.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import java.util.ArrayList;
import java.util.List;

/**
 * Base class of every plugin: a Guice module that registers named providers. A plugin jar lists
 * its subclass in {@code META-INF/services/dev.assay.plugin.AssayPlugin}; the registry finds it
 * with {@link java.util.ServiceLoader}. Two registrations of one name of one kind (by two plugins,
 * or one plugin twice) fail at start-up with a message naming the kind, the name and both plugin
 * classes with their jars ({@link PluginRegistry#fromModules}).
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
     * One registration: the kind, the YAML name and the provider's class.
     *
     * @param kind the provider's kind
     * @param name the YAML name
     * @param provider the provider's class
     */
    record Registration(PluginKind kind, String name, Class<?> provider, boolean instance) {

        /** A registration of a class for Guice to construct. */
        Registration(PluginKind kind, String name, Class<?> provider) {
            this(kind, name, provider, false);
        }
    }

    /** What {@link #configure()} registered the last time it ran (see {@link PluginRegistry}). */
    private final List<Registration> registrations = new ArrayList<>();

    /** Forgets the registrations recorded so far, before {@link #configure()} runs again. */
    final void clearRegistrations() {
        registrations.clear();
    }

    /**
     * A registered name as a Guice map key: a null name is bound as "" so that {@link
     * PluginRegistry#fromModules} can refuse it by name (Guice failed with "NullPointerException: key").
     */
    private static String bindingKey(String name) {
        return name == null ? "" : name;
    }

    /** The registrations recorded since {@link #clearRegistrations()}. */
    final List<Registration> registrations() {
        return List.copyOf(registrations);
    }

    /**
     * Registers a dataset provider under its YAML name.
     *
     * @param name the name used in {@code dataset.name}
     * @param type the provider class, constructed by Guice
     */
    protected final void registerDataset(String name, Class<? extends DatasetProvider> type) {
        registrations.add(new Registration(PluginKind.DATASET, name, type));
        MapBinder.newMapBinder(binder(), String.class, DatasetProvider.class)
                .addBinding(bindingKey(name))
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
        registrations.add(new Registration(PluginKind.ARCHITECTURE, name, type));
        MapBinder.newMapBinder(binder(), String.class, ArchitectureProvider.class)
                .addBinding(bindingKey(name))
                .to(type);
    }

    /**
     * Registers an optimizer provider under its YAML name.
     *
     * @param name the name used in {@code training.optimizer.name}
     * @param type the provider class
     */
    protected final void registerOptimizer(String name, Class<? extends OptimizerProvider> type) {
        registrations.add(new Registration(PluginKind.OPTIMIZER, name, type));
        MapBinder.newMapBinder(binder(), String.class, OptimizerProvider.class)
                .addBinding(bindingKey(name))
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
        registrations.add(new Registration(PluginKind.OPTIMIZER, name, provider.getClass(), true));
        MapBinder.newMapBinder(binder(), String.class, OptimizerProvider.class)
                .addBinding(bindingKey(name))
                .toInstance(provider);
    }

    /**
     * Registers a task provider under its YAML name.
     *
     * @param name the name used in {@code task}
     * @param type the provider class
     */
    protected final void registerTask(String name, Class<? extends TaskProvider> type) {
        registrations.add(new Registration(PluginKind.TASK, name, type));
        MapBinder.newMapBinder(binder(), String.class, TaskProvider.class)
                .addBinding(bindingKey(name))
                .to(type);
    }
}
