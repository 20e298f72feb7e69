package dev.assay.data;

/**
 * The tags every run gets for the data its trial read (set when the dataset is loaded), which
 * {@code assay show --config}, the sweep's different-data warning and the web UI read back.
 */
public final class DataTags {

    /** Where the data came from: {@link DataSource#kind()}, e.g. {@code data-dir}, {@code system}. */
    public static final String SOURCE = "data.source";

    /** The directory or file the data was read from: {@link DataSource#location()}. */
    public static final String LOCATION = "data.location";

    /** A checksum of the files read (hex SHA-256 prefix, empty for generated data): {@link
     * DataSource#fingerprint()}. */
    public static final String FINGERPRINT = "data.fingerprint";

    /** Training examples used (after any limit, before the validation split): {@link DataSource#trainSamples()}. */
    public static final String TRAIN_SAMPLES = "data.train_samples";

    /** Test examples used: {@link DataSource#testSamples()}. */
    public static final String TEST_SAMPLES = "data.test_samples";

    private DataTags() {}
}
