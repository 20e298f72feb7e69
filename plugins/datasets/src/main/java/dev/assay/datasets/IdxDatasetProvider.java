package dev.assay.datasets;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import dev.assay.data.ClassificationData;
import dev.assay.data.DataSource;
import dev.assay.data.DatasetContext;
import dev.assay.plugin.DatasetProvider;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.ParamType;
import dev.assay.plugin.Params;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Common code of the idx image datasets: finds the files (see {@link IdxFileLocator} for the
 * search order, download and fallback), reads the first {@code limit_train} training and
 * {@code limit_test} test records, carves a validation split from the training records with a
 * permutation from {@code new Random(context.seed())}, and returns {@link ClassificationData}
 * with sample shape {@code (1, 28, 28)} (channels, height, width).
 *
 * <p>Parameters: {@code validation_split} (number in [0, 0.9], default 0.1), {@code
 * limit_train} and {@code limit_test} (records, default 0 = all), {@code normalize} (default
 * true: pixels / 255 in [0, 1]; false: raw values in [0, 255]).
 */
public abstract class IdxDatasetProvider implements DatasetProvider {

    /** Parameter: fraction of the (limited) training records held out for validation. */
    public static final String VALIDATION_SPLIT = "validation_split";
    /** Parameter: the most training records to read, 0 for all. */
    public static final String LIMIT_TRAIN = "limit_train";
    /** Parameter: the most test records to read, 0 for all. */
    public static final String LIMIT_TEST = "limit_test";
    /** Parameter: whether pixel values are divided by 255. */
    public static final String NORMALIZE = "normalize";

    private static final Logger LOG = LoggerFactory.getLogger(IdxDatasetProvider.class);

    private static final List<ParamDescriptor> PARAMETERS = List.of(
            ParamDescriptor.of(VALIDATION_SPLIT, ParamType.DOUBLE, 0.1,
                    "fraction of the training records held out for validation").range(0, 0.9),
            ParamDescriptor.of(LIMIT_TRAIN, ParamType.INT, 0L,
                    "use only the first N training records (0 = all)").range(0, Integer.MAX_VALUE),
            ParamDescriptor.of(LIMIT_TEST, ParamType.INT, 0L,
                    "use only the first N test records (0 = all)").range(0, Integer.MAX_VALUE),
            ParamDescriptor.of(NORMALIZE, ParamType.BOOLEAN, true,
                    "scale pixels to [0, 1] (value / 255); false keeps [0, 255]"));

    private final IdxDatasetSpec spec;
    private final IdxFileLocator locator;

    /**
     * Creates a provider.
     *
     * @param spec the dataset
     * @param cacheRoot the user cache root; the dataset's files go in {@code cacheRoot/<name>}
     * @param env reads an environment variable ({@code System::getenv} outside tests)
     */
    protected IdxDatasetProvider(IdxDatasetSpec spec, Path cacheRoot, Function<String, String> env) {
        this.spec = spec;
        this.locator = new IdxFileLocator(spec, cacheRoot, env);
    }

    /**
     * Returns the user cache root used by default: {@code ~/.assay/datasets}.
     *
     * @return the directory
     */
    protected static Path defaultCacheRoot() {
        return Path.of(System.getProperty("user.home"), ".assay", "datasets");
    }

    /**
     * Returns the dataset this provider loads.
     *
     * @return the spec
     */
    public IdxDatasetSpec spec() {
        return spec;
    }

    @Override
    public List<ParamDescriptor> parameters() {
        return PARAMETERS;
    }

    /**
     * Refuses, when the experiment file is read, a {@code limit_train} whose {@code
     * validation_split} holds out no record or leaves fewer than 2 to train on ({@link SplitCheck});
     * for files that hold fewer records than the limit, {@link #load} refuses the second and warns of
     * the first.
     *
     * @param params the resolved parameters
     * @return {@code limit_train} → what is wrong, or empty
     */
    @Override
    public java.util.Map<String, String> checkParams(Params params) {
        return SplitCheck.check(params, SplitCheck.CLASSIFIER);
    }

