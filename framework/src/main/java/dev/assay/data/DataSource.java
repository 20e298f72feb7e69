package dev.assay.data;

/**
 * Where a dataset was read from, recorded with every run.
 *
 * @param kind how it was found: {@code data-dir}, {@code system}, {@code user-cache},
 *     {@code download}, {@code bundled-subset}, {@code generated}, or {@code path} (a file or
 *     directory the experiment names, absolute or relative to the working directory)
 * @param location the directory, URL or resource path read
 * @param trainSamples number of training samples used (after any limit, before the validation split)
 * @param testSamples number of test samples used
 * @param fingerprint a checksum of the files read (hex SHA-256 prefix), or "" when generated
 */
public record DataSource(
        String kind, String location, long trainSamples, long testSamples, String fingerprint) {

    @Override
    public String toString() {
        return kind + " (" + location + "): " + trainSamples + " train, " + testSamples + " test";
    }
}
