package dev.assay.datasets;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Finds a local text dataset. Roots, in order: the data directories ({@code --data-dir}), each
 * directory of {@code ASSAY_DATA_DIR} ({@link File#pathSeparator}-separated), extra roots of the
 * dataset (e.g. npm or Debian locations), then {@code ~/.assay/datasets}. In each root the
 * dataset's relative candidates are tried in order; the first directory or file that passes the
 * check wins.
 */
final class TextDataLocator {

    private final Function<String, String> env;
    private final Path cacheRoot;

    /**
     * Creates a locator.
     *
     * @param env reads an environment variable
     * @param cacheRoot the user cache root, normally {@code ~/.assay/datasets}
     */
    TextDataLocator(Function<String, String> env, Path cacheRoot) {
        this.env = env;
        this.cacheRoot = cacheRoot;
    }

    /** Creates a locator with the process environment and {@code ~/.assay/datasets}. */
    TextDataLocator() {
        this(System::getenv, Path.of(System.getProperty("user.home"), ".assay", "datasets"));
    }

    /**
     * Returns the roots searched, in order.
     *
     * @param dataDirs the data directories of the trial
     * @param extraRoots dataset-specific roots tried after the environment, before the cache
     * @return the roots
     */
    List<Path> roots(List<Path> dataDirs, List<Path> extraRoots) {
        List<Path> roots = new ArrayList<>(dataDirs);
        String fromEnv = env.apply("ASSAY_DATA_DIR");
        if (fromEnv != null && !fromEnv.isBlank()) {
            for (String p : fromEnv.split(File.pathSeparator)) {
                if (!p.isBlank()) {
                    roots.add(Path.of(p));
                }
            }
        }
        roots.addAll(extraRoots);
        roots.add(cacheRoot);
        return roots;
    }

    /**
     * Says how a found file or directory was found, for its run's {@code data.source} tag ({@link
     * dev.assay.data.DataSource#kind}): {@code data-dir} under a {@code --data-dir} directory or
     * one of {@code $ASSAY_DATA_DIR}, {@code user-cache} under the user cache root, {@code system}
     * under one of {@code systemRoots} (a Debian or npm package's directory), else {@code path} (a
     * path the experiment names, absolute or relative to the working directory). Every text dataset
     * recorded {@code data-dir}, even for a file given by its absolute path.
     *
     * @param found what was read
     * @param dataDirs the data directories of the trial
     * @param systemRoots the dataset's package directories, or none
     * @return the kind
     */
    String kind(Path found, List<Path> dataDirs, List<Path> systemRoots) {
        Path at = found.toAbsolutePath().normalize();
        List<Path> userRoots = roots(dataDirs, List.of());
        userRoots.remove(cacheRoot);
        if (userRoots.stream().anyMatch(r -> at.startsWith(r.toAbsolutePath().normalize()))) {
            return "data-dir";
        }
        if (at.startsWith(cacheRoot.toAbsolutePath().normalize())) {
            return "user-cache";
        }
        return systemRoots.stream().anyMatch(r -> at.startsWith(r.toAbsolutePath().normalize())) ? "system" : "path";
    }

    /**
     * Returns the roots for a user-given relative path: the data directories and {@code
     * $ASSAY_DATA_DIR} first, as {@code --data-dir}'s help says ("searched first"), then the working
     * directory (so a relative path also works as typed), then the user cache: {@link #roots(List,
     * List)} with the working directory as the extra root, the order IMDB's already had. The working
     * directory came first: a {@code ./wikitext-2} or {@code ./fra.txt} silently won over the one in
     * {@code --data-dir}, and {@code wikitext-103} there lost to {@code ./wikitext-2}.
     *
     * @param dataDirs the data directories of the trial
     * @return the roots, the working directory as {@code ""}
     */
    List<Path> rootsForPath(List<Path> dataDirs) {
        return roots(dataDirs, List.of(Path.of("")));
    }

    /**
     * Names where a dataset named {@code name} was looked for, for a "not found" message: {@link
     * #describe(List)}, or the path itself when it is absolute.
     *
     * @param roots the roots searched
     * @param name the dataset's {@code path} parameter
     * @return e.g. {@code [. (/home/me/work), /data]} or {@code [/data/fra.txt] (an absolute path: ...)}
     */
    static String describe(List<Path> roots, String name) {
        if (Path.of(name).isAbsolute()) {
            // it listed the working directory and the data directories, which an absolute path never looks in
            return "[" + name + "] (an absolute path: the data directories are not searched)";
        }
        return describe(roots);
    }

    /**
     * Names the roots for a "not found" message: the working directory as {@code . (<absolute
     * path>)}, the others as they are.
     *
     * @param roots the roots searched, e.g. from {@link #rootsForPath}
     * @return e.g. {@code [. (/home/me/work), /data, /home/me/.assay/datasets]}
     */
    static String describe(List<Path> roots) {
        return roots.stream().map(r -> r.toString().isEmpty() ? ". (" + r.toAbsolutePath() + ")" : r.toString())
                .toList().toString();
    }

    /**
     * Finds the first candidate that passes the check.
     *
     * @param roots the roots (see {@link #roots})
     * @param candidates paths relative to each root, tried in order ({@code ""} is the root)
     * @param check whether a path is the dataset
     * @return the path found, absolute and normalized, or empty
     */
    static Optional<Path> find(List<Path> roots, List<String> candidates, Predicate<Path> check) {
        for (Path root : roots) {
            for (String c : candidates) {
                Path p = c.isEmpty() ? root : root.resolve(c);
                if (Files.exists(p) && check.test(p)) {
                    // absolute: a run recorded "dd/aclImdb", which says nothing without the working directory it ran in
                    return Optional.of(p.toAbsolutePath().normalize());
                }
            }
        }
        return Optional.empty();
    }
}
