package dev.assay.cli;

import dev.assay.plugin.PluginRegistry;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --plugin-path} option: directories of plugin jars loaded besides the built-in ones. */
public final class PluginOptions {

    @Option(names = "--plugin-path", paramLabel = "DIR",
            description = "directory of plugin jars (repeatable; default: $ASSAY_PLUGIN_PATH, "
                    + "':'-separated)")
    List<Path> pluginPath = new ArrayList<>();

    /**
     * Returns the option as command-line arguments for a worker process.
     *
     * @return {@code --plugin-path DIR} for each directory given (the environment is inherited)
     */
    public List<String> asArguments() {
        List<String> out = new ArrayList<>();
        pluginPath.forEach(p -> out.addAll(List.of("--plugin-path", p.toString())));
        return out;
    }

    /**
     * Loads the built-in plugins plus those in the plugin directories.
     *
     * @return the registry
     * @throws IllegalArgumentException if a plugin directory does not exist
     */
    public PluginRegistry load() {
        List<Path> dirs = new ArrayList<>(pluginPath);
        String env = System.getenv("ASSAY_PLUGIN_PATH");
        if (dirs.isEmpty() && env != null && !env.isBlank()) {
            for (String d : env.split(File.pathSeparator)) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        return PluginRegistry.load(dirs);
    }
}
