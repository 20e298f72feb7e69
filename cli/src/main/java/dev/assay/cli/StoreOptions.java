package dev.assay.cli;

import dev.assay.track.TrackingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
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
     * The option as given, else {@code $ASSAY_STORE} when set and not blank, else {@value
     * #DEFAULT_DIR} (an empty {@code ASSAY_STORE=} put the store in the working directory itself).
     */
    private String value() {
        if (store != null && store.isBlank()) {
            // "--store $STORE" with STORE unset wrote the store into the working directory itself
            throw new IllegalArgumentException("--store is empty; give a directory or a JDBC URL, or leave the"
                    + " option out for $ASSAY_STORE, else ./" + DEFAULT_DIR);
        }
        String env = System.getenv("ASSAY_STORE");
        return normalized(store != null ? store : env != null && !env.isBlank() ? env : DEFAULT_DIR);
    }

    /** A sub-protocol after {@code jdbc:h2:} ({@code mem:}, {@code tcp:}, {@code file:}, {@code nio:}, ...). */
    private static final java.util.regex.Pattern H2_PROTOCOL = java.util.regex.Pattern.compile("[A-Za-z]{2,}:.*");

    /**
     * The store value as every command uses it: H2's path shorthand {@code jdbc:h2:<path>} is
     * written {@code jdbc:h2:file:<path>} (it opened the same database, but its artifacts went
     * under {@code ./assay-runs} and reading commands did not check the file exists), and an
     * embedded file URL that does not say {@code AUTO_SERVER} gets {@code AUTO_SERVER=TRUE;
     * AUTO_RECONNECT=TRUE}, as a directory's URL has, so {@code assay runs} or the web UI can read
     * it while a sweep writes (without, the second process was refused "Database may be already in
     * use"). A URL that sets {@code ACCESS_MODE_DATA} is left as written.
     *
     * @throws IllegalArgumentException for an in-memory H2 URL ({@code jdbc:h2:mem:}): the database
     *     ends with the process, so every run recorded would be lost without a word, and reading
     *     commands would find it empty
     */
    static String normalized(String value) {
        if (!value.regionMatches(true, 0, "jdbc:h2:", 0, "jdbc:h2:".length())) {
            return value;
        }
        String rest = value.substring("jdbc:h2:".length());
        if (rest.regionMatches(true, 0, "mem:", 0, 4)) {
            throw new IllegalArgumentException("--store " + value + ": an in-memory H2 database ends with the"
                    + " process that opens it, so its runs would be lost (and a parallel sweep's workers would each"
                    + " get one of their own); give a directory, or a jdbc:h2:file: or jdbc:h2:tcp: URL");
        }
        String url = H2_PROTOCOL.matcher(rest).matches() ? value : "jdbc:h2:file:" + rest;
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (upper.startsWith("JDBC:H2:FILE:") && !upper.contains(";AUTO_SERVER=")
                && !upper.contains(";ACCESS_MODE_DATA=")) {
            url = url + ";AUTO_SERVER=TRUE" + (upper.contains(";AUTO_RECONNECT=") ? "" : ";AUTO_RECONNECT=TRUE");
        }
        return url;
    }

    /**
     * Whether a path is one of the embedded store's own files ({@code assay.mv.db}, its lock and
     * trace files: every {@code <name>.*} beside the database's {@code <name>}) or lies under its
     * artifact root; always false for a server or in-memory URL.
     *
     * @param path any path
     * @return true if writing it would overwrite part of the store
     */
    boolean holds(Path path) {
        String s = value();
        Path base = TrackingStore.embeddedFile(s);
        if (base == null && s.startsWith("jdbc:")) {
            return false;
        }
        Path database = (base != null ? base : Path.of(s).resolve("assay")).toAbsolutePath().normalize();
        Path target = path.toAbsolutePath().normalize();
        return target.getParent() != null && target.getParent().equals(database.getParent())
                && target.getFileName().toString().startsWith(database.getFileName() + ".")
                || target.startsWith(artifactRoot().toAbsolutePath().normalize());
    }

    /**
     * Returns the JDBC URL to open for recording runs.
     *
     * @return the URL; a directory becomes an embedded H2 file URL
     * @throws IllegalArgumentException if the directory contains {@code ;}, or holds a store this
     *     process cannot write (the message says which and that reading commands can read it)
     */
    public String jdbcUrl() {
        return jdbcUrl(Files::isWritable);
    }

    /** {@link #jdbcUrl()} with the test of whether a file or directory can be written. */
    String jdbcUrl(Predicate<Path> writable) {
        String s = value();
        if (!s.startsWith("jdbc:") && readOnlyStore(Path.of(s), writable)) {
            throw new IllegalArgumentException("the store in '" + s + "' cannot be written ("
                    + whyNotWritable(Path.of(s), StoreOptions::onReadOnlyFileSystem)
                    + "), and runs are recorded there; choose a writable --store DIR"
                    + " (assay runs, show, compare, export and ui can still read this one)");
        }
        validate();
        if (s.startsWith("jdbc:")) {
            return s;
        }
        Path directory = Path.of(s);
        try {
            return TrackingStore.defaultUrl(directory);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("--store " + s + ": cannot create the directory ("
                    + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")", e);
        }
    }

    /**
     * Why a store directory that holds a store cannot be written: its file system is mounted
     * read-only (a backup, a read-only bind mount of a results share), which no change of
     * permissions mends; or this user may not write the database file or the directory.
     *
     * @param directory the store directory
     * @param readOnlyFileSystem whether a path lies on a file system mounted read-only
     * @return the reason, for an error message
     */
    static String whyNotWritable(Path directory, Predicate<Path> readOnlyFileSystem) {
        return readOnlyFileSystem.test(directory) ? "its file system is mounted read-only"
                : "this user may not write assay.mv.db or its directory";
    }

    /** Whether a path's file system is mounted read-only; false when that cannot be told. */
    private static boolean onReadOnlyFileSystem(Path path) {
        try {
            return Files.getFileStore(path).isReadOnly();
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Checks the option as {@link #jdbcUrl()} does, without creating anything: for {@code --dry-run},
     * which accepted an empty {@code --store} or a URL no driver takes, and then said nothing of
     * the trials the store already holds.
     *
     * @throws IllegalArgumentException if the option is empty, an in-memory H2 URL, a URL no JDBC
     *     driver accepts, a directory with {@code ;}, or a file
     */
    public void validate() {
        String s = value();
        if (s.startsWith("jdbc:")) {
            requireDriver(s);
            return;
        }
        if (s.contains(";")) {
            // H2 reads ';' in a URL as the start of its settings: "URL format error"
            throw new IllegalArgumentException("the store directory '" + s + "' contains ';', which an H2 URL"
                    + " cannot hold; choose a directory without it");
        }
        if (Files.exists(Path.of(s)) && !Files.isDirectory(Path.of(s))) {
            // was "error: UncheckedIOException: Cannot create the tracking directory /x/runs.csv." (exit 1)
            throw new IllegalArgumentException("--store " + s + " is a file, not a directory: give the directory"
                    + " that holds (or is to hold) assay.mv.db, or a jdbc: URL");
        }
    }

    /**
     * Returns the JDBC URL of a store that must already exist, for the commands that only read
     * runs: opening an embedded store creates it, so a mistyped {@code --store} would otherwise
     * leave an empty database behind and report "no runs".
     *
     * @return the URL; for a directory whose store this process cannot write (a read-only mount,
     *     another user's files), {@link TrackingStore#readOnlyUrl}
     * @throws IllegalArgumentException if the option names a directory without an Assay store
     *     ({@code assay.mv.db}); the message names the directory
     */
    public String existingUrl() {
        String s = value();
        Path file = TrackingStore.embeddedFile(s);
        // the database file: a directory's assay.mv.db, an embedded URL's; null for a server URL
        Path mvDb = !s.startsWith("jdbc:") ? Path.of(s).resolve("assay.mv.db")
                : file != null ? Path.of(file + ".mv.db") : null;
        if (mvDb != null && !Files.isRegularFile(mvDb)) {
            throw new IllegalArgumentException(file == null ? "no Assay store in '" + s + "' (no assay.mv.db there):"
                    + " run an experiment first (./assay run FILE), or point --store or ASSAY_STORE at the directory"
                    + " that holds one." : "no H2 database at " + mvDb + " (from " + s.split(";")[0]
                    + "): run an experiment into it first, or correct the URL.");
        }
        if (mvDb != null) {
            requireDatabase(mvDb);
        }
        return readingUrl();
    }

    /** H2's MVStore file starts with two 4,096-byte header blocks; a file of no more holds no data. */
    static final long H2_HEADERS = 2 * 4096;

    /**
     * Refuses a store file that holds no database: empty, or only H2's file headers (a store created
     * on a full disk). Opened, H2 made it a new empty store, a reading command reported "No runs
     * yet" and the runs' artifacts beside it were orphaned.
     */
    private static void requireDatabase(Path mvDb) {
        try {
            long size = Files.size(mvDb);
            if (size <= H2_HEADERS) {
                throw new IllegalArgumentException("the store file " + mvDb + " holds no database (" + size + " bytes:"
                        + " empty, or cut short as it was created, e.g. on a full disk); a reading command does not"
                        + " make it a new store. Move it away (its runs' artifacts stay beside it) and restore it from"
                        + " a copy, or run an experiment to start a new store.");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the size of " + mvDb, e);
        }
    }

    /**
     * Returns the JDBC URL for reading runs (the web UI, and {@link #existingUrl} once the store is
     * known to exist): {@link #jdbcUrl}, except for a directory whose store this process cannot
     * write (a read-only mount, another user's files), which is opened with {@link
     * TrackingStore#readOnlyUrl} (H2 refused it outright: {@code AUTO_SERVER} needs a writable
     * file, its lock file a writable directory).
     *
     * @return the URL
     */
    public String readingUrl() {
        return readingUrl(Files::isWritable);
    }

    /**
     * {@link #readingUrl()} with the test of whether a file or directory can be written (a test
     * running as root cannot make one read-only for itself).
     */
    String readingUrl(Predicate<Path> writable) {
        String s = value();
        return !s.startsWith("jdbc:") && readOnlyStore(Path.of(s), writable) ? TrackingStore.readOnlyUrl(Path.of(s))
                : jdbcUrl(writable);
    }

    /**
     * Throws IllegalArgumentException unless a JDBC driver on the classpath accepts {@code url}
     * (was "error: TrackingException: ... No suitable driver", exit 1).
     */
    private static void requireDriver(String url) {
        try {
            java.sql.DriverManager.getDriver(url);
        } catch (java.sql.SQLException e) {
            throw new IllegalArgumentException("--store " + url + ": no JDBC driver accepts this URL; Assay ships"
                    + " H2's (jdbc:h2:file:DIR/assay, jdbc:h2:tcp://HOST/PATH), or give the store's directory");
        }
    }

    /** Whether a store directory holds a database that this process cannot write. */
    private static boolean readOnlyStore(Path directory, Predicate<Path> writable) {
        Path db = directory.resolve("assay.mv.db");
        return Files.isRegularFile(db) && !(writable.test(db) && writable.test(directory));
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
     * The {@code --store} option for a command to suggest, when the user gave one: a suggested
     * command without it would use {@code $ASSAY_STORE} or {@code ./assay-runs}, another store
     * (resume's "--rerun runs them all again" dropped it).
     *
     * @return {@code --store VALUE}, or empty when the option was not given
     */
    public List<String> givenArguments() {
        return store == null ? List.of() : asArguments();
    }

    /**
     * Returns the directory for run artifacts: {@code artifacts/} beside an embedded store (a
     * directory, or a {@code jdbc:h2:file:<dir>/<name>} URL: {@code <dir>/artifacts}), else
     * {@code ./assay-runs/artifacts} (a server or in-memory URL).
     *
     * @return the artifact root
     */
    public Path artifactRoot() {
        String s = value();
        Path file = TrackingStore.embeddedFile(s);
        Path dir = file != null ? file.toAbsolutePath().getParent() : s.startsWith("jdbc:") ? Path.of(DEFAULT_DIR)
                : Path.of(s);
        return dir.resolve("artifacts");
    }
}
