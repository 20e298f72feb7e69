package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assay.track.RunRecord;
import dev.assay.track.RunStatus;
import dev.assay.track.TrackingStore;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that is not a dependency of the CLI: the test compiles its source, packs it in a jar
 * with a {@code META-INF/services} entry, and loads it with {@code --plugin-path}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalPluginJarTest {

    @TempDir
    static Path dir;

    private Path pluginDir;

    @BeforeAll
    void buildPluginJar() throws IOException {
        Path src = dir.resolve("src/example/blobs/BlobsPlugin.java");
        Files.createDirectories(src.getParent());
        try (InputStream in = getClass().getResourceAsStream("/external-plugin/BlobsPlugin.java.txt")) {
            Files.write(src, in.readAllBytes());
        }
        pluginDir = Files.createDirectories(dir.resolve("plugins"));
        compileAndJar(src, dir.resolve("classes"), "example.blobs.BlobsPlugin", pluginDir.resolve("blobs-plugin.jar"));
    }

    /**
     * Compiles one plugin source against the test's class path into {@code classes}, lists
     * {@code plugin} in its {@code META-INF/services} file and packs the classes into {@code jar}.
     */
    private static void compileAndJar(Path src, Path classes, String plugin, Path jar) throws IOException {
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path"));
        int rc = javac.run(null, null, null, "-classpath", classpath, "-d", classes.toString(),
                src.toString());
        assertThat(rc).as("javac exit code").isZero();
        Path services = classes.resolve("META-INF/services/dev.assay.plugin.AssayPlugin");
        Files.createDirectories(services.getParent());
        Files.writeString(services, plugin + "\n");
        jar(classes, jar);
    }

    private static void jar(Path root, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out);
                Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(root.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    private Path experiment() throws IOException {
        Path file = dir.resolve("blobs.yaml");
        Files.writeString(file, """
                name: blobs
                dataset: {name: blobs, params: {samples: 256}}
                model: {architecture: mlp, params: {hidden: [8]}}
                task: classification
                training:
                  epochs: 3
                  batch_size: 32
                  optimizer: {name: adam, learning_rate: 0.01}
                """, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void blobsIsUnknownWithoutThePluginPath() throws IOException {
        CliFixture r = CliFixture.run("run", experiment().toString(), "--store",
                dir.resolve("store-none").toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("error: " + dir.resolve("blobs.yaml") + ":2:17: dataset.name:"
                + " unknown dataset 'blobs'. Known datasets: " + String.join(", ",
                        dev.assay.plugin.PluginRegistry.load(List.of())
                                .names(dev.assay.plugin.PluginKind.DATASET))
                + " (a plugin's datasets load with --plugin-path DIR or $ASSAY_PLUGIN_PATH)" + System.lineSeparator());
    }

    @Test
    void pluginFromTheJarIsListedAndTrainsATrial() throws Exception {
        CliFixture plugins = CliFixture.run("plugins", "--kind", "dataset", "--plugin-path",
                pluginDir.toString());
        assertThat(plugins.out()).contains("blobs - two Gaussian blobs (external test plugin)  [example.blobs.BlobsPlugin"
                + " (blobs-plugin.jar)]").contains("mnist - ").doesNotContain("DatasetsPlugin");

        Path store = dir.resolve("store");
        CliFixture r = CliFixture.run("run", experiment().toString(), "--plugin-path",
                pluginDir.toString(), "--store", store.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
            List<RunRecord> runs = db.runs("blobs");
            assertThat(runs).hasSize(1);
            RunRecord run = runs.get(0);
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.params()).containsEntry("dataset.name", "blobs");
            assertThat(run.tags()).containsEntry("data.source", "generated");
            // Two well-separated blobs: a trained MLP classifies the test split almost perfectly.
            assertThat(run.metrics().get("test_accuracy").last()).isGreaterThan(0.95);
            // which plugin build made the run, and where resume finds it again
            assertThat(run.tags()).containsEntry("assay.plugin_path", "[\"" + pluginDir.toAbsolutePath() + "\"]");
            // with the jar's own hash: two builds of blobs-plugin.jar record different sources
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(java.nio.file.Files.readAllBytes(pluginDir.resolve("blobs-plugin.jar")))).substring(0, 16);
            assertThat(run.tags().get("assay.plugins"))
                    .contains("\"example.blobs.BlobsPlugin (blobs-plugin.jar, sha256 " + sha + ")\"");
        }
        // show --config said nothing of the plugin path, and its YAML read back gave "unknown dataset 'blobs'"
        String runId;
        try (TrackingStore db = TrackingStore.open(TrackingStore.defaultUrl(store))) {
            runId = db.runs("blobs").get(0).runId();
        }
        CliFixture config = CliFixture.run("show", runId, "--config", "--store", store.toString());
        assertThat(config.exitCode()).as(config.err()).isZero();
        assertThat(config.err()).contains("# plugins: ran with --plugin-path [\"" + pluginDir.toAbsolutePath() + "\"]");
        // resume without --plugin-path failed with "unknown dataset 'blobs'"
        CliFixture resume = CliFixture.run("resume", "blobs", "--store", store.toString());
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.err()).contains("Plugin path as recorded: " + pluginDir.toAbsolutePath())
                .contains("Resuming: 1 of 1 trial(s) already completed");
    }

    @Test
    void aJarCanBeGivenItselfAndBrokenPluginJarsAreNamedWithWhatToDo() throws IOException {
        // a jar given as --plugin-path was "plugin directory ... does not exist"
        CliFixture jar = CliFixture.run("plugins", "--kind", "dataset", "--plugin-path",
                pluginDir.resolve("blobs-plugin.jar").toString());
        assertThat(jar.out()).contains("blobs - two Gaussian blobs (external test plugin)");

        // two versions of one plugin in a directory: the first jar's classes were used, silently
        Path twice = Files.createDirectories(dir.resolve("twice"));
        Files.copy(pluginDir.resolve("blobs-plugin.jar"), twice.resolve("blobs-1.0.jar"));
        Files.copy(pluginDir.resolve("blobs-plugin.jar"), twice.resolve("blobs-2.0.jar"));
        CliFixture both = CliFixture.run("plugins", "--plugin-path", twice.toString());
        assertThat(both.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(both.err()).isEqualTo("error: plugin example.blobs.BlobsPlugin is in blobs-1.0.jar and blobs-2.0.jar"
                + " (two versions of one plugin?): keep one of them on the plugin path" + System.lineSeparator());

        // a plugin compiled for a newer Java: a raw UnsupportedClassVersionError and 30 lines of stack trace
        Path classes = dir.resolve("classes");
        Path newer = dir.resolve("newer-classes");
        copyTree(classes, newer);
        Path plugin = newer.resolve("example/blobs/BlobsPlugin.class");
        byte[] bytes = Files.readAllBytes(plugin);
        bytes[6] = 0;
        bytes[7] = 65; // class file major version 65: Java 21
        Files.write(plugin, bytes);
        Path newerDir = Files.createDirectories(dir.resolve("newer"));
        jar(newer, newerDir.resolve("blobs-java21.jar"));
        CliFixture version = CliFixture.run("plugins", "--plugin-path", newerDir.toString());
        int java = Runtime.version().feature();
        assertThat(version.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(version.err()).isEqualTo("error: plugin class example.blobs.BlobsPlugin in blobs-java21.jar was"
                + " compiled for Java 21 (class file version 65), and this JVM runs Java " + java + ": build the"
                + " plugin with --release " + java + " (Maven: <maven.compiler.release>)" + System.lineSeparator());

        // a misspelled class in the services file: an uncaught ServiceConfigurationError
        Path typo = dir.resolve("typo-classes");
        copyTree(classes, typo);
        Files.writeString(typo.resolve("META-INF/services/dev.assay.plugin.AssayPlugin"), "example.blobs.BlobsPlugn\n");
        Path typoDir = Files.createDirectories(dir.resolve("typo"));
        jar(typo, typoDir.resolve("blobs-typo.jar"));
        CliFixture misspelled = CliFixture.run("plugins", "--plugin-path", typoDir.toString());
        assertThat(misspelled.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(misspelled.err()).isEqualTo("error: a plugin jar's META-INF/services/dev.assay.plugin.AssayPlugin"
                + " names example.blobs.BlobsPlugn, which is not in it (listed by blobs-typo.jar): correct the class"
                + " name in that file, or add the class to the jar" + System.lineSeparator());
    }

    @Test
    void aPluginClassServiceLoaderCannotCreateIsNamedWithWhatToDo() throws IOException {
        // a plugin author's check: a package-private nested plugin class gave "cannot load a plugin:
        // NoSuchMethodException: example.hidden.Plugins$Hidden.<init>()", naming neither the jar nor the fix
        Path src = dir.resolve("hidden-src/example/hidden/Plugins.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package example.hidden;

                public final class Plugins {
                    static final class Hidden extends dev.assay.plugin.AssayPlugin {
                        @Override
                        protected void configure() {
                        }
                    }
                }
                """);
        Path hiddenDir = Files.createDirectories(dir.resolve("hidden"));
        compileAndJar(src, dir.resolve("hidden-classes"), "example.hidden.Plugins$Hidden", hiddenDir.resolve("hidden.jar"));
        CliFixture r = CliFixture.run("plugins", "--plugin-path", hiddenDir.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("error: plugin class example.hidden.Plugins$Hidden in hidden.jar cannot be"
                + " created: Java's ServiceLoader needs a public class (a nested class public static) with a public"
                + " constructor without parameters" + System.lineSeparator());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
