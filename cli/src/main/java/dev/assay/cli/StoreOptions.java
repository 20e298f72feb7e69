package dev.assay.cli;

import dev.assay.track.TrackingStore;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --store} option shared by every command that reads or writes runs. */
public final class StoreOptions {

    /** The directory used when neither {@code --store} nor {@code ASSAY_STORE} is set. */
    public static final String DEFAULT_DIR = "assay-runs";

    @Option(names = "--store", paramLabel = "URL|DIR",
            description = "JDBC URL (jdbc:...) or directory of the embedded H2 store "
                    + "(default: $ASSAY_STORE, else ./" + DEFAULT_DIR + ")")
    String store;

    /**
     * Returns the JDBC URL to open.
     *
     * @return the URL; a directory becomes an embedded H2 file URL
     */
    public String jdbcUrl() {
        String s = store != null ? store : System.getenv().getOrDefault("ASSAY_STORE", DEFAULT_DIR);
        return s.startsWith("jdbc:") ? s : TrackingStore.defaultUrl(Path.of(s));
    }

    /**
     * Returns the option as command-line arguments for a worker process.
     *
     * @return {@code --store VALUE}, with the environment default resolved
     */
    public List<String> asArguments() {
        return List.of("--store",
                store != null ? store : System.getenv().getOrDefault("ASSAY_STORE", DEFAULT_DIR));
    }

    /**
     * Returns the directory for run artifacts: beside an embedded store, else ./assay-runs.
     *
     * @return the artifact root
     */
    public Path artifactRoot() {
        String s = store != null ? store : System.getenv().getOrDefault("ASSAY_STORE", DEFAULT_DIR);
        return (s.startsWith("jdbc:") ? Path.of(DEFAULT_DIR) : Path.of(s)).resolve("artifacts");
    }
}
