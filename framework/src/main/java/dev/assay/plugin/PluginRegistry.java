package dev.assay.plugin;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.util.Types;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every provider known to this process, by kind and name. Built by finding {@link AssayPlugin}
 * modules with {@link ServiceLoader} (on the class path and in plugin jars) and asking Guice for
 * the {@code Map<String, XProvider>} each kind's MapBinder contributes to.
 */
public final class PluginRegistry {

    private final Map<PluginKind, Map<String, PluginProvider>> providers;
    private final List<String> pluginNames;

    private PluginRegistry(
            Map<PluginKind, Map<String, PluginProvider>> providers, List<String> pluginNames) {
        this.providers = providers;
        this.pluginNames = pluginNames;
    }

    /**
     * Loads the plugins on the class path plus those in jars directly inside the given directories.
     *
     * @param pluginDirs directories holding plugin jars (from {@code --plugin-path} or
     *     {@code ASSAY_PLUGIN_PATH}); a missing directory is an error, an empty list loads only the
     *     class path
     * @return the registry
     * @throws IllegalArgumentException if a plugin directory does not exist
     * @throws com.google.inject.CreationException if two plugins register one name of one kind
     */
    public static PluginRegistry load(List<Path> pluginDirs) {
        ClassLoader loader = classLoaderFor(pluginDirs);
        List<AssayPlugin> modules = new ArrayList<>();
        ServiceLoader.load(AssayPlugin.class, loader).forEach(modules::add);
        return fromModules(modules);
    }

    /**
     * Builds a registry from explicit modules (tests, embedding).
     *
     * @param modules the plugin modules
     * @return the registry
     * @throws com.google.inject.CreationException if two modules register one name of one kind
     */
    public static PluginRegistry fromModules(List<? extends AssayPlugin> modules) {
        Injector injector = Guice.createInjector(modules);
        Map<PluginKind, Map<String, PluginProvider>> byKind = new EnumMap<>(PluginKind.class);
        for (PluginKind kind : PluginKind.values()) {
            byKind.put(kind, Collections.unmodifiableMap(new TreeMap<>(bound(injector, kind))));
        }
        List<String> names = modules.stream().map(m -> m.getClass().getName()).sorted().toList();
        return new PluginRegistry(byKind, names);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, PluginProvider> bound(Injector injector, PluginKind kind) {
        Key<?> key = Key.get(TypeLiteral.get(Types.mapOf(String.class, kind.type())));
        if (injector.getExistingBinding(key) == null) {
            return Map.of();
        }
        return (Map<String, PluginProvider>) injector.getInstance(key);
    }

    private static ClassLoader classLoaderFor(List<Path> pluginDirs) {
        ClassLoader parent = PluginRegistry.class.getClassLoader();
        List<URL> jars = new ArrayList<>();
        for (Path dir : pluginDirs) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(
                        "plugin directory " + dir.toAbsolutePath() + " does not exist");
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    jars.add(toUrl(jar));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list plugin directory " + dir, e);
            }
        }
        return jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(URL[]::new), parent);
    }

    private static URL toUrl(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad plugin jar path " + jar, e);
        }
    }

    /**
     * Looks up a provider.
     *
     * @param kind the kind
     * @param name the registered name
     * @param <T> the provider interface of {@code kind}
     * @return the provider
     * @throws UnknownPluginException naming the closest match and every registered name
     */
    @SuppressWarnings("unchecked")
    public <T extends PluginProvider> T get(PluginKind kind, String name) {
        PluginProvider p = providers.get(kind).get(name);
        if (p == null) {
            throw new UnknownPluginException(kind, name, names(kind));
        }
        return (T) p;
    }

    /**
     * Returns the registered names of a kind, sorted.
     *
     * @param kind the kind
     * @return the names
     */
    public List<String> names(PluginKind kind) {
        return List.copyOf(providers.get(kind).keySet());
    }

    /**
     * Returns the providers of a kind by name, sorted by name.
     *
     * @param kind the kind
     * @return an unmodifiable map
     */
    public Map<String, PluginProvider> providers(PluginKind kind) {
        return providers.get(kind);
    }

    /**
     * Returns the class names of the plugin modules loaded.
     *
     * @return sorted class names
     */
    public List<String> pluginNames() {
        return pluginNames;
    }
}
