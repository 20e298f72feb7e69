package dev.assay.plugin;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.TypeLiteral;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.util.Types;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every provider known to this process, by kind and name. Built by finding {@link AssayPlugin}
 * modules with {@link ServiceLoader} (on the class path and in plugin jars) and asking Guice for
 * the {@code Map<String, XProvider>} each kind's MapBinder contributes to.
 */
public final class PluginRegistry {

    private final Map<PluginKind, Map<String, PluginProvider>> providers;
    private final List<String> pluginNames;
    private final List<String> pluginSources;
    private final List<Path> pluginPath;
    private final Map<PluginKind, Map<String, String>> origins;

    private PluginRegistry(Map<PluginKind, Map<String, PluginProvider>> providers, List<String> pluginNames,
            List<String> pluginSources, List<Path> pluginPath, Map<PluginKind, Map<String, String>> origins) {
        this.providers = providers;
        this.origins = origins;
        this.pluginNames = pluginNames;
        this.pluginSources = pluginSources;
        this.pluginPath = pluginPath;
    }

    /**
     * Loads the plugins on the class path plus those in the given jars and in jars directly inside
     * the given directories.
     *
     * @param pluginPath directories holding plugin jars, or plugin jars (from {@code --plugin-path}
     *     or {@code ASSAY_PLUGIN_PATH}); a missing one is an error, an empty list loads only the
     *     class path
     * @return the registry
     * @throws IllegalArgumentException if a plugin path does not exist or is neither a directory nor
     *     a jar; if a plugin class cannot be loaded (compiled for a newer Java, listed in a jar's
     *     {@code META-INF/services} file but missing) or is listed by two jars: the message names
     *     the class, its jars and what to do; or as {@link #fromModules}
     */
    public static PluginRegistry load(List<Path> pluginPath) {
        ClassLoader loader = classLoaderFor(pluginPath);
        PluginFailures.checkListedOnce(loader);
        List<AssayPlugin> modules = new ArrayList<>();
        Iterator<AssayPlugin> found = ServiceLoader.load(AssayPlugin.class, loader).iterator();
        try {
            while (found.hasNext()) {
                modules.add(found.next());
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new IllegalArgumentException(PluginFailures.loading(e, loader), e);
        }
        PluginRegistry registry = fromModules(modules);
        return new PluginRegistry(registry.providers, registry.pluginNames, registry.pluginSources,
                pluginPath.stream().map(p -> p.toAbsolutePath().normalize()).toList(), registry.origins);
    }

    /** A provider's name as an experiment file gives it: letters, digits, {@code _} and {@code -}. */
    private static final java.util.regex.Pattern PROVIDER_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /**
     * Builds a registry from explicit modules (tests, embedding). Each module's {@code configure}
     * runs once here; every provider is created, and its parameter declarations are checked.
     *
     * @param modules the plugin modules
     * @return the registry
     * @throws IllegalArgumentException naming the kind, the name, the provider's class and the
     *     plugin with its jar: if a plugin registers a provider under a name an experiment file
     *     cannot give (letters, digits, {@code _} and {@code -}, starting with a letter); if one
     *     name of one kind is registered twice; if a provider cannot be created (its constructor
     *     throws); if a provider's {@code parameters()} fails or returns null, declares a name
     *     twice, or a name that is not a YAML key ({@code snake_case}: letters, digits, {@code _};
     *     no dots)
     */
    public static PluginRegistry fromModules(List<? extends AssayPlugin> modules) {
        List<Element> elements = new ArrayList<>();
        Map<String, String> registeredBy = new java.util.HashMap<>();
        Map<PluginKind, Map<String, AssayPlugin>> plugins = new EnumMap<>(PluginKind.class);
        for (AssayPlugin module : modules) {
            module.clearRegistrations();
            elements.addAll(configure(module)); // runs configure(), which records the registrations
            for (AssayPlugin.Registration r : module.registrations()) {
                String by = PluginFailures.where(module.getClass());
                if (r.name() == null || !PROVIDER_NAME.matcher(r.name()).matches()) {
                    // "", "my task" and "my.task" were registered and could never be named in an experiment
                    // (a null name failed with Guice's "NullPointerException: key")
                    String label = r.kind().label();
                    throw new IllegalArgumentException(by + " registers " + ("aeiou".indexOf(label.charAt(0)) >= 0
                            ? "an " : "a ") + label + " under the name "
                            + (r.name() == null ? "null" : "'" + r.name() + "'") + ", which an experiment file cannot"
                            + " name: use letters, digits, _ and -, starting with a letter (e.g. 'my_task')");
                }
                if (!r.instance() && !constructible(r.provider())) {
                    // Guice's raw CreationException "[Guice/MissingConstructor]" named neither plugin nor jar (exit 1)
                    throw new IllegalArgumentException(by + " registers " + r.kind().label() + " '" + r.name() + "' as "
                            + r.provider().getName() + ", which cannot be constructed: give it a public constructor"
                            + " without parameters (or one annotated @Inject), and make it a concrete class");
                }
                String key = r.kind().label() + " '" + r.name() + "'";
                String earlier = registeredBy.putIfAbsent(key, by);
                if (earlier != null) {
                    throw new IllegalArgumentException(key + " is registered twice: by " + earlier + " and by " + by
                            + "; remove one of them from the plugin path, or register one under another name");
                }
                plugins.computeIfAbsent(r.kind(), k -> new java.util.HashMap<>()).put(r.name(), module);
            }
        }
        Injector injector = Guice.createInjector(Elements.getModule(elements));
        Map<PluginKind, Map<String, PluginProvider>> byKind = new EnumMap<>(PluginKind.class);
        Map<PluginKind, Map<String, String>> origins = new EnumMap<>(PluginKind.class);
        for (PluginKind kind : PluginKind.values()) {
            Map<String, PluginProvider> created = new TreeMap<>();
            Map<String, String> from = new TreeMap<>();
            for (Map.Entry<String, Provider<PluginProvider>> entry : bound(injector, kind).entrySet()) {
                AssayPlugin plugin = plugins.getOrDefault(kind, Map.of()).get(entry.getKey());
                PluginProvider provider = PluginFailures.create(kind, entry.getKey(), entry.getValue(), plugin);
                PluginFailures.checkParameters(kind, entry.getKey(), provider, plugin);
                created.put(entry.getKey(), provider);
                if (plugin != null) {
                    from.put(entry.getKey(), PluginFailures.where(plugin.getClass()));
                }
            }
            byKind.put(kind, Collections.unmodifiableMap(created));
            origins.put(kind, Collections.unmodifiableMap(from));
        }
        List<String> names = modules.stream().map(m -> m.getClass().getName()).sorted().toList();
        List<String> sources = modules.stream().map(m -> PluginFailures.withBuild(m.getClass())).sorted().toList();
        return new PluginRegistry(byKind, names, sources, List.of(), origins);
    }

    /**
     * Runs a plugin's {@code configure()}: a class it registers that is missing from its jar (a
     * {@link NoClassDefFoundError}, which Guice lets through) or an exception it throws (which Guice
     * records and reports later as a bare {@code CreationException}) is an error naming the plugin
     * and its jar.
     */
    private static List<Element> configure(AssayPlugin module) {
        List<Element> elements;
        try {
            elements = Elements.getElements(module);
        } catch (LinkageError e) {
            throw new IllegalArgumentException("plugin " + PluginFailures.where(module.getClass())
                    + " failed in configure(): " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (a class it registers or uses is missing from its jar and the plugin path; rebuild the jar,"
                    + " or put the jar holding that class beside it)", e);
        }
        for (Element element : elements) {
            if (element instanceof com.google.inject.spi.Message message) {
                Throwable cause = message.getCause();
                throw new IllegalArgumentException("plugin " + PluginFailures.where(module.getClass())
                        + " failed in configure(): " + (cause == null ? message.getMessage()
                                : cause.getClass().getSimpleName() + ": " + cause.getMessage()), cause);
            }
        }
        return elements;
    }

    /** The providers of a kind's MapBinder, not yet created. */
    @SuppressWarnings("unchecked")
    private static Map<String, Provider<PluginProvider>> bound(Injector injector, PluginKind kind) {
        Key<?> key = Key.get(TypeLiteral.get(Types.mapOf(String.class, Types.providerOf(kind.type()))));
        if (injector.getExistingBinding(key) == null) {
            return Map.of();
        }
        return (Map<String, Provider<PluginProvider>>) injector.getInstance(key);
    }

    /**
     * Whether Guice can construct a provider class: a concrete class with a constructor annotated
     * {@code @Inject} (Guice's or Jakarta's) or one without parameters that is not private.
     */
    private static boolean constructible(Class<?> type) {
        if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
            return false;
        }
        for (java.lang.reflect.Constructor<?> c : type.getDeclaredConstructors()) {
            boolean inject = java.util.Arrays.stream(c.getAnnotations()).anyMatch(a -> a.annotationType().getSimpleName()
                    .equals("Inject"));
            if (inject || c.getParameterCount() == 0 && !java.lang.reflect.Modifier.isPrivate(c.getModifiers())) {
                return true;
            }
        }
        return false;
    }

    /** Where a jar lists its plugins for {@link ServiceLoader}. */
    static final String SERVICES_ENTRY = "META-INF/services/" + AssayPlugin.class.getName();

    private static ClassLoader classLoaderFor(List<Path> pluginPath) {
        ClassLoader parent = PluginRegistry.class.getClassLoader();
        List<URL> jars = new ArrayList<>();
        for (Path entry : pluginPath) {
            if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
                Jar jar = readableJar(entry);
                jars.add(jar.url());
                if (!jar.listsPlugins()) {
                    // the plugin author's missing services file: its names were then "unknown", with the advice
                    // to pass the --plugin-path already passed
                    org.slf4j.LoggerFactory.getLogger(PluginRegistry.class).warn("plugin jar {} lists no plugin (it has"
                            + " no {}, which names its AssayPlugin class): nothing in it is registered. See the README,"
                            + " \"Writing a plugin\" (a library jar beside plugins is fine)", entry.toAbsolutePath(),
                            SERVICES_ENTRY);
                }
                continue;
            }
            if (!Files.exists(entry)) {
                throw new IllegalArgumentException("plugin path " + entry.toAbsolutePath() + " does not exist");
            }
            if (!Files.isDirectory(entry)) {
                throw new IllegalArgumentException("plugin path " + entry.toAbsolutePath() + " is neither a directory"
                        + " of plugin jars nor a .jar file");
            }
            try (Stream<Path> files = Files.list(entry)) {
                List<Path> inDirectory = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
                boolean anyListsPlugins = false;
                for (Path path : inDirectory) {
                    Jar jar = readableJar(path);
                    jars.add(jar.url());
                    anyListsPlugins |= jar.listsPlugins();
                }
                if (!inDirectory.isEmpty() && !anyListsPlugins) {
                    org.slf4j.LoggerFactory.getLogger(PluginRegistry.class).warn("plugin directory {}: none of its {}"
                            + " jar(s) lists a plugin (none has {}, which names a jar's AssayPlugin class): nothing in"
                            + " it is registered. See the README, \"Writing a plugin\"", entry.toAbsolutePath(),
                            inDirectory.size(), SERVICES_ENTRY);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list plugin directory " + entry, e);
            }
        }
        return jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(URL[]::new), parent);
    }

