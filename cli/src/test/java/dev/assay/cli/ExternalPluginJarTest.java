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
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path"));
        int rc = javac.run(null, null, null, "-classpath", classpath, "-d", classes.toString(),
                src.toString());
        assertThat(rc).as("javac exit code").isZero();
        Path services = classes.resolve("META-INF/services/dev.assay.plugin.AssayPlugin");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "example.blobs.BlobsPlugin\n");
        pluginDir = Files.createDirectories(dir.resolve("plugins"));
        jar(classes, pluginDir.resolve("blobs-plugin.jar"));
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
                + System.lineSeparator());
    }

    @Test
    void pluginFromTheJarIsListedAndTrainsATrial() throws IOException {
        CliFixture plugins = CliFixture.run("plugins", "--kind", "dataset", "--plugin-path",
                pluginDir.toString());
        assertThat(plugins.out()).contains("blobs - two Gaussian blobs (external test plugin)");

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
        }
    }
}
