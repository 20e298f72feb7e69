package dev.assay.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The best epoch's parameters kept in memory and in the run's checkpoint directory, and put back
 * into the model in place; the end-to-end check (a trial tested with them) is {@code
 * PruningTrialTest} in the tasks module.
 */
class BestWeightsTest {

    @TempDir
    Path dir;

    private static Model model() {
        Model model = Model.newInstance("mlp", "MXNet");
        model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(4).build())
                .add(Linear.builder().setUnits(2).build()));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
        return model;
    }

    private static List<float[]> values(Model model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static void perturb(Model model, float by) {
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray array = p.getValue().getArray();
            array.addi(by);
        }
    }

    @Test
    void theBestEpochsParametersComeBackInPlaceAndTheRunIsNotTaggedWithoutATracker() throws Exception {
        try (Model model = model(); BestWeights best = new BestWeights(dir, null)) {
            best.improvedAt(2);
            best.keep(1, model); // not the best: nothing kept
            assertThat(dir.resolve(BestWeights.FILE)).doesNotExist();
            best.keep(2, model);
            List<float[]> atBest = values(model);
            NDArray firstWeight = model.getBlock().getParameters().get(0).getValue().getArray();
            perturb(model, 0.5f);
            assertThat(values(model).get(0)[0]).isNotEqualTo(atBest.get(0)[0]);

            assertThat(best.restoreInto(model)).isEqualTo(2);
            assertThat(values(model)).containsExactlyElementsOf(atBest);
            // in place: the trainer's references to the parameter arrays stay valid
            assertThat(model.getBlock().getParameters().get(0).getValue().getArray()).isSameAs(firstWeight);
        }
    }

    @Test
    void aContinuedRunReadsTheBestEpochFromTheFileAndRefusesAnotherEpochs() throws Exception {
        List<float[]> atBest;
        try (Model model = model(); BestWeights first = new BestWeights(dir, null)) {
            first.improvedAt(3);
            first.keep(3, model);
            assertThat(dir.resolve(BestWeights.FILE)).as("written with a checkpoint, not at keep").doesNotExist();
            first.persistInto(dir, dir);
            atBest = values(model);
        }
        assertThat(Files.size(dir.resolve(BestWeights.FILE))).isPositive();
        // the continued process: another model object, replayed history says epoch 3 is the best
        try (Model model = model(); BestWeights continued = new BestWeights(dir, null)) {
            continued.improvedAt(3);
            assertThat(values(model).get(0)).isNotEqualTo(atBest.get(0)); // freshly initialized
            assertThat(continued.restoreInto(model)).isEqualTo(3);
            assertThat(values(model)).containsExactlyElementsOf(atBest);
        }
        // a history whose best is epoch 5 (not the file's 3), or no best at all: the last weights stay
        try (Model model = model(); BestWeights other = new BestWeights(dir, null)) {
            List<float[]> before = values(model);
            other.improvedAt(5);
            assertThat(other.restoreInto(model)).isZero();
            assertThat(values(model)).containsExactlyElementsOf(before);
        }
        try (Model model = model(); BestWeights none = new BestWeights(dir, null)) {
            assertThat(none.restoreInto(model)).isZero();
        }
    }

    @Test
    void anUnchangedBestEpochIsLinkedIntoTheNextCheckpointNotWrittenAgain() throws Exception {
        Path first = Files.createDirectories(dir.resolve("epoch-0001"));
        Path second = Files.createDirectories(dir.resolve("epoch-0002"));
        Path third = Files.createDirectories(dir.resolve("epoch-0003"));
        try (Model model = model(); BestWeights best = new BestWeights(null, null)) {
            best.persistInto(first, first);
            assertThat(first.resolve(BestWeights.FILE)).as("no best epoch yet").doesNotExist();
            best.improvedAt(1);
            best.keep(1, model);
            best.persistInto(first, first);
            best.keep(2, model); // epoch 2 did not improve
            best.persistInto(second, second);
            assertThat(Files.isSameFile(first.resolve(BestWeights.FILE), second.resolve(BestWeights.FILE))).isTrue();
            best.improvedAt(3);
            perturb(model, 1f);
            best.keep(3, model);
            best.persistInto(third, third);
            assertThat(Files.isSameFile(second.resolve(BestWeights.FILE), third.resolve(BestWeights.FILE))).isFalse();
        }
        // a continuation from epoch 2's checkpoint that has kept nothing yet carries epoch 1's file forward
        Path fourth = Files.createDirectories(dir.resolve("epoch-0004"));
        try (Model model = model(); BestWeights continued = new BestWeights(second, null)) {
            continued.improvedAt(1);
            continued.persistInto(fourth, fourth);
            assertThat(Files.isSameFile(first.resolve(BestWeights.FILE), fourth.resolve(BestWeights.FILE))).isTrue();
        }
    }

    @Test
    void weightsOfAnotherShapeAreNotCopiedIn() throws Exception {
        try (Model small = model(); BestWeights best = new BestWeights(dir, null)) {
            best.improvedAt(1);
            best.keep(1, small);
        }
        try (Model wider = Model.newInstance("mlp", "MXNet"); BestWeights continued = new BestWeights(dir, null)) {
            wider.setBlock(new SequentialBlock().add(Linear.builder().setUnits(5).build())
                    .add(Linear.builder().setUnits(2).build()));
            wider.getBlock().initialize(wider.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
            List<float[]> before = values(wider);
            continued.improvedAt(1);
            assertThat(continued.restoreInto(wider)).isZero();
            assertThat(values(wider)).containsExactlyElementsOf(before);
        }
    }

    @Test
    void aDamagedFileFailsNamingTheFile() throws Exception {
        try (Model model = model(); BestWeights first = new BestWeights(dir, null)) {
            first.improvedAt(2);
            first.keep(2, model);
            first.persistInto(dir, dir);
        }
        Path file = dir.resolve(BestWeights.FILE);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        try (Model model = model(); BestWeights continued = new BestWeights(dir, null)) {
            continued.improvedAt(2);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> continued.restoreInto(model))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("epoch 2");
        }
    }

    /** Keeps the tags set, nothing else. */
    private static final class Tags implements dev.assay.track.RunTracker {
        final java.util.Map<String, String> set = new java.util.HashMap<>();

        @Override
        public String runId() {
            return "r";
        }

        @Override
        public void logMetric(String key, long step, int epoch, double value) {}

        @Override
        public void setTag(String key, String value) {
            set.put(key, value);
        }

        @Override
        public Path artifactDir() {
            return null;
        }
    }

    @Test
    void theTagSaysWhichEpochWasRestoredOrNoneReplacingAnEarlierAttempts() throws Exception {
        Tags tags = new Tags();
        try (Model model = model(); BestWeights best = new BestWeights(dir, tags)) {
            best.improvedAt(4);
            best.keep(4, model);
            best.persistInto(dir, dir);
            assertThat(best.restoreInto(model)).isEqualTo(4);
            assertThat(tags.set).containsEntry(BestWeights.TAG, "4");
        }
        // a continuation whose replayed best (epoch 6) is not the file's (4): nothing restored, the tag says so
        try (Model model = model(); BestWeights continued = new BestWeights(dir, tags)) {
            continued.improvedAt(6);
            assertThat(continued.restoreInto(model)).isZero();
            assertThat(tags.set).containsEntry(BestWeights.TAG, "none");
        }
    }

    @Test
    void aHalfWrittenBestWeightsFileIsClearedWithTheUnpublishedCheckpoints() throws Exception {
        Path tmp = dir.resolve("." + BestWeights.FILE + ".tmp");
        Files.write(tmp, new byte[] {1, 2, 3});
        Files.write(dir.resolve(BestWeights.FILE), new byte[] {4});
        CheckpointFiles.removeUnpublished(dir);
        assertThat(tmp).doesNotExist();
        assertThat(dir.resolve(BestWeights.FILE)).exists();
    }
}
