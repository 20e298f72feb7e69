package dev.assay.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import dev.assay.data.ClassificationData;
import dev.assay.data.DatasetContext;
import dev.assay.plugin.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What load() returns: split sizes, determinism, shapes and values. */
class SplitsTest {

    @TempDir Path tmp;

    private NDManager manager;
    private final Map<String, String> env = new HashMap<>(Map.of("ASSAY_OFFLINE", "1"));

    @BeforeEach
    void createManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private ClassificationData load(Map<String, ?> given, long seed, Path... dirs) throws Exception {
        FashionMnistProvider provider = new FashionMnistProvider(
                FashionMnistProvider.SPEC.withSystemDir(tmp.resolve("none")), tmp.resolve("c"),
                env::get);
        Params params = Params.resolve(provider.parameters(), given);
        return provider.load(params, new DatasetContext(manager, 32, seed, List.of(dirs)));
    }

    /** Returns the first pixel (raw, 0-255) of every record: it identifies the fixture image. */
    private List<Integer> firstPixels(RandomAccessDataset dataset) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (long i = 0; i < dataset.size(); i++) {
            out.add((int) dataset.get(manager, i).getData().singletonOrThrow().toFloatArray()[0]);
        }
        return out;
    }

    @Test
    void validationSplitCarvesTheRoundedFractionFromTheTrainingRecords() throws Exception {
        Path data = tmp.resolve("data");
        IdxFixtures.writeDataset(data, 50, 9, true);

        ClassificationData split = load(Map.of("validation_split", 0.2), 1, data);
        ClassificationData none = load(Map.of("validation_split", 0), 1, data);

        assertThat(split.train().size()).isEqualTo(40);
        assertThat(split.validation().size()).isEqualTo(10);
        assertThat(split.test().size()).isEqualTo(9);
        assertThat(split.source().trainSamples()).isEqualTo(50);
        assertThat(none.train().size()).isEqualTo(50);
        assertThat(none.validation()).isNull();
    }

    @Test
    void sameSeedGivesTheSameSplitAndAnotherSeedAnother() throws Exception {
        Path data = tmp.resolve("data");
        IdxFixtures.writeDataset(data, 36, 2, true);
        Map<String, Object> raw = Map.of("validation_split", 0.25, "normalize", false);

        List<Integer> a = firstPixels(load(raw, 7, data).validation());
        List<Integer> b = firstPixels(load(raw, 7, data).validation());
        List<Integer> c = firstPixels(load(raw, 8, data).validation());
        List<Integer> trainA = firstPixels(load(raw, 7, data).train());

        assertThat(a).hasSize(9).isEqualTo(b).isNotEqualTo(c);
        assertThat(trainA).hasSize(27).doesNotContainAnyElementsOf(a);
        assertThat(SplitBuilder.permutation(36, 7)).containsExactlyInAnyOrder(
                SplitBuilder.permutation(36, 8));
    }

    @Test
    void bundledSubsetLimitedTo512GivesFloat32BatchesOfOneBy28By28() throws Exception {
        ClassificationData data = load(Map.of("limit_train", 512), 3);

        assertThat(data.source().kind()).isEqualTo("bundled-subset");
        assertThat(data.source().trainSamples()).isEqualTo(512);
        assertThat(data.train().size()).isEqualTo(461);
        assertThat(data.validation().size()).isEqualTo(51);
        assertThat(data.test().size()).isEqualTo(1000);
        assertThat(data.sampleShape()).isEqualTo(new Shape(1, 28, 28));
        assertThat(data.numClasses()).isEqualTo(10);
        assertThat(data.classNames().get(0)).isEqualTo("T-shirt/top");
        assertThat(data.classNames().get(9)).isEqualTo("Ankle boot");
        try (Batch batch = data.train().getData(manager).iterator().next()) {
            NDArray x = batch.getData().singletonOrThrow();
            NDArray y = batch.getLabels().singletonOrThrow();
            assertThat(x.getShape()).isEqualTo(new Shape(32, 1, 28, 28));
            assertThat(x.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(y.getShape()).isEqualTo(new Shape(32));
            assertThat(x.max().getFloat()).isLessThanOrEqualTo(1f);
            assertThat(x.min().getFloat()).isGreaterThanOrEqualTo(0f);
            for (float label : y.toFloatArray()) {
                assertThat(label).isIn(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f);
            }
        }
    }

    @Test
    void aLimitThatLeavesOneClassToTrainOnIsRefused() {
        // limit_train 1 trained one Fashion-MNIST class to completion without a word (the text datasets refused it)
        assertThatThrownBy(() -> load(Map.of("limit_train", 1), 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fashion-mnist: limit_train 1 and validation_split 0.1 leave 1 training"
                        + " example(s), of fewer than 2 classes {T-shirt/top=");
    }

    @Test
    void normalizeFalseKeepsRawPixelValuesAndLimitTestCuts() throws Exception {
        ClassificationData data = load(
                Map.of("limit_train", 100, "limit_test", 50, "normalize", false), 3);

        NDArray first = data.test().get(manager, 0).getData().singletonOrThrow();
        assertThat(data.test().size()).isEqualTo(50);
        assertThat(first.getShape()).isEqualTo(new Shape(1, 28, 28));
        assertThat(first.max().getFloat()).isGreaterThan(1f).isLessThanOrEqualTo(255f);
    }

    @Test
    void fullSystemCopyLoadsSixtyThousandImagesQuickly() throws Exception {
        Path system = FashionMnistProvider.SPEC.systemDir();
        assumeTrue(Files.isDirectory(system), "the Debian package dataset-fashion-mnist is absent");
        FashionMnistProvider provider =
                new FashionMnistProvider(FashionMnistProvider.SPEC, tmp.resolve("c"), env::get);
        long start = System.nanoTime();

        ClassificationData data = provider.load(Params.resolve(provider.parameters(), Map.of()),
                new DatasetContext(manager, 128, 5, List.of()));

        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(data.source().kind()).isEqualTo("system");
        assertThat(data.source().trainSamples()).isEqualTo(60_000);
        assertThat(data.train().size()).isEqualTo(54_000);
        assertThat(data.validation().size()).isEqualTo(6_000);
        assertThat(data.test().size()).isEqualTo(10_000);
        assertThat(seconds).isLessThan(20);
    }
}
