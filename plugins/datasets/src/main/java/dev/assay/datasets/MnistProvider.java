package dev.assay.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * MNIST handwritten digits (LeCun, Cortes, Burges): 60,000 training and 10,000 test greyscale
 * 28x28 images of the digits 0-9, registered as {@code mnist}; class names are {@code "0"} to
 * {@code "9"}. Found locally (data directories, {@code ASSAY_DATA_DIR}, {@code
 * /usr/share/datasets/mnist}, {@code ~/.assay/datasets/mnist}), else downloaded from the PyTorch
 * {@code ossci-datasets} S3 mirror. There is no bundled subset: when the files cannot be found or
 * downloaded, {@link #load} throws an {@link java.io.IOException} saying where to put them. See
 * {@link IdxDatasetProvider} for the parameters and the output.
 */
public final class MnistProvider extends IdxDatasetProvider {

    /** The registered name. */
    public static final String NAME = "mnist";

    /** The dataset: class names, system directory, mirror URL and MD5 sums, no bundled subset. */
    public static final IdxDatasetSpec SPEC = new IdxDatasetSpec(
            NAME,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            Path.of("/usr/share/datasets/mnist"),
            null,
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            Map.of(
                    "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                    "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                    "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                    "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
            null);

    /** Creates the provider with the official locations and {@code ~/.assay/datasets} as cache. */
    public MnistProvider() {
        this(SPEC, defaultCacheRoot(), System::getenv);
    }

    /**
     * Creates a provider with other locations (tests: a local download server, temp directories).
     *
     * @param spec the dataset, normally {@link #SPEC} with some fields replaced
     * @param cacheRoot the user cache root
     * @param env reads an environment variable
     */
    MnistProvider(IdxDatasetSpec spec, Path cacheRoot, Function<String, String> env) {
        super(spec, cacheRoot, env);
    }

    @Override
    public String description() {
        return "MNIST: 28x28 greyscale handwritten digits, 10 classes (60k train, 10k test)";
    }
}
