package dev.assay.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.assay.track.RunTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-epoch checkpoints: what is written, which one is found, and what a restore loads. */
class CheckpointsTest {

    @TempDir
    Path dir;

    private static Block net() {
        return new SequentialBlock().add(Linear.builder().setUnits(3).build())
                .add(Linear.builder().setUnits(2).build());
    }

    private static List<float[]> values(Model model) {
        List<float[]> out = new ArrayList<>();
        model.getBlock().getParameters().forEach(p -> out.add(p.getValue().getArray().toFloatArray()));
        return out;
    }

    private static final RunTracker NO_TRACKER = new RunTracker() {
        @Override public String runId() { return "r"; }
        @Override public void logMetric(String key, long step, int epoch, double value) { }
        @Override public void setTag(String key, String value) { }
        @Override public Path artifactDir() { return null; }
    };

    @Test
    void aSaveLeftHalfWrittenByAStoppedProcessIsClearedNextTime() throws Exception {
        // found after a SIGTERM: .epoch-2.tmp stayed beside epoch-0001, even after the run finished
        Files.createDirectories(dir.resolve("epoch-0001"));
        Files.writeString(dir.resolve("epoch-0001/checkpoint.json"), "{}");
        Files.createDirectories(dir.resolve(".epoch-2.tmp"));
        Files.writeString(dir.resolve(".epoch-2.tmp/checkpoint-0002.params"), "half");
        new Checkpoints(dir, () -> { }, new LoggedStepsTracker(NO_TRACKER, Map.of()), null).close();
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("epoch-0001");
        }
    }

    @Test
    void aCheckpointThatCannotBeWrittenLeavesNoPartialFilesAndSaysWhichOneFailed() throws Exception {
        // a user's check on a full disk: the half-written .epoch-1.tmp stayed and filled the disk for every
        // later trial, and the error was a bare "IOException: No space left on device"
        Checkpoints checkpoints = new Checkpoints(dir, () -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
        }, new LoggedStepsTracker(NO_TRACKER, Map.of()), null);
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 4));
                checkpoints.save(model, 1, 5);
                assertThatThrownBy(checkpoints::close).isInstanceOf(java.io.IOException.class)
                        .hasMessage("could not write the checkpoint of epoch 1 under " + dir + " (UncheckedIOException:"
                                + " java.io.IOException: No space left on device); its partial files were removed");
            }
        }
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void onlyTheNewestCheckpointIsKeptAndItRecordsEpochStepAndLoggedSteps() throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        LoggedStepsTracker logged = new LoggedStepsTracker(NO_TRACKER, Map.of());
        Checkpoints checkpoints = new Checkpoints(dir, flushes::incrementAndGet, logged, null);
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 4));
                logged.logMetric("batch_loss", 5, 1, 1.0);
                logged.logMetric("val_loss", 5, 1, 1.0);
                checkpoints.save(model, 1, 5);
                logged.logMetric("batch_loss", 10, 2, 0.5);
                checkpoints.save(model, 2, 10);
                checkpoints.close();
            }
        }

        assertThat(flushes).hasValue(2);
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("epoch-0002");
        }
        assertThat(dir.resolve("epoch-0002/checkpoint-0002.params")).isRegularFile();
        Checkpoint latest = Checkpoints.latest(dir).orElseThrow();
        assertThat(latest.epoch()).isEqualTo(2);
        assertThat(latest.step()).isEqualTo(10);
        assertThat(latest.lastSteps()).containsExactly(Map.entry("batch_loss", 10L),
                Map.entry("val_loss", 5L));
        assertThat(Checkpoints.latest(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void checkpointDirectoriesAreNamedWithAsciiDigitsWhateverTheDefaultLocale() throws Exception {
        // under ar-SA, String.format without a locale wrote epoch-٠٠٠١, which latest() never found
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("ar-SA"));
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()));
                    Checkpoints checkpoints = new Checkpoints(dir, () -> { },
                            new LoggedStepsTracker(NO_TRACKER, Map.of()), null)) {
                trainer.initialize(new Shape(1, 4));
                checkpoints.save(model, 1, 7);
            }
        } finally {
            java.util.Locale.setDefault(before);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("epoch-0001");
        }
        assertThat(Checkpoints.latest(dir).orElseThrow().step()).isEqualTo(7);
    }

    @Test
    void aCheckpointBeforeTheFinalEpochHoldsTheRegisteredOptimizersStateAndTheFinalOneDoesNot()
            throws Exception {
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            ai.djl.training.optimizer.Optimizer adam = ai.djl.training.optimizer.Optimizer.adam().build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam))) {
                trainer.initialize(new Shape(1, 4));
                Checkpoints checkpoints = new Checkpoints(dir, () -> { },
                        new LoggedStepsTracker(NO_TRACKER, Map.of()), null, 3, Duration.ZERO);
                checkpoints.register(adam);
                checkpoints.save(model, 1, 4);
                checkpoints.close();
                Checkpoint first = Checkpoints.latest(dir).orElseThrow();
                assertThat(first.directory().resolve("checkpoint.optimizer")).isRegularFile();
                Checkpoints resumed = new Checkpoints(dir, () -> { },
                        new LoggedStepsTracker(NO_TRACKER, Map.of()), first, 3, Duration.ZERO);
                assertThat(resumed.resumesOptimizerState()).isTrue();
                resumed.register(adam);
                resumed.save(model, 3, 12);
                resumed.close();
            }
        }
        Checkpoint last = Checkpoints.latest(dir).orElseThrow();
        assertThat(last.epoch()).isEqualTo(3);
        assertThat(last.directory().resolve("checkpoint.optimizer")).doesNotExist();
        assertThat(new Checkpoints(dir, () -> { }, new LoggedStepsTracker(NO_TRACKER, Map.of()), last, 3,
                Duration.ZERO).resumesOptimizerState()).isFalse();
        assertThat(Checkpoints.disabled().resumesOptimizerState()).isFalse();
    }

    @Test
    void closingFreesTheRegisteredOptimizersStateWhichClosingTheModelLeavesAllocated() throws Exception {
        ai.djl.training.optimizer.Optimizer adam = ai.djl.training.optimizer.Optimizer.adam().build();
        List<ai.djl.ndarray.NDArray> states = new ArrayList<>();
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam))) {
                trainer.initialize(new Shape(1, 4));
                try (ai.djl.training.GradientCollector c = trainer.newGradientCollector()) {
                    ai.djl.ndarray.NDArray x = trainer.getManager().ones(new Shape(1, 4));
                    c.backward(trainer.forward(new ai.djl.ndarray.NDList(x)).singletonOrThrow().sum());
                }
                trainer.step();
            }
            for (String name : List.of("means", "variances")) {
                java.lang.reflect.Field field = ai.djl.training.optimizer.Adam.class.getDeclaredField(name);
                field.setAccessible(true);
                @SuppressWarnings("unchecked")
                Map<String, Map<ai.djl.Device, ai.djl.ndarray.NDArray>> state =
                        (Map<String, Map<ai.djl.Device, ai.djl.ndarray.NDArray>>) field.get(adam);
                state.values().forEach(perDevice -> states.addAll(perDevice.values()));
            }
        }
        // two weights and two biases, a mean and a variance each; DJL detached them from every
        // manager, so the closed model and trainer left them allocated
        assertThat(states).hasSize(8).noneMatch(ai.djl.ndarray.NDArray::isReleased);

        Checkpoints checkpoints = Checkpoints.disabled();
        checkpoints.register(adam);
        checkpoints.close();
        assertThat(states).allMatch(ai.djl.ndarray.NDArray::isReleased);
    }

    /** An optimizer whose state {@link OptimizerStates} cannot save (one parameter on two devices). */
    private static final class TwoDeviceOptimizer extends ai.djl.training.optimizer.Optimizer {
        private final Map<String, Map<ai.djl.Device, ai.djl.ndarray.NDArray>> state = new java.util.HashMap<>();

        TwoDeviceOptimizer() {
            super(ai.djl.training.optimizer.Optimizer.sgd().setLearningRateTracker(
                    ai.djl.training.tracker.Tracker.fixed(0.1f)));
        }

        @Override
        public void update(String parameterId, ai.djl.ndarray.NDArray weight, ai.djl.ndarray.NDArray grad) {
            weight.subi(grad.mul(0.1f));
        }
    }

    @Test
    void anOptimizerStateThatCannotBeSavedLeavesTheCheckpointWithoutItAndTrainingGoesOn() throws Exception {
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            TwoDeviceOptimizer optimizer = new TwoDeviceOptimizer();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer))) {
                trainer.initialize(new Shape(1, 4));
                ai.djl.ndarray.NDArray w = model.getBlock().getParameters().get(0).getValue().getArray();
                optimizer.state.put(model.getBlock().getParameters().get(0).getValue().getId(),
                        Map.of(ai.djl.Device.cpu(), w, ai.djl.Device.gpu(0), w));
                Checkpoints checkpoints = new Checkpoints(dir, () -> { },
                        new LoggedStepsTracker(NO_TRACKER, Map.of()), null, 3, Duration.ZERO);
                checkpoints.register(optimizer);
                checkpoints.save(model, 1, 4);
                checkpoints.close();
            }
        }
        Checkpoint saved = Checkpoints.latest(dir).orElseThrow();
        assertThat(saved.epoch()).isEqualTo(1);
        assertThat(saved.directory().resolve("checkpoint-0001.params")).isRegularFile();
        assertThat(saved.directory().resolve("checkpoint.optimizer")).doesNotExist();
    }

    /**
     * Saves epochs 1 and 2 of a 3-epoch trial with Adam's state (each with a checkpoint.optimizer)
     * and puts epoch 1's directory back beside epoch 2's, which publishing deleted.
     */
    private void twoCheckpoints() throws Exception {
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            ai.djl.training.optimizer.Optimizer adam = ai.djl.training.optimizer.Optimizer.adam().build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam))) {
                trainer.initialize(new Shape(1, 4));
                Checkpoints checkpoints = new Checkpoints(dir, () -> { },
                        new LoggedStepsTracker(NO_TRACKER, Map.of()), null, 3, Duration.ZERO);
                checkpoints.register(adam);
                checkpoints.save(model, 1, 4);
                checkpoints.awaitPublished();
                Path kept = dir.resolveSibling(dir.getFileName() + "-epoch-1");
                Files.createDirectories(kept);
                try (Stream<Path> files = Files.list(dir.resolve("epoch-0001"))) {
                    for (Path f : files.toList()) {
                        Files.copy(f, kept.resolve(f.getFileName()));
                    }
                }
                checkpoints.save(model, 2, 8);
                checkpoints.close();
                Files.move(kept, dir.resolve("epoch-0001"));
            }
        }
    }

    @Test
    void checkpointJsonListsEveryFilesLengthAndCrc32() throws Exception {
        twoCheckpoints();
        Path second = dir.resolve("epoch-0002");
        Map<?, ?> meta = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                second.resolve("checkpoint.json").toFile(), Map.class);
        Map<?, ?> files = (Map<?, ?>) meta.get("files");
        assertThat(files.keySet().stream().map(String::valueOf).toList())
                .containsExactly("checkpoint-0002.params", "checkpoint.optimizer");
        for (String name : List.of("checkpoint-0002.params", "checkpoint.optimizer")) {
            Map<?, ?> listed = (Map<?, ?>) files.get(name);
            byte[] bytes = Files.readAllBytes(second.resolve(name));
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bytes);
            assertThat(((Number) listed.get("bytes")).longValue()).as(name).isEqualTo(bytes.length).isPositive();
            assertThat(((Number) listed.get("crc32")).longValue()).as(name).isEqualTo(crc.getValue());
        }
        assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(2);
    }

    @Test
    void aDamagedCheckpointIsSkippedForTheOneBeforeItAndWithNoneLeftTheTrialStartsOver() throws Exception {
        // found by a crash-recovery check: a truncated .params file failed its trial on every resume
        // (a bare EOFException), an empty checkpoint.json stopped the whole experiment on every run
        twoCheckpoints();
        Path params = dir.resolve("epoch-0002/checkpoint-0002.params");
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 1; // one bit, the length unchanged
        Files.write(params, bytes);
        assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(1);

        Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(1);

        Files.write(dir.resolve("epoch-0001/checkpoint.optimizer"), new byte[0]);
        assertThat(Checkpoints.latest(dir)).isEmpty();

        twoCheckpointsAgain();
        Files.write(dir.resolve("epoch-0002/checkpoint.json"), new byte[0]);
        assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(1);
        Files.writeString(dir.resolve("epoch-0001/checkpoint.json"), "{\"epoch\": 1}");
        assertThat(Checkpoints.latest(dir)).isEmpty();
    }

    @Test
    void aCheckpointJsonEditedOrRewrittenOrDeletedIsNotTaken() throws Exception {
        // found by a helper attacking the checks: a digit changed in last_steps (a bit flip that still parses)
        // cut the metric history silently, as did a checkpoint.json rewritten without last_steps; a deleted one
        // was passed over without a word
        twoCheckpoints();
        Path json = dir.resolve("epoch-0002/checkpoint.json");
        String written = Files.readString(json);
        assertThat(written).contains("\"crc32\"");
        Files.writeString(json, written.replace("\"step\":8", "\"step\":7"));
        assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(1);
        Files.writeString(json, "{\"epoch\":2,\"step\":8,\"last_steps\":{},\"files\":{}}");
        assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(1);
        Files.delete(json);
        try (dev.assay.testing.LogCapture log = new dev.assay.testing.LogCapture(CheckpointFiles.class.getName())) {
            assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(1);
            assertThat(log.warnings()).contains("Checkpoint " + dir.resolve("epoch-0002")
                    + " is unusable: it has no checkpoint.json; passed over");
        }
    }

    @Test
    void bestWeightsDamagedToTheSameLengthMakeTheCheckpointUnusable() throws Exception {
        // found by a helper attacking the checks: best-weights.ndlist, outside the epoch directory and not
        // listed, was restored for the test after 400 KB of it were overwritten (test accuracy 0.08)
        firstEpochSavedAsTheBest();
        Path best = Checkpoints.latest(dir).orElseThrow().directory().resolve(BestWeights.FILE);
        byte[] bytes = Files.readAllBytes(best);
        bytes[bytes.length - 3] ^= 0x41;
        Files.write(best, bytes);
        assertThat(Checkpoints.latest(dir)).isEmpty();
    }

    /**
     * Saves epoch 1 of a fresh model, the best so far, in a 4-epoch trial's checkpoints under
     * {@code dir} that keep the best weights; returns its parameters.
     */
    private List<float[]> firstEpochSavedAsTheBest() throws IOException {
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()));
                    Checkpoints checkpoints = new Checkpoints(dir, () -> { },
                            new LoggedStepsTracker(NO_TRACKER, Map.of()), null, 4, Duration.ZERO).keepingBestWeights()) {
                trainer.initialize(new Shape(1, 4));
                checkpoints.bestEpoch(1);
                checkpoints.save(model, 1, 10);
                return values(model);
            }
        }
    }

    @Test
    void aCrashBeforeACheckpointIsPublishedLeavesThePreviousOneUsableWithItsOwnBestEpoch() throws Exception {
        // until 3 Dec 2026 the one best-weights file beside the epoch directories was replaced before the
        // new checkpoint was published: a kill in between left epoch-0001 listing a file it no longer
        // matched, so it was unusable and the trial started over from epoch 1
        AtomicInteger flushes = new AtomicInteger();
        Runnable flushThenCrash = () -> {
            if (flushes.incrementAndGet() == 2) {
                throw new IllegalStateException("killed before epoch 2's checkpoint was published");
            }
        };
        List<float[]> atEpoch1;
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 4));
                Checkpoints checkpoints = new Checkpoints(dir, flushThenCrash,
                        new LoggedStepsTracker(NO_TRACKER, Map.of()), null, 4, Duration.ZERO).keepingBestWeights();
                checkpoints.bestEpoch(1);
                checkpoints.save(model, 1, 10);
                atEpoch1 = values(model);
                model.getBlock().getParameters().forEach(p -> p.getValue().getArray().addi(1f));
                checkpoints.bestEpoch(2); // epoch 2 improves: its weights go into epoch 2's checkpoint
                checkpoints.save(model, 2, 20);
                assertThatThrownBy(checkpoints::close).hasMessageContaining("killed before");
            }
        }
        Checkpoint found = Checkpoints.latest(dir).orElseThrow();
        assertThat(found.epoch()).isEqualTo(1);
        // a failure to publish removes epoch 2's partial files (a killed process leaves them until the next start)
        assertThat(dir.resolve(".epoch-2.tmp")).as("epoch 2's, unpublished").doesNotExist();
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            assertThat(bestWeightsEpoch(found.directory(), model)).isEqualTo(1);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 4));
                // the continuation replays epoch 1 as the best, then epoch 2 does not improve this time
                Checkpoints continued = new Checkpoints(dir, () -> { },
                        new LoggedStepsTracker(NO_TRACKER, Map.of()), found, 4, Duration.ZERO).keepingBestWeights();
                continued.bestEpoch(1);
                continued.save(model, 2, 20);
                continued.save(model, 3, 30);
                continued.awaitPublished();
                Path epoch3 = Checkpoints.latest(dir).orElseThrow().directory();
                assertThat(epoch3.getFileName()).hasToString("epoch-0003");
                assertThat(found.directory()).as("deleted once epoch 2's was published").doesNotExist();
                assertThat(bestWeightsEpoch(epoch3, model)).as("carried forward, not rewritten").isEqualTo(1);
                assertThat(continued.restoreBest(model)).isEqualTo(1);
                assertThat(values(model)).containsExactlyElementsOf(atEpoch1);
                continued.close();
            }
        }
    }

    @Test
    void aCheckpointWrittenBeforeTheBestWeightsMovedIntoItStillContinuesWithThem() throws Exception {
        // before 3 Dec 2026: best-weights.ndlist beside epoch-0001, listed in its checkpoint.json as best_weights
        List<float[]> atEpoch1 = firstEpochSavedAsTheBest();
        Path epoch1 = dir.resolve("epoch-0001");
        Files.move(epoch1.resolve(BestWeights.FILE), dir.resolve(BestWeights.FILE));
        Path metadata = epoch1.resolve("checkpoint.json");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = json.readValue(metadata.toFile(), Map.class);
        meta.remove("crc32");
        ((Map<?, ?>) meta.get("files")).remove(BestWeights.FILE);
        meta.put("best_weights", Map.of("bytes", Files.size(dir.resolve(BestWeights.FILE)),
                "crc32", CheckpointFiles.crc32(dir.resolve(BestWeights.FILE))));
        meta.put("crc32", CheckpointFiles.crc32(json.writeValueAsBytes(meta)));
        json.writeValue(metadata.toFile(), meta);

        Checkpoint found = Checkpoints.latest(dir).orElseThrow();
        assertThat(found.epoch()).isEqualTo(1);
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()));
                    Checkpoints continued = new Checkpoints(dir, () -> { },
                            new LoggedStepsTracker(NO_TRACKER, Map.of()), found, 4, Duration.ZERO).keepingBestWeights()) {
                trainer.initialize(new Shape(1, 4));
                continued.bestEpoch(1);
                continued.save(model, 2, 20);
                continued.awaitPublished();
                Path epoch2 = Checkpoints.latest(dir).orElseThrow().directory();
                assertThat(bestWeightsEpoch(epoch2, model)).isEqualTo(1);
                assertThat(continued.restoreBest(model)).isEqualTo(1);
                assertThat(values(model)).containsExactlyElementsOf(atEpoch1);
            }
        }
    }

    private void twoCheckpointsAgain() throws Exception {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                CheckpointFiles.deleteTree(p);
            }
        }
        twoCheckpoints();
    }

    @Test
    void aCheckpointWrittenBeforeFilesWereListedIsTakenAsItReads() throws Exception {
        Files.createDirectories(dir.resolve("epoch-0004"));
        Files.writeString(dir.resolve("epoch-0004/checkpoint.json"),
                "{\"epoch\": 4, \"step\": 40, \"last_steps\": {\"val_loss\": 40}}");
        Checkpoint old = Checkpoints.latest(dir).orElseThrow();
        assertThat(old.epoch()).isEqualTo(4);
        assertThat(old.step()).isEqualTo(40);
        assertThat(old.lastSteps()).containsExactly(Map.entry("val_loss", 40L));
    }

    @Test
    void aParameterFileThatCannotBeReadIsNamedWhenTheRestoreFails() throws Exception {
        // a checkpoint written before files were listed is not checked: its restore names the file
        Files.createDirectories(dir.resolve("epoch-0001"));
        Files.writeString(dir.resolve("epoch-0001/checkpoint.json"),
                "{\"epoch\": 1, \"step\": 4, \"last_steps\": {}}");
        Files.write(dir.resolve("epoch-0001/checkpoint-0001.params"), new byte[] {0, 0, 0});
        Checkpoints resume = new Checkpoints(dir, () -> { },
                new LoggedStepsTracker(NO_TRACKER, Map.of()), Checkpoints.latest(dir).orElseThrow());
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            assertThatThrownBy(() -> resume.restore(model)).isInstanceOf(IOException.class)
                    .hasMessageContaining("model 'm'").hasMessageContaining(dir.resolve("epoch-0001").toString());
        }
    }

    @Test
    void restoreLoadsTheSavedParametersBeforeTheTrainerInitializesAndReturnsEpochsDone()
            throws Exception {
        List<float[]> saved;
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 4));
                model.getBlock().getParameters().forEach(p -> p.getValue().getArray().muli(3));
                saved = values(model);
                try (Checkpoints checkpoints = new Checkpoints(dir, () -> { },
                        new LoggedStepsTracker(NO_TRACKER, Map.of()), null)) {
                    checkpoints.save(model, 3, 30);
                }
            }
        }
        Checkpoints resume = new Checkpoints(dir, () -> { },
                new LoggedStepsTracker(NO_TRACKER, Map.of()), Checkpoints.latest(dir).orElseThrow());

        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                TrainingLoop.start(trainer, new WeightPenalty(new dev.assay.spec.RegularizationSpec(0.0, 0.0)), resume, new Shape(1, 4));
                assertThat(values(model)).usingRecursiveComparison().isEqualTo(saved);
                NDArray out = trainer.forward(new ai.djl.ndarray.NDList(
                        model.getNDManager().ones(new Shape(1, 4)))).singletonOrThrow();
                assertThat(out.getShape()).isEqualTo(new Shape(1, 2));
            }
        }
        assertThat(Checkpoints.disabled().resumePoint()).isEmpty();
    }

    @Test
    void aCheckpointBecomesVisibleOnlyAfterTheStoreIsDurableWhileTrainingGoesOn() throws Exception {
        CountDownLatch flushStarted = new CountDownLatch(1);
        CountDownLatch releaseFlush = new CountDownLatch(1);
        Runnable slowFlush = () -> {
            flushStarted.countDown();
            try {
                releaseFlush.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        List<float[]> atSave;
        try (Model model = Model.newInstance("m");
                Checkpoints checkpoints = new Checkpoints(dir, slowFlush,
                        new LoggedStepsTracker(NO_TRACKER, Map.of()), null)) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 4));
                atSave = values(model);
                checkpoints.save(model, 1, 7);
                // save returned while the store is still being made durable: nothing visible yet
                assertThat(flushStarted.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(Checkpoints.latest(dir)).isEmpty();
                // training goes on and changes the parameters; the checkpoint keeps the saved ones
                model.getBlock().getParameters().forEach(p -> p.getValue().getArray().addi(1));
                releaseFlush.countDown();
                checkpoints.awaitPublished();
            }
        }
        Checkpoint latest = Checkpoints.latest(dir).orElseThrow();
        assertThat(latest.epoch()).isEqualTo(1);
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            model.load(latest.directory(), Checkpoints.PREFIX);
            assertThat(values(model)).usingRecursiveComparison().isEqualTo(atSave);
        }
    }

    @Test
    void aFailedFlushLeavesNoCheckpointAndSurfacesAtTheNextWait() throws Exception {
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            Checkpoints checkpoints = new Checkpoints(dir, () -> {
                throw new IllegalStateException("The tracking writer thread stopped before flushing.");
            }, new LoggedStepsTracker(NO_TRACKER, Map.of()), null);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 4));
                checkpoints.save(model, 1, 7);
                assertThatThrownBy(checkpoints::close).isInstanceOf(java.io.IOException.class)
                        .hasMessage("could not write the checkpoint of epoch 1 under " + dir + " (IllegalStateException:"
                                + " The tracking writer thread stopped before flushing.); its partial files were removed");
            }
        }
        assertThat(Checkpoints.latest(dir)).isEmpty();
    }

    @Test
    void theBestWeightsFileIsWrittenWithTheCheckpointsOnlyHoldingTheBestEpochSoFar() throws Exception {
        Path sparse = dir.resolve("sparse");
        Path every = dir.resolve("every");
        List<Integer> sparseFile = new ArrayList<>();
        List<Integer> everyFile = new ArrayList<>();
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()));
                    Checkpoints hourly = new Checkpoints(sparse, () -> { },
                            new LoggedStepsTracker(NO_TRACKER, Map.of()), null, 4, java.time.Duration.ofHours(1))
                            .keepingBestWeights();
                    Checkpoints always = new Checkpoints(every, () -> { },
                            new LoggedStepsTracker(NO_TRACKER, Map.of()), null, 4, java.time.Duration.ZERO)
                            .keepingBestWeights()) {
                trainer.initialize(new Shape(1, 4));
                for (int epoch = 1; epoch <= 4; epoch++) {
                    if (epoch != 3) { // epoch 3 does not improve: epoch 2 stays the best, then 4
                        hourly.bestEpoch(epoch);
                        always.bestEpoch(epoch);
                    }
                    hourly.save(model, epoch, epoch * 10L);
                    always.save(model, epoch, epoch * 10L);
                    hourly.awaitPublished();
                    always.awaitPublished();
                    sparseFile.add(bestWeightsEpoch(sparse, model));
                    everyFile.add(bestWeightsEpoch(every, model));
                }
            }
        }
        // with an hour between checkpoints only the final epoch writes: the file costs no extra writes
        assertThat(sparseFile).containsExactly(0, 0, 0, 4);
        assertThat(everyFile).containsExactly(1, 2, 2, 4);
    }

    /**
     * The epoch recorded in the best-weights file of a checkpoint directory, or of the newest
     * checkpoint under a run's checkpoint directory; 0 if there is none.
     */
    private static int bestWeightsEpoch(Path root, Model model) throws IOException {
        Path file = root.resolve(BestWeights.FILE);
        if (!Files.exists(file) && !Files.exists(root.resolve("checkpoint.json"))) {
            file = Checkpoints.latest(root).map(c -> c.directory().resolve(BestWeights.FILE)).orElse(file);
        }
        if (!Files.exists(file)) {
            return 0;
        }
        try (ai.djl.ndarray.NDManager manager = model.getNDManager().newSubManager()) {
            return ai.djl.ndarray.NDList.decode(manager, Files.readAllBytes(file)).get(0)
                    .toType(ai.djl.ndarray.types.DataType.INT32, false).getInt();
        }
    }

    @Test
    void withAnIntervalOnlyTheFinalEpochIsSavedWhenEpochsComeFasterAndZeroSavesEveryEpoch()
            throws Exception {
        Path sparse = dir.resolve("sparse");
        Path every = dir.resolve("every");
        List<Integer> sparseSeen = new ArrayList<>();
        List<Integer> everySeen = new ArrayList<>();
        try (Model model = Model.newInstance("m")) {
            model.setBlock(net());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()));
                    Checkpoints hourly = new Checkpoints(sparse, () -> { },
                            new LoggedStepsTracker(NO_TRACKER, Map.of()), null, 3, java.time.Duration.ofHours(1));
                    Checkpoints always = new Checkpoints(every, () -> { },
                            new LoggedStepsTracker(NO_TRACKER, Map.of()), null, 3, java.time.Duration.ZERO)) {
                trainer.initialize(new Shape(1, 4));
                for (int epoch = 1; epoch <= 3; epoch++) {
                    hourly.save(model, epoch, epoch * 10L);
                    always.save(model, epoch, epoch * 10L);
                    hourly.awaitPublished();
                    always.awaitPublished();
                    hourly.awaitPublished();
                    always.awaitPublished();
                    Checkpoints.latest(sparse).ifPresent(c -> sparseSeen.add(c.epoch()));
                    Checkpoints.latest(every).ifPresent(c -> everySeen.add(c.epoch()));
                }
            }
        }
        assertThat(sparseSeen).containsExactly(3);
        assertThat(everySeen).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> new Checkpoints(dir, () -> { }, null, null, 3, java.time.Duration.ofSeconds(-1)))
                .hasMessage("The checkpoint interval must be ≥ 0, got PT-1S.");
    }
}
