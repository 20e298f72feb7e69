package dev.assay.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that distinguishes one idx image dataset (MNIST, Fashion-MNIST) from another: its
 * name, class names, where a system copy lives, where to download it and the MD5 of each file,
 * and an optional bundled subset.
 *
 * @param name the registered name, also the subdirectory searched in data directories and the
 *     user cache, e.g. {@code fashion-mnist}
 * @param classNames the class names, index = label value; 10 for both datasets
 * @param systemDir the directory of a system-wide copy (a Debian package), searched after the
 *     data directories
 * @param aptPackage the Debian package that installs {@code systemDir}, or null if there is none
 * @param baseUrl the download URL that file names are appended to; ends with {@code /}
 * @param md5 the expected MD5 (lower-case hex) of each gzip file by file name
 * @param bundledResource the classpath directory of a bundled subset (same four file names,
 *     gzip-compressed), e.g. {@code /dev/assay/datasets/fashion-mnist-subset}, or null if none
 */
public record IdxDatasetSpec(
        String name,
        List<String> classNames,
        Path systemDir,
        String aptPackage,
        String baseUrl,
        Map<String, String> md5,
        String bundledResource) {

    /** Training images, idx3. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** Training labels, idx1. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Test images, idx3. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** Test labels, idx1. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The four file names without extension, in the order they are read and fingerprinted. */
    public static final List<String> FILES =
            List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /**
     * Validates and copies the collections.
     *
     * @param name the registered name
     * @param classNames the class names, index = label
     * @param systemDir the system-wide copy's directory
     * @param aptPackage the Debian package installing it, or null
     * @param baseUrl the download base URL, ending with {@code /}
     * @param md5 the MD5 of each gzip file by file name
     * @param bundledResource the classpath directory of a bundled subset, or null
     * @throws NullPointerException if name, classNames, systemDir, baseUrl or md5 is null
     * @throws IllegalArgumentException if baseUrl does not end with {@code /} or an MD5 is missing
     */
    public IdxDatasetSpec {
        Objects.requireNonNull(name, "name");
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(systemDir, "systemDir");
        Objects.requireNonNull(baseUrl, "baseUrl");
        md5 = Map.copyOf(md5);
        if (!baseUrl.endsWith("/")) {
            throw new IllegalArgumentException("baseUrl must end with '/', got '" + baseUrl + "'");
        }
        for (String file : FILES) {
            if (!md5.containsKey(file + ".gz")) {
                throw new IllegalArgumentException("md5 has no entry for " + file + ".gz");
            }
        }
    }

    /**
     * Returns a copy downloading from another base URL (tests point it at a local server).
     *
     * @param url the new base URL, ending with {@code /}
     * @return the modified spec
     */
    public IdxDatasetSpec withBaseUrl(String url) {
        return new IdxDatasetSpec(name, classNames, systemDir, aptPackage, url, md5, bundledResource);
    }

    /**
     * Returns a copy expecting other MD5 sums.
     *
     * @param sums lower-case hex MD5 by gzip file name, all four files
     * @return the modified spec
     */
    public IdxDatasetSpec withMd5(Map<String, String> sums) {
        return new IdxDatasetSpec(name, classNames, systemDir, aptPackage, baseUrl, sums, bundledResource);
    }

    /**
     * Returns a copy with another system directory.
     *
     * @param dir the directory
     * @return the modified spec
     */
    public IdxDatasetSpec withSystemDir(Path dir) {
        return new IdxDatasetSpec(name, classNames, dir, aptPackage, baseUrl, md5, bundledResource);
    }
}
