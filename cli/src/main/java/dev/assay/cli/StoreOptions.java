package dev.assay.cli;

import dev.assay.track.TrackingStore;
import java.nio.file.Files;
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

    /** The option as given, else {@code $ASSAY_STORE}, else {@value #DEFAULT_DIR}. */
    private String value() {
        return store != null ? store : System.getenv().getOrDefault("ASSAY_STORE", DEFAULT_DIR);
    }

    /**
     * Returns the JDBC URL to open.
     *
     * @return the URL; a directory becomes an embedded H2 file URL
     */
    public String jdbcUrl() {
        String s = value();
        return s.startsWith("jdbc:") ? s : TrackingStore.defaultUrl(Path.of(s));
    }

    /**
     * Returns the JDBC URL of a store that must already exist, for the commands that only read
     * runs: opening an embedded store creates it, so a mistyped {@code --store} would otherwise
     * leave an empty database behind and report "no runs".
     *
     * @return the URL
     * @throws IllegalArgumentException if the option names a directory without an Assay store
     *     ({@code assay.mv.db}); the message names the directory
     */
    public String existingUrl() {
        String s = value();
        if (!s.startsWith("jdbc:") && !Files.isRegularFile(Path.of(s).resolve("assay.mv.db"))) {
            throw new IllegalArgumentException("no Assay store in '" + s + "' (no assay.mv.db there): run an"
                    + " experiment first (./assay run FILE), or point --store or ASSAY_STORE at the directory"
                    + " that holds one.");
        }
        return jdbcUrl();
    }

    /**
     * Returns the option as command-line arguments for a worker process.
     *
     * @return {@code --store VALUE}, with the environment default resolved
     */
    public List<String> asArguments() {
        return List.of("--store", value());
    }

    /**
     * Returns the directory for run artifacts: beside an embedded store, else ./assay-runs.
     *
     * @return the artifact root
     */
    public Path artifactRoot() {
        String s = value();
        return (s.startsWith("jdbc:") ? Path.of(DEFAULT_DIR) : Path.of(s)).resolve("artifacts");
    }
}
