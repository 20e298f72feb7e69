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
            description = "directory of plugin jars, or one jar (repeatable; default: $ASSAY_PLUGIN_PATH, "
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
        return PluginRegistry.load(effective());
    }

    /** The option's entries, else {@code $ASSAY_PLUGIN_PATH}'s. */
    private List<Path> effective() {
        List<Path> dirs = new ArrayList<>(pluginPath);
        String env = System.getenv("ASSAY_PLUGIN_PATH");
        if (dirs.isEmpty() && env != null && !env.isBlank()) {
            for (String d : env.split(File.pathSeparator)) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        return dirs;
    }

    /**
     * Adds the plugin path a run was recorded with (tag {@code assay.plugin_path}) after the entries
     * given now (or {@code $ASSAY_PLUGIN_PATH}'s), skipping those already there and those that no
     * longer exist, for {@code assay resume}: it failed with "unknown dataset" for a plugin trial
     * resumed without {@code --plugin-path}.
     *
     * @param recorded absolute paths
     * @return the paths added
     */
    List<Path> addRecorded(List<Path> recorded) {
        List<Path> current = effective();
        List<Path> added = new ArrayList<>();
        for (Path p : recorded) {
            boolean known = current.stream().anyMatch(c -> c.toAbsolutePath().normalize().equals(p));
            if (!known && java.nio.file.Files.exists(p)) {
                current.add(p);
                added.add(p);
            }
        }
        pluginPath = current;
        return added;
    }
}
