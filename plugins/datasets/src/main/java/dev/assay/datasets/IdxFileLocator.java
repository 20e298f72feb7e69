package dev.assay.datasets;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the four idx files of a dataset. Search order: each data directory of the trial, then
 * each directory of the environment variable {@code ASSAY_DATA_DIR} (separated by {@link
 * File#pathSeparator}), then the system directory (a Debian package), then the user cache
 * {@code <cacheRoot>/<name>}. In the data directories and those of {@code ASSAY_DATA_DIR} the
 * subdirectory named after the dataset is tried before the directory itself; each file may be
 * gzip-compressed ({@code name.gz}, preferred) or plain. A data directory (or its subdirectory)
 * that holds some of the four files but not all, or files named almost like them (Kaggle's
 * {@code train-images.idx3-ubyte}), is an error: the user pointed at it. If no directory has all
 * four files, they are downloaded into the user cache with an
 * MD5 check, unless downloads are disabled ({@code ASSAY_OFFLINE=1} or {@code true}, or the system
 * property {@code assay.offline=true}). If that fails or is disabled, the bundled subset is used
 * when the dataset has one; otherwise an {@link IOException} says where to put the files.
 */
final class IdxFileLocator {

    /** Environment variable listing extra data directories. */
    static final String DATA_DIR_ENV = "ASSAY_DATA_DIR";
    /** Environment variable that disables downloads when {@code 1} or {@code true}. */
    static final String OFFLINE_ENV = "ASSAY_OFFLINE";
    /** System property that disables downloads when {@code true}. */
    static final String OFFLINE_PROPERTY = "assay.offline";

    private static final Logger LOG = LoggerFactory.getLogger(IdxFileLocator.class);

    /**
     * Downloads that failed in this process, by base URL: a sweep tries once, not once per trial.
     */
    private static final java.util.Map<String, String> FAILED_DOWNLOADS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final IdxDatasetSpec spec;
    private final Path cacheDir;
    private final Function<String, String> env;
    private final IdxDownloader downloader = new IdxDownloader();

    /**
     * Creates a locator.
     *
     * @param spec the dataset
     * @param cacheRoot the user cache root, normally {@code ~/.assay/datasets}
     * @param env reads an environment variable, null when unset ({@code System::getenv})
     */
    IdxFileLocator(IdxDatasetSpec spec, Path cacheRoot, Function<String, String> env) {
        this.spec = spec;
        this.cacheDir = cacheRoot.resolve(spec.name());
        this.env = env;
    }

    /**
     * Finds, downloads or falls back to the bundled files, and reads them whole.
     *
     * @param dataDirs the trial's data directories, searched first, in order
     * @return the files and where they came from
     * @throws IOException if no copy is found, the download fails and there is no bundled subset;
     *     the message lists where it looked and how to get the files; if a data directory (or its
     *     subdirectory named after the dataset) holds some but not all of the four files, or a file
     *     named almost like one of them (the message names the directory, the missing files and the
     *     near matches)
     */
    LocatedFiles locate(List<Path> dataDirs) throws IOException {
        List<Path> searched = new ArrayList<>();
        List<Path> userDirs = new ArrayList<>(dataDirs);
        userDirs.addAll(envDirs());
        LocatedFiles found = search("data-dir", withSubdirs(userDirs), searched, true);
        found = found != null ? found : search("system", List.of(spec.systemDir()), searched, false);
        found = found != null ? found : search("user-cache", List.of(cacheDir), searched, false);
        return found != null ? found : downloadOrFallBack(searched);
    }

    /** Each directory's subdirectory named after the dataset, then the directory itself. */
    private List<Path> withSubdirs(List<Path> dirs) {
        List<Path> out = new ArrayList<>();
        for (Path dir : dirs) {
            out.add(dir.resolve(spec.name()));
            out.add(dir);
        }
        return out;
    }

    private LocatedFiles search(String kind, List<Path> dirs, List<Path> searched, boolean given)
            throws IOException {
        for (Path candidate : dirs) {
            searched.add(candidate);
            List<Path> files = complete(candidate);
            if (files != null) {
                return read(kind, candidate, files);
            }
            if (given && Files.isDirectory(candidate)) {
                requireNoPartialCopy(candidate);
            }
        }
        return null;
    }

    /**
     * Refuses a directory the user gave that holds some of the four files (or files named almost
     * like them) but not all: another copy, or the bundled subset, would be used silently instead.
     */
    private void requireNoPartialCopy(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String stem : IdxDatasetSpec.FILES) {
            Path gz = dir.resolve(stem + ".gz");
            Path file = Files.isRegularFile(gz) ? gz : dir.resolve(stem);
            (Files.isRegularFile(file) ? found : missing).add(Files.isRegularFile(file)
                    ? file.getFileName().toString() : stem + "(.gz)");
        }
        List<String> near = nearMatches(dir);
        if (found.isEmpty() && near.isEmpty()) {
            return;
        }
        throw new dev.assay.plugin.DataUnavailableException(spec.name() + ": " + dir + " holds " + found.size()
                + " of the 4 idx files"
                + (found.isEmpty() ? "" : " (" + String.join(", ", found) + ")") + "; missing "
                + String.join(", ", missing) + (near.isEmpty() ? "" : "; found near matches " + String.join(", ", near)
                + ": rename them to the standard names") + ". This directory was given (--data-dir or $"
                + DATA_DIR_ENV + "), so no other copy and no bundled subset is used in its place: add the"
                + " missing files (gzipped or not) or leave the directory out.");
    }

    /**
     * Files named like one of the four but not exactly, e.g. Kaggle's {@code train-images.idx3-ubyte}.
     *
     * @return e.g. {@code ["train-images.idx3-ubyte for train-images-idx3-ubyte"]}
     */
    private static List<String> nearMatches(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                for (String stem : IdxDatasetSpec.FILES) {
                    if (!name.equals(stem) && !name.equals(stem + ".gz") && normalized(name).equals(normalized(stem))) {
                        out.add(name + " for " + stem);
                    }
                }
            }
        }
        return out;
    }

    /** Lower case, without {@code .gz} and without punctuation: {@code trainimagesidx3ubyte}. */
    private static String normalized(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return (lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower).replaceAll("[^a-z0-9]", "");
    }

    private static List<Path> complete(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        List<Path> files = new ArrayList<>();
        for (String stem : IdxDatasetSpec.FILES) {
            Path gz = dir.resolve(stem + ".gz");
            Path plain = dir.resolve(stem);
            Path file = Files.isRegularFile(gz) ? gz : Files.isRegularFile(plain) ? plain : null;
            if (file == null) {
                return null;
            }
            if (file == gz && Files.isRegularFile(plain)) { // the .gz won without a word
                LOG.info("{} and {} are both in {}; reading {}", gz.getFileName(), plain.getFileName(), dir,
                        gz.getFileName());
            }
            files.add(file);
        }
        return files;
    }

    private static LocatedFiles read(String kind, Path dir, List<Path> files) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        for (Path file : files) {
            contents.add(Files.readAllBytes(file));
        }
        List<String> names = files.stream().map(Path::toString).toList();
        return new LocatedFiles(kind, dir.toString(), names, contents);
    }

    private List<Path> envDirs() {
        String value = env.apply(DATA_DIR_ENV);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        for (String part : value.split(File.pathSeparator)) {
            if (!part.isBlank()) {
                dirs.add(Path.of(part.trim()));
            }
        }
        return dirs;
    }

    /**
     * Whether downloads are disabled by {@code ASSAY_OFFLINE} or {@code -Dassay.offline=true}.
     *
     * @return true if offline
     */
    boolean offline() {
        String value = env.apply(OFFLINE_ENV);
        return "1".equals(value)
                || "true".equalsIgnoreCase(value)
                || Boolean.getBoolean(OFFLINE_PROPERTY);
    }

    private LocatedFiles downloadOrFallBack(List<Path> searched) throws IOException {
        String failure;
        String earlier = FAILED_DOWNLOADS.get(spec.baseUrl());
        if (offline()) {
            failure = "downloads are disabled (" + OFFLINE_ENV + "=1 or -D" + OFFLINE_PROPERTY
                    + "=true)";
        } else if (earlier != null) {
            failure = earlier + " (not retried in this process)";
        } else {
            try {
                return download();
            } catch (IOException e) {
                failure = "download from " + spec.baseUrl() + " failed: " + describe(e);
                FAILED_DOWNLOADS.put(spec.baseUrl(), failure);
            }
        }
        String advice = advice(searched);
        if (spec.bundledResource() == null) {
            throw new IOException(spec.name() + ": no local copy was found and " + failure
                    + ". " + advice);
        }
        if (earlier != null) {
            LOG.info("{}: using the bundled subset again; {}", spec.name(), failure);
            return bundled();
        }
        LOG.warn("{}: no local copy was found and {}. {} Falling back to the small subset bundled "
                + "with assay-datasets ({}).", spec.name(), failure, advice,
                spec.bundledResource());
        return bundled();
    }

    /**
     * Why a download failed, in words: Java's HTTP client throws a {@code ConnectException} with no
     * message for an unknown host, a refused connection and a missing route alike (the message read
     * "failed: ConnectException"); the reason is in its causes.
     */
    static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return "the host name could not be resolved (no network, or no DNS)";
            }
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "the connection timed out";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return t == e ? message : e.getClass().getSimpleName() + ": " + message;
            }
        }
        return e instanceof java.net.ConnectException ? "could not connect (refused, or no route to the host)"
                : e.getClass().getSimpleName();
    }

    private String advice(List<Path> searched) {
        String files = String.join(", ", IdxDatasetSpec.FILES.stream().map(f -> f + ".gz").toList());
        String apt = spec.aptPackage() == null ? ""
                : ", or install the Debian package " + spec.aptPackage() + " (apt-get install "
                        + spec.aptPackage() + ", files in " + spec.systemDir() + ")";
        return "Looked in " + searched + ". To use the full dataset, put " + files
                + " (gzipped or not) in a --data-dir directory, in $" + DATA_DIR_ENV + " or in "
                + cacheDir + apt + ".";
    }

    private LocatedFiles download() throws IOException {
        List<Path> targets = new ArrayList<>();
        for (String stem : IdxDatasetSpec.FILES) {
            String file = stem + ".gz";
            Path target = cacheDir.resolve(file);
            if (!Files.isRegularFile(target)) {
                LOG.info("{}: downloading {}{} to {}", spec.name(), spec.baseUrl(), file, target);
                downloader.download(URI.create(spec.baseUrl() + file), target, spec.md5().get(file));
            }
            targets.add(target);
        }
        LocatedFiles files = read("download", cacheDir, targets);
        return new LocatedFiles("download", spec.baseUrl(), files.names(), files.contents());
    }

    private LocatedFiles bundled() throws IOException {
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (String stem : IdxDatasetSpec.FILES) {
            String resource = spec.bundledResource() + "/" + stem + ".gz";
            try (InputStream in = IdxFileLocator.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("bundled resource " + resource + " is missing");
                }
                contents.add(in.readAllBytes());
            }
            names.add("classpath:" + resource);
        }
        return new LocatedFiles("bundled-subset", "classpath:" + spec.bundledResource(), names,
                contents);
    }
}
