package dev.assay.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

    @TempDir
    Path dir;

    private final PluginRegistry registry = ToyPlugins.registry();

    @Test
    void namesAreSortedPerKind() {
        assertThat(registry.names(PluginKind.OPTIMIZER)).containsExactly("adam", "sgd");
        assertThat(registry.names(PluginKind.ARCHITECTURE)).containsExactly("toy-net", "wide-net");
        assertThat(registry.names(PluginKind.DATASET)).containsExactly("toy-data");
        assertThat(registry.names(PluginKind.TASK)).containsExactly("toy-task");
        assertThat(registry.providers(PluginKind.OPTIMIZER).keySet()).containsExactly("adam", "sgd");
        assertThat(registry.pluginNames()).containsExactly(ToyPlugins.ToyPlugin.class.getName());
    }

    @Test
    void getReturnsTheRegisteredProvider() {
        OptimizerProvider adam = registry.get(PluginKind.OPTIMIZER, "adam");
        assertThat(adam).isInstanceOf(ToyPlugins.Adam.class);
        assertThat(adam.parameters()).extracting(ParamDescriptor::name).containsExactly("beta1");
        DatasetProvider data = registry.get(PluginKind.DATASET, "toy-data");
        assertThat(data.description()).isEqualTo("toy dataset");
    }

    @Test
    void anUnknownNameNamesTheClosestAndEveryKnownName() {
        UnknownPluginException e = catchThrowableOfType(UnknownPluginException.class,
                () -> registry.get(PluginKind.OPTIMIZER, "adma"));
        assertThat(e).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown optimizer 'adma'; did you mean 'adam'? Known optimizers: adam, sgd");
        assertThat(e.kind()).isEqualTo(PluginKind.OPTIMIZER);
        assertThat(e.name()).isEqualTo("adma");
        assertThat(e.known()).containsExactly("adam", "sgd");
    }

    @Test
    void anUnknownNameWithNothingCloseStillListsEveryKnownName() {
        assertThatThrownBy(() -> registry.get(PluginKind.ARCHITECTURE, "transformer"))
                .isInstanceOf(UnknownPluginException.class)
                .hasMessage("unknown architecture 'transformer'. Known architectures: toy-net, wide-net (a plugin's"
                        + " architectures load with --plugin-path DIR or $ASSAY_PLUGIN_PATH)");
    }

    /** Registers a dataset under a name given at construction. */
    public static final class NamedDataset extends AssayPlugin {
        private final String name;

        NamedDataset(String name) {
            this.name = name;
        }

        @Override
        protected void configure() {
            registerDataset(name, ToyPlugins.ToyData.class);
        }
    }

    @Test
    void aProviderNameAnExperimentFileCannotGiveIsRefusedNamingThePlugin() {
        // found by a plugin author's check: "", "my task" and "my.task" were registered and could never be
        // named in an experiment; null failed with Guice's "NullPointerException: key"
        for (String bad : new String[] {"", "my data", "my.data", "1data", null}) {
            assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new NamedDataset(bad))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(NamedDataset.class.getName() + " (test-classes) registers a dataset under the name "
                            + (bad == null ? "null" : "'" + bad + "'") + ", which an experiment file cannot name: use"
                            + " letters, digits, _ and -, starting with a letter (e.g. 'my_task')");
        }
        assertThat(PluginRegistry.fromModules(List.of(new NamedDataset("my-data_2"))).names(PluginKind.DATASET))
                .containsExactly("my-data_2");
        // "registers a architecture" (a plugin author's check)
        AssayPlugin architecture = new AssayPlugin() {
            @Override
            protected void configure() {
                registerArchitecture("my net", ToyPlugins.ToyNet.class);
            }
        };
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(architecture)))
                .hasMessageContaining(" registers an architecture under the name 'my net', ");
    }

    /** A dataset provider Guice cannot construct: its one constructor takes an argument. */
    public static final class NeedsArgument extends ToyPlugins.ToyData {
        public NeedsArgument(String size) {
            super();
        }
    }

    /** Registers {@link NeedsArgument}. */
    public static final class Unconstructible extends AssayPlugin {
        @Override
        protected void configure() {
            registerDataset("needs-argument", NeedsArgument.class);
        }
    }

    @Test
    void aProviderGuiceCannotConstructIsRefusedNamingThePlugin() {
        // found by a plugin author's check: Guice's raw CreationException "[Guice/MissingConstructor]", exit 1,
        // naming neither the plugin nor its jar
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new Unconstructible())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Unconstructible.class.getName() + " (test-classes) registers dataset 'needs-argument' as "
                        + NeedsArgument.class.getName() + ", which cannot be constructed: give it a public constructor"
                        + " without parameters (or one annotated @Inject), and make it a concrete class");
    }

    /** A task whose metrics() throws. */
    public static final class BrokenMetricsTask extends ToyPlugins.ToyTask {
        @Override
        public Map<String, MetricKind> metrics() {
            throw new IllegalStateException("metrics boom");
        }
    }

    /** Registers {@link BrokenMetricsTask}. */
    public static final class BrokenMetrics extends AssayPlugin {
        @Override
        protected void configure() {
            registerTask("broken-metrics", BrokenMetricsTask.class);
        }
    }

    @Test
    void aTaskWhoseMetricsCannotBeReadIsRefusedAtStartUpNamingIt() {
        // found by a plugin author's check: assay plugins stopped half-listed with "error: IllegalStateException:
        // metrics boom", naming no provider, and run --dry-run passed
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new BrokenMetrics())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'broken-metrics'")
                .hasMessageEndingWith(" cannot declare its metrics: IllegalStateException: metrics boom");
    }

    @Test
    void twoModulesRegisteringOneDatasetNameFailNamingBothPlugins() {
        // Guice's DuplicateMapKey dump named neither plugin: both sources were AssayPlugin's own line, and the
        // "installed by" named whichever built-in plugin came first
        assertThatThrownBy(() -> PluginRegistry.fromModules(
                        List.of(new ToyPlugins.ToyPlugin(), new ToyPlugins.ClashingPlugin())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dataset 'toy-data' is registered twice: by " + ToyPlugins.ToyPlugin.class.getName()
                        + " (test-classes) and by " + ToyPlugins.ClashingPlugin.class.getName() + " (test-classes);"
                        + " remove one of them from the plugin path, or register one under another name");
        // the same provider class registered twice was merged by Guice without a word
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new ToyPlugins.ToyPlugin(), new SameAgain())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("dataset 'toy-data' is registered twice");
    }

    /** Registers toy-data again with the same class. */
    public static final class SameAgain extends AssayPlugin {
        @Override
        protected void configure() {
            registerDataset("toy-data", ToyPlugins.ToyData.class);
        }
    }

    /** Registers a dataset, then fails as given by {@link #failure}. */
    public static final class FailingConfigure extends AssayPlugin {
        static java.util.function.Supplier<Throwable> failure;

        @Override
        protected void configure() {
            registerDataset("half-done", ToyPlugins.ToyData.class);
            Throwable t = failure.get();
            if (t instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) t;
        }
    }

    @Test
    void aPluginWhoseConfigureFailsIsNamedWithItsJar() {
        String plugin = "plugin " + FailingConfigure.class.getName() + " (test-classes) failed in configure(): ";
        // a jar missing a class that configure() registers: an uncaught NoClassDefFoundError and a stack trace
        FailingConfigure.failure = () -> new NoClassDefFoundError("org/example/MissingProvider");
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new FailingConfigure())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(plugin + "NoClassDefFoundError: org/example/MissingProvider (a class it"
                        + " registers or uses is missing from its jar");
        // an exception in configure(): Guice's "CreationException: Unable to create injector", naming no plugin
        FailingConfigure.failure = () -> new IllegalStateException("no licence file");
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new FailingConfigure())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(plugin + "IllegalStateException: no licence file");
    }

    /** Registers one optimizer whose class is given. */
    public static final class OneOptimizer extends AssayPlugin {
        private final Class<? extends OptimizerProvider> type;

        OneOptimizer(Class<? extends OptimizerProvider> type) {
            this.type = type;
        }

        @Override
        protected void configure() {
            registerOptimizer("odd-sgd", type);
        }
    }

    /** An optimizer declaring the parameters given by {@link #declared}. */
    public static class DeclaringSgd extends ToyPlugins.Sgd {
        static java.util.function.Supplier<List<ParamDescriptor>> declared;

        @Override
        public List<ParamDescriptor> parameters() {
            return declared.get();
        }
    }

    @Test
    void anOptimizerParameterNamedLikeABuiltInOptimizerFieldIsRefusedAtStartUp() {
        // training.optimizer holds the built-in fields and the optimizer's own parameters side by side: a plugin's
        // 'learning_rate' was listed by `assay plugins` and accepted, then the built-in field took the value and
        // the trial failed with "parameter 'learning_rate' is not declared"
        String odd = "optimizer 'odd-sgd' (" + DeclaringSgd.class.getName() + ") of plugin " + OneOptimizer.class.getName()
                + " (test-classes) declares the parameter '";
        for (String field : List.of("name", "learning_rate", "weight_decay", "clip_gradient", "schedule")) {
            DeclaringSgd.declared = () -> List.of(ParamDescriptor.of(field, ParamType.STRING, "x", "clash"));
            assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new OneOptimizer(DeclaringSgd.class))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(odd + field + "', which is a built-in field of training.optimizer");
        }
        DeclaringSgd.declared = () -> List.of(ParamDescriptor.of("momentum", ParamType.DOUBLE, 0.9, "own"));
        assertThat(PluginRegistry.fromModules(List.of(new OneOptimizer(DeclaringSgd.class)))
                .names(PluginKind.OPTIMIZER)).containsExactly("odd-sgd");
        // an architecture may call its own parameter anything: its parameters sit under model.params
        DeclaringNet.declared = () -> List.of(ParamDescriptor.of("learning_rate", ParamType.DOUBLE, 0.1, "own"));
        assertThat(PluginRegistry.fromModules(List.of(new OneArchitecture(DeclaringNet.class)))
                .names(PluginKind.ARCHITECTURE)).containsExactly("odd");
    }

    /** Registers one architecture whose class is given. */
    public static final class OneArchitecture extends AssayPlugin {
        private final Class<? extends ArchitectureProvider> type;

        OneArchitecture(Class<? extends ArchitectureProvider> type) {
            this.type = type;
        }

        @Override
        protected void configure() {
            registerArchitecture("odd", type);
        }
    }

    /** Throws in its constructor. */
    public static final class ThrowingNet extends ToyPlugins.ToyNet {
        public ThrowingNet() {
            throw new IllegalStateException("native lib XYZ not found");
        }
    }

    /** Declares its parameters as given by {@link #declared}. */
    public static class DeclaringNet extends ToyPlugins.ToyNet {
        static java.util.function.Supplier<List<ParamDescriptor>> declared;

        @Override
        public List<ParamDescriptor> parameters() {
            return declared.get();
        }
    }

    @Test
    void aProviderThatCannotBeCreatedOrDescribedIsNamedWithItsPlugin() {
        String plugin = " of plugin " + OneArchitecture.class.getName() + " (test-classes)";
        // a throwing constructor gave Guice's ProvisionException with no provider name, in every command
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new OneArchitecture(ThrowingNet.class))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("architecture 'odd' (" + ThrowingNet.class.getName() + ")" + plugin + " could not be"
                        + " created: IllegalStateException: native lib XYZ not found");
        String odd = "architecture 'odd' (" + DeclaringNet.class.getName() + ")" + plugin;
        // an ill-typed default said only "expected an integer, got 'sixteen'", as if the user's file were wrong
        DeclaringNet.declared = () -> List.of(ParamDescriptor.of("hidden", ParamType.INT, "sixteen", "width"));
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new OneArchitecture(DeclaringNet.class))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(odd + " cannot declare its parameters: parameter 'hidden': its default sixteen"
                        + " is not valid: ");
        DeclaringNet.declared = () -> null; // a bare NullPointerException before
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new OneArchitecture(DeclaringNet.class))))
                .hasMessage(odd + " returned null from parameters() (an empty list when it takes none)");
        DeclaringNet.declared = () -> List.of(ParamDescriptor.of("hidden", ParamType.INT, 16L, "width"),
                ParamDescriptor.of("hidden", ParamType.DOUBLE, 2.0, "again")); // the last one won, silently
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new OneArchitecture(DeclaringNet.class))))
                .hasMessage(odd + " declares the parameter 'hidden' twice");
        DeclaringNet.declared = () -> List.of(ParamDescriptor.of("Hidden.Units", ParamType.INT, 16L, "width"));
        assertThatThrownBy(() -> PluginRegistry.fromModules(List.of(new OneArchitecture(DeclaringNet.class))))
                .hasMessage(odd + " declares the parameter 'Hidden.Units', which is no YAML key: use letters, digits"
                        + " and _ (snake_case), no dots or spaces");
        DeclaringNet.declared = () -> List.of(ParamDescriptor.of("hidden_units", ParamType.INT, 16L, "width"));
        assertThat(PluginRegistry.fromModules(List.of(new OneArchitecture(DeclaringNet.class)))
                .names(PluginKind.ARCHITECTURE)).containsExactly("odd");
    }

    @Test
    void aMissingPluginPathIsNamedAndAFileThatIsNoJarIsRefused() throws Exception {
        Path missing = dir.resolve("no-such-plugins");
        assertThatThrownBy(() -> PluginRegistry.load(List.of(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("plugin path " + missing.toAbsolutePath() + " does not exist");
        Path text = java.nio.file.Files.writeString(dir.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> PluginRegistry.load(List.of(text)))
                .hasMessage("plugin path " + text.toAbsolutePath() + " is neither a directory of plugin jars nor a"
                        + " .jar file");
    }

    @Test
    void aJarThatCannotBeReadIsNamedNotSkipped() throws Exception {
        // found by a new-user check: a truncated plugin jar was skipped without a word, and its
        // dataset was then an unknown name "(a plugin's datasets load with --plugin-path DIR ...)"
        Path plugins = java.nio.file.Files.createDirectories(dir.resolve("plugins"));
        Path jar = plugins.resolve("rings-plugin-1.0.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(
                java.nio.file.Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.zip.ZipEntry("META-INF/services/com.google.inject.Module"));
            out.write("org.example.RingsModule\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        byte[] whole = java.nio.file.Files.readAllBytes(jar);
        java.nio.file.Files.write(jar, java.util.Arrays.copyOf(whole, whole.length / 2)); // truncated copy
        for (Path entry : List.of(plugins, jar)) {
            assertThatThrownBy(() -> PluginRegistry.load(List.of(entry)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("plugin jar " + jar.toAbsolutePath() + " is not a readable jar (")
                    .hasMessageEndingWith("); rebuild it, or remove it from the plugin path");
        }
        java.nio.file.Files.writeString(jar, "not a jar");
        assertThatThrownBy(() -> PluginRegistry.load(List.of(plugins)))
                .hasMessageStartingWith("plugin jar " + jar.toAbsolutePath() + " is not a readable jar (");
    }

    @Test
    void aPluginJarWithoutItsServicesFileIsWarnedAbout() throws Exception {
        // found by a new-user check: a plugin jar without META-INF/services/dev.assay.plugin.AssayPlugin was
        // accepted without a word, and its dataset was then "unknown ... load with --plugin-path DIR"
        Path plugins = java.nio.file.Files.createDirectories(dir.resolve("bare"));
        Path jar = plugins.resolve("spirals-1.0.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(
                java.nio.file.Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.zip.ZipEntry("org/example/Spirals.class"));
            out.write(new byte[] {1, 2, 3});
            out.closeEntry();
        }
        try (dev.assay.testing.LogCapture log = new dev.assay.testing.LogCapture(PluginRegistry.class.getName())) {
            PluginRegistry loaded = PluginRegistry.load(List.of(jar));
            PluginRegistry.load(List.of(plugins));
            // and the name its plugin would have registered is not blamed on a missing --plugin-path
            assertThatThrownBy(() -> loaded.get(PluginKind.DATASET, "spirals"))
                    .hasMessageEndingWith(" (no plugin on the plugin path " + jar + " registers it; assay plugins lists"
                            + " what each one registers)");
            assertThat(log.warnings()).containsExactly(
                    "plugin jar " + jar.toAbsolutePath() + " lists no plugin (it has no"
                            + " META-INF/services/dev.assay.plugin.AssayPlugin, which names its AssayPlugin class):"
                            + " nothing in it is registered. See the README, \"Writing a plugin\" (a library jar"
                            + " beside plugins is fine)",
                    "plugin directory " + plugins.toAbsolutePath() + ": none of its 1 jar(s) lists a plugin (none has"
                            + " META-INF/services/dev.assay.plugin.AssayPlugin, which names a jar's AssayPlugin"
                            + " class): nothing in it is registered. See the README, \"Writing a plugin\"");
        }
    }

    @Test
    void anEmptyPluginDirectoryLoadsOnlyTheClassPath() {
        PluginRegistry loaded = PluginRegistry.load(List.of(dir));
        assertThat(loaded.pluginNames()).isEqualTo(PluginRegistry.load(List.of()).pluginNames());
    }

    @Test
    void pluginKindsNameTheirSpecPath() {
        assertThat(PluginKind.values()).extracting(PluginKind::specPath).containsExactly(
                "dataset.name", "model.architecture", "training.optimizer.name", "task.name");
        assertThat(PluginKind.ARCHITECTURE.label()).isEqualTo("architecture");
        assertThat(PluginKind.TASK.type()).isEqualTo(TaskProvider.class);
    }
}
