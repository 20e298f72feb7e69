package dev.assay.plugin;

import com.google.inject.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages for plugins that cannot be loaded, created or described, each naming the plugin
 * class and the jar it came from ({@link PluginRegistry#load}, {@link PluginRegistry#fromModules}).
 */
final class PluginFailures {

    /** A parameter name as the YAML key it is: letters, digits and {@code _}, starting with a letter. */
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern CLASS_VERSION =
            Pattern.compile("(\\S+) has been compiled by a more recent version.*class file version (\\d+)");
    private static final Pattern MISSING_PROVIDER = Pattern.compile("Provider (\\S+) not found");
    private static final String SERVICES = "META-INF/services/" + AssayPlugin.class.getName();

    private PluginFailures() {}

    /**
     * A class and the jar (or directory) it was loaded from, e.g. {@code org.example.ToyPlugin
     * (toy.jar)}.
     *
     * @param type the class
     * @return the description
     */
    static String where(Class<?> type) {
        CodeSource source = codeSource(type);
        if (source == null || source.getLocation() == null) {
            return type.getName();
        }
        String path = source.getLocation().getPath();
        String file = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return type.getName() + " (" + file.substring(file.lastIndexOf('/') + 1) + ")";
    }

    private static CodeSource codeSource(Class<?> type) {
        return type.getProtectionDomain() == null ? null : type.getProtectionDomain().getCodeSource();
    }

    /**
     * {@link #where} with, for a class loaded from a jar file, the first 16 hex digits of the jar's
     * SHA-256, e.g. {@code org.example.ToyPlugin (toy.jar, sha256 0123456789abcdef)}: what a run
     * records of each plugin, so that two builds of one jar tell apart. A class from a directory
     * (a build's {@code target/classes}) or a jar that cannot be read gets {@link #where} alone.
     *
     * @param type the class
     * @return the description
     */
    static String withBuild(Class<?> type) {
        String where = where(type);
        CodeSource source = codeSource(type);
        if (source == null || source.getLocation() == null || !source.getLocation().getPath().endsWith(".jar")) {
            return where;
        }
        try {
            byte[] jar = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(source.getLocation().toURI()));
            String sha = java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(jar)).substring(0, 16);
            return where.substring(0, where.length() - 1) + ", sha256 " + sha + ")";
        } catch (java.io.IOException | java.net.URISyntaxException | java.security.NoSuchAlgorithmException
                | IllegalArgumentException | SecurityException e) {
            return where;
        }
    }

    /**
     * Explains why {@link java.util.ServiceLoader} could not load a plugin class.
     *
     * @param e what it threw
     * @param loader the plugin class loader
     * @return the message
     */
    static String loading(Throwable e, ClassLoader loader) {
        Throwable root = rootCause(e);
        String message = String.valueOf(root.getMessage());
        Matcher version = CLASS_VERSION.matcher(message);
        if (root instanceof UnsupportedClassVersionError && version.find()) {
            String type = version.group(1).replace('/', '.');
            int java = Integer.parseInt(version.group(2)) - 44; // class file 61 = Java 17 (JVM spec, table 4.1-A)
            return "plugin class " + type + " in " + jarOf(loader, type) + " was compiled for Java " + java
                    + " (class file version " + version.group(2) + "), and this JVM runs Java "
                    + Runtime.version().feature() + ": build the plugin with --release "
                    + Runtime.version().feature() + " (Maven: <maven.compiler.release>)";
        }
        Matcher missing = MISSING_PROVIDER.matcher(message);
        if (missing.find()) {
            String type = missing.group(1);
            return "a plugin jar's " + SERVICES + " names " + type + ", which is not in it (" + listing(loader, type)
                    + "): correct the class name in that file, or add the class to the jar";
        }
        if (root instanceof NoSuchMethodException && message.endsWith(".<init>()")) {
            // ServiceLoader creates a plugin through its public no-argument constructor: a class that is
            // not public (or a nested one that is not public static) has none, and the message was
            // "cannot load a plugin: NoSuchMethodException: example.Broken$P9.<init>()"
            String type = message.substring(0, message.length() - ".<init>()".length());
            return "plugin class " + type + " in " + jarOf(loader, type) + " cannot be created: Java's ServiceLoader"
                    + " needs a public class (a nested class public static) with a public constructor without"
                    + " parameters";
        }
        return "cannot load a plugin: " + root.getClass().getSimpleName() + ": " + message;
    }

    /**
     * Checks that no plugin class is listed by two jars' services files (two versions of one
     * plugin on the plugin path: the first jar's classes were used, silently).
     *
     * @param loader the plugin class loader
     * @throws IllegalArgumentException naming the class and the jars
     */
    static void checkListedOnce(ClassLoader loader) {
        java.util.Map<String, java.util.List<String>> jars = new java.util.TreeMap<>();
        try {
            for (URL url : Collections.list(loader.getResources(SERVICES))) {
                try (InputStream in = url.openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                        String type = line.replaceAll("#.*", "").trim();
                        if (!type.isEmpty()) {
                            jars.computeIfAbsent(type, t -> new java.util.ArrayList<>()).add(file(url));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the plugin jars' " + SERVICES + " files", e);
        }
        for (java.util.Map.Entry<String, java.util.List<String>> e : jars.entrySet()) {
            if (e.getValue().size() > 1) {
                throw new IllegalArgumentException("plugin " + e.getKey() + " is in " + String.join(" and ",
                        e.getValue()) + " (two versions of one plugin?): keep one of them on the plugin path");
            }
        }
    }

    /** The innermost cause of a failure. */
    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The jar holding a class, as a file name, or "the class path". */
    private static String jarOf(ClassLoader loader, String type) {
        URL url = loader.getResource(type.replace('.', '/') + ".class");
        return url == null ? "the plugin path" : file(url);
    }

    /** Which jars' services files list a class name. */
    private static String listing(ClassLoader loader, String type) {
        Set<String> jars = new HashSet<>();
        try {
            for (URL url : Collections.list(loader.getResources(SERVICES))) {
                try (InputStream in = url.openStream()) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (List.of(text.split("\\R")).stream().map(String::trim).anyMatch(type::equals)) {
                        jars.add(file(url));
                    }
                }
            }
        } catch (IOException e) {
            return "its jar could not be read: " + e.getMessage();
        }
        return jars.isEmpty() ? "listed on the plugin path" : "listed by " + String.join(", ", jars.stream().sorted()
                .toList());
    }

    /** The file name of a {@code jar:file:/x/toy.jar!/...} or {@code file:/x/y} URL. */
    private static String file(URL url) {
        String path = url.getPath();
        int bang = path.indexOf("!/");
        String file = bang >= 0 ? path.substring(0, bang) : path;
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /**
     * Creates a registered provider.
     *
     * @param kind its kind
     * @param name its YAML name
     * @param provider Guice's provider of it
     * @param plugin the plugin that registered it, or null if unknown
     * @return the provider
     * @throws IllegalArgumentException if it cannot be created, naming it and the cause
     */
    static PluginProvider create(PluginKind kind, String name, Provider<PluginProvider> provider, AssayPlugin plugin) {
        try {
            return provider.get();
        } catch (RuntimeException | LinkageError e) {
            Throwable root = rootCause(e);
            String providerClass = constructed(e, plugin);
            String described = describe(kind, name, null, plugin);
            if (providerClass != null) {
                String head = kind.label() + " '" + name + "'";
                described = head + " (" + providerClass + ")" + described.substring(head.length());
            }
            throw new IllegalArgumentException(described + " could not be created: "
                    + root.getClass().getSimpleName() + ": " + root.getMessage(), e);
        }
    }

    /**
     * The provider class whose constructor failed, read from the stack traces of {@code failure}'s
     * causes: the outermost constructor frame ({@code <init>}, the one Guice called) of a {@link
     * PluginProvider} class. Guice's error names only the binding key, which all providers of a kind
     * share.
     *
     * @return the class name, or null when no such frame is found
     */
    private static String constructed(Throwable failure, AssayPlugin plugin) {
        ClassLoader loader = plugin != null ? plugin.getClass().getClassLoader() : PluginFailures.class.getClassLoader();
        String found = null;
        for (Throwable t = failure; t != null && found == null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getMethodName().equals("<init>") && isProvider(frame.getClassName(), loader)) {
                    found = frame.getClassName(); // later frames are the callers: keep the outermost
                }
            }
        }
        return found;
    }

    private static boolean isProvider(String className, ClassLoader loader) {
        try {
            return PluginProvider.class.isAssignableFrom(Class.forName(className, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Checks a provider's parameter declarations: {@code parameters()} works and is not null, no
     * name twice, every name a YAML key.
     *
     * @throws IllegalArgumentException naming the provider and what is wrong
     */
    static void checkParameters(PluginKind kind, String name, PluginProvider provider, AssayPlugin plugin) {
        if (provider instanceof TaskProvider task) {
            // a task's metrics() that throws ended "assay plugins" half-listed with "error: IllegalStateException:
            // ..." naming no provider, and passed "run --dry-run" (found by a plugin author's check)
            java.util.Map<String, MetricKind> metrics;
            try {
                metrics = task.metrics();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(describe(kind, name, provider, plugin) + " cannot declare its metrics: "
                        + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
            if (metrics == null) {
                throw new IllegalArgumentException(describe(kind, name, provider, plugin) + " returned null from"
                        + " metrics() (an empty map when it declares none)");
            }
        }
        List<ParamDescriptor> parameters;
        try {
            parameters = provider.parameters();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(describe(kind, name, provider, plugin) + " cannot declare its parameters: "
                    + e.getMessage(), e);
        }
        if (parameters == null) {
            throw new IllegalArgumentException(describe(kind, name, provider, plugin) + " returned null from"
                    + " parameters() (an empty list when it takes none)");
        }
        Set<String> seen = new HashSet<>();
        for (ParamDescriptor p : parameters) {
            if (p == null) {
                throw new IllegalArgumentException(describe(kind, name, provider, plugin) + " declares a null parameter");
            }
            if (!PARAM_NAME.matcher(p.name()).matches()) {
                throw new IllegalArgumentException(describe(kind, name, provider, plugin) + " declares the parameter '"
                        + p.name() + "', which is no YAML key: use letters, digits and _ (snake_case), no dots or"
                        + " spaces");
            }
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException(describe(kind, name, provider, plugin) + " declares the parameter '"
                        + p.name() + "' twice");
            }
            if (kind == PluginKind.OPTIMIZER && OPTIMIZER_FIELDS.contains(p.name())) {
                // an optimizer's own parameters sit beside these in training.optimizer: the built-in field took
                // the value, and the provider's Params lacked it ("parameter 'learning_rate' is not declared")
                throw new IllegalArgumentException(describe(kind, name, provider, plugin) + " declares the parameter '"
                        + p.name() + "', which is a built-in field of training.optimizer (" + String.join(", ",
                                OPTIMIZER_FIELDS) + "): rename it, or read the built-in value from OptimizerSettings");
            }
        }
    }

    /** The keys of {@code training.optimizer} that are no optimizer's own parameters. */
    private static final List<String> OPTIMIZER_FIELDS = optimizerFields();

    private static List<String> optimizerFields() {
        List<String> names = new java.util.ArrayList<>(dev.assay.spec.BuiltinFields.sections()
                .get("training.optimizer").stream().map(ParamDescriptor::name).toList());
        names.add("schedule");
        return List.copyOf(names);
    }

    private static String describe(PluginKind kind, String name, PluginProvider provider, AssayPlugin plugin) {
        StringBuilder s = new StringBuilder(kind.label()).append(" '").append(name).append("'");
        if (provider != null) {
            s.append(" (").append(provider.getClass().getName()).append(')');
        }
        if (plugin != null) {
            s.append(" of plugin ").append(where(plugin.getClass()));
        }
        return s.toString();
    }
}