    /**
     * A plugin path's jar, opened once.
     *
     * @param url its URL, for the class loader
     * @param listsPlugins whether it has the {@link #SERVICES_ENTRY} that registers its plugins
     */
    private record Jar(URL url, boolean listsPlugins) {}

    /**
     * The jar's URL, once it opens as a jar: the class loader skips a jar it cannot read without a
     * word (a truncated copy, a text file named {@code .jar}), and its plugins were then reported
     * as unknown names, with the advice to pass the {@code --plugin-path} that had been passed.
     */
    private static Jar readableJar(Path jar) {
        try (JarFile opened = new JarFile(jar.toFile())) {
            return new Jar(jar.toUri().toURL(), opened.getEntry(SERVICES_ENTRY) != null);
        } catch (IOException e) {
            throw new IllegalArgumentException("plugin jar " + jar.toAbsolutePath() + " is not a readable jar ("
                    + e.getMessage() + "); rebuild it, or remove it from the plugin path", e);
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
            throw new UnknownPluginException(kind, name, names(kind), pluginPath);
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

    /**
     * Returns each plugin module's class with the jar (or class directory) it came from and, for a
     * jar, the first 16 hex digits of its SHA-256, e.g. {@code org.example.ToyPlugin (toy-1.0.jar,
     * sha256 0123456789abcdef)}: recorded with every run, so a result says which plugin build
     * produced it (two builds of {@code toy-1.0.jar} differ in the hash).
     *
     * @return sorted descriptions
     */
    public List<String> pluginSources() {
        return pluginSources;
    }

    /**
     * Returns the plugin that registered a provider, with its jar.
     *
     * @param kind the kind
     * @param name the registered name
     * @return e.g. {@code org.example.ToyPlugin (toy-1.0.jar)}, or null for an unknown name
     */
    public String origin(PluginKind kind, String name) {
        return origins.get(kind).get(name);
    }

    /**
     * Returns the plugin path this registry was loaded from ({@link #load}), absolute: recorded
     * with every run, so {@code assay resume} finds the same plugins.
     *
     * @return the directories and jars; empty for {@link #fromModules}
     */
    public List<Path> pluginPath() {
        return pluginPath;
    }
}