    /**
     * Loads the splits: training (shuffled each epoch), validation (null when {@code
     * validation_split} is 0 or rounds to no records) and test, each with batch size {@code
     * context.batchSize()}; data float32 {@code (N, 1, 28, 28)}, labels float32 {@code (N)}.
     *
     * @param params resolved against {@link #parameters()}
     * @param context the manager the arrays are created on, batch size, seed and data directories
     * @return the {@link ClassificationData}
     * @throws IOException if the files are missing (and cannot be downloaded or bundled), if a
     *     data directory holds only some of them, if they are bad or truncated, if image and label
     *     counts differ, or a label is not a class index
     */
    @Override
    public ClassificationData load(Params params, DatasetContext context) throws IOException {
        LocatedFiles files = locator.locate(context.dataDirs());
        List<IdxArray> arrays = read(files, params.getInt(LIMIT_TRAIN), params.getInt(LIMIT_TEST));
        IdxArray trainImages = arrays.get(0);
        IdxArray trainLabels = arrays.get(1);
        IdxArray testImages = arrays.get(2);
        IdxArray testLabels = arrays.get(3);
        DataSource source = new DataSource(files.kind(), files.location(), trainImages.count(),
                testImages.count(), files.fingerprint());
        LOG.info("{}: using {}, fingerprint {}", spec.name(), source, source.fingerprint());
        SplitBuilder splits = new SplitBuilder(context.manager(), context.batchSize(),
                params.getBoolean(NORMALIZE));
        int n = trainImages.count();
        int validation = SplitBuilder.validationSize(n, params.getDouble(VALIDATION_SPLIT));
        int[] order = SplitBuilder.permutation(n, context.seed());
        byte[] labels = trainLabels.data();
        ClassCheck.requireTwoTrained(spec.name(), i -> labels[i] & 0xFF, order, validation, spec.classNames(), params);
        SplitCheck.warnIfNoValidation(spec.name(), n, params.getDouble(VALIDATION_SPLIT), validation, "record");
        warnIfClassesAbsent(labels, n, params);
        ArrayDataset train = splits.build(trainImages, trainLabels, order, validation, n, true);
        ArrayDataset valid = validation == 0 ? null
                : splits.build(trainImages, trainLabels, order, 0, validation, false);
        int[] all = IntStream.range(0, testImages.count()).toArray();
        ArrayDataset test = splits.build(testImages, testLabels, all, 0, all.length, false);
        int[] dims = trainImages.dims();
        return new ClassificationData(train, valid, test, new Shape(1, dims[1], dims[2]),
                spec.classNames(), source);
    }

    private List<IdxArray> read(LocatedFiles files, int limitTrain, int limitTest)
            throws IOException {
        List<String> names = files.names();
        List<byte[]> raw = files.contents();
        IdxArray trainImages = IdxReader.readImages(names.get(0), raw.get(0), limitTrain);
        IdxArray trainLabels = IdxReader.readLabels(names.get(1), raw.get(1), limitTrain);
        IdxArray testImages = IdxReader.readImages(names.get(2), raw.get(2), limitTest);
        IdxArray testLabels = IdxReader.readLabels(names.get(3), raw.get(3), limitTest);
        IdxReader.checkSameCount(trainImages, trainLabels);
        IdxReader.checkSameCount(testImages, testLabels);
        checkImageShape(trainImages, testImages);
        checkLabels(trainLabels);
        checkLabels(testLabels);
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }

    private static void checkImageShape(IdxArray train, IdxArray test) throws IOException {
        int[] a = train.dims();
        int[] b = test.dims();
        if (a[1] != b[1] || a[2] != b[2]) {
            throw new IOException("image size mismatch: " + train.name() + " holds " + a[1] + "x"
                    + a[2] + " images but " + test.name() + " holds " + b[1] + "x" + b[2]);
        }
    }

    /**
     * Warns when the training records read hold no example of some classes: files holding labels
     * 0-4 only trained a 10-way classifier without a word (the text datasets warned).
     */
    private void warnIfClassesAbsent(byte[] labels, int n, Params params) {
        boolean[] seen = new boolean[spec.classNames().size()];
        for (int i = 0; i < n; i++) {
            seen[labels[i] & 0xFF] = true;
        }
        List<String> absent = IntStream.range(0, seen.length).filter(c -> !seen[c]).mapToObj(spec.classNames()::get).toList();
        if (!absent.isEmpty() && n > 0) {
            LOG.warn("{}: the {} training records read hold no example of {} of its {} classes {}, so the model cannot"
                    + " learn them{}", spec.name(), n, absent.size(), seen.length, absent,
                    params.getInt(LIMIT_TRAIN) > 0 ? " (limit_train " + params.getInt(LIMIT_TRAIN) + ")" : "");
        }
    }

    private void checkLabels(IdxArray labels) throws IOException {
        int classes = spec.classNames().size();
        for (int i = 0; i < labels.count(); i++) {
            if (labels.unsigned(i) >= classes) {
                throw new IOException("file " + labels.name() + " has label " + labels.unsigned(i)
                        + " at record " + i + ", outside the class indices [0, " + classes + ")");
            }
        }
    }
}
