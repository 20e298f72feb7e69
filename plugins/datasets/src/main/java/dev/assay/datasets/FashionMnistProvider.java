package dev.assay.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, arXiv:1708.07747; MIT licence, Zalando Research):
 * 60,000 training and 10,000 test greyscale 28x28 images of 10 kinds of clothing, registered as
 * {@code fashion-mnist}. Found locally (data directories, {@code ASSAY_DATA_DIR}, the Debian
 * package {@code dataset-fashion-mnist} in {@code /usr/share/datasets/fashion-mnist}, {@code
 * ~/.assay/datasets/fashion-mnist}), else downloaded from Zalando's S3 bucket; if that fails or
 * downloads are disabled, the bundled real subset (the first 6,000 training and 1,000 test images)
 * is used with a warning. See {@link IdxDatasetProvider} for the parameters and the output.
 */
public final class FashionMnistProvider extends IdxDatasetProvider {

    /** The registered name. */
    public static final String NAME = "fashion-mnist";

    /** The dataset: class names, system directory, official URL and MD5 sums, bundled subset. */
    public static final IdxDatasetSpec SPEC = new IdxDatasetSpec(
            NAME,
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                    "Sneaker", "Bag", "Ankle boot"),
            Path.of("/usr/share/datasets/fashion-mnist"),
            "dataset-fashion-mnist",
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            Map.of(
                    "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                    "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
                    "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
                    "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
            "/dev/assay/datasets/fashion-mnist-subset");

    /** Creates the provider with the official locations and {@code ~/.assay/datasets} as cache. */
    public FashionMnistProvider() {
        this(SPEC, defaultCacheRoot(), System::getenv);
    }

    /**
     * Creates a provider with other locations (tests: a local download server, temp directories).
     *
     * @param spec the dataset, normally {@link #SPEC} with some fields replaced
     * @param cacheRoot the user cache root
     * @param env reads an environment variable
     */
    FashionMnistProvider(IdxDatasetSpec spec, Path cacheRoot, Function<String, String> env) {
        super(spec, cacheRoot, env);
    }

    @Override
    public String description() {
        return "Fashion-MNIST: 28x28 greyscale clothing images, 10 classes (60k train, 10k test)";
    }
}
