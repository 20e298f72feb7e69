package dev.assay.architectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.assay.data.Vocabulary;
import dev.assay.plugin.Params;
import dev.assay.train.SequenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny training runs of the LSTM and GRU networks: token input, image rows, pretrained vectors. */
class RecurrentNetworkTest {

    private static final Vocabulary VOCAB = Vocabulary.of(List.of("<pad>", "<unk>", "a", "b",
            "c", "d", "e", "f", "g", "h"));

    @TempDir
    Path dir;

    private static Block build(RecurrentProvider provider, Map<String, Object> given, Shape sample,
            int outputs) {
        return provider.build(Params.resolve(provider.parameters(), given), sample, outputs);
    }

    /** Label 1 when token "c" (index 4) occurs; tokens in [2, 10), trailing padding. */
    private static float[][] tokenTask(NDManager m, int n, int length, Random r, float[] labels) {
        float[][] rows = new float[n][length];
        for (int i = 0; i < n; i++) {
            int real = 3 + r.nextInt(length - 2);
            boolean positive = i % 2 == 0;
            for (int t = 0; t < real; t++) {
                int tok;
                do {
                    tok = 2 + r.nextInt(8);
                } while (tok == 4);
                rows[i][t] = tok;
            }
            if (positive) {
                rows[i][r.nextInt(real)] = 4;
            }
            labels[i] = positive ? 1 : 0;
        }
        return rows;
    }

    private static List<Float> train(Block block, Shape inputShape, NDArray x, NDArray y,
            int epochs, float lr) throws Exception {
        return train(block, inputShape, x, y, epochs, lr, b -> { });
    }

    private static List<Float> train(Block block, Shape inputShape, NDArray x, NDArray y,
            int epochs, float lr, java.util.function.Consumer<Block> atEnd) throws Exception {
        Engine.getInstance().setRandomSeed(3);
        List<Float> losses = new ArrayList<>();
        try (Model model = Model.newInstance("t")) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(inputShape);
                ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y)
                        .setSampling((int) inputShape.get(0), false).build();
                for (int e = 0; e < epochs; e++) {
                    float sum = 0;
                    int count = 0;
                    for (Batch b : trainer.iterateDataset(data)) {
                        try (b) {
                            EasyTrain.trainBatch(trainer, b);
                            trainer.step();
                            sum += trainer.getLoss().evaluate(b.getLabels(),
                                    trainer.evaluate(b.getData())).getFloat();
                            count++;
                        }
                    }
                    losses.add(sum / count);
                }
                atEnd.accept(block);
            }
        }
        return losses;
    }

    private static Block tokenModel(RecurrentProvider p, Map<String, Object> params) {
        Block block = build(p, params, new Shape(12), 2);
        ((SequenceModel) block).bindVocabulary(VOCAB);
        return block;
    }

    private static List<Float> trainTokens(Block block) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] labels = new float[64];
            NDArray x = m.create(tokenTask(m, 64, 12, new Random(1), labels));
            return train(block, new Shape(16, 12), x, m.create(labels), 8, 0.02f);
        }
    }

    @Test
    void twoLayerLstmOnTokensLowersTheLoss() throws Exception {
        List<Float> losses = trainTokens(tokenModel(new RecurrentProvider.Lstm(),
                Map.of("layers", 2, "hidden", 16, "embedding_dim", 8)));
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.5f);
    }

    @Test
    void bidirectionalGruWithMeanPoolingOnTokensLowersTheLoss() throws Exception {
        List<Float> losses = trainTokens(tokenModel(new RecurrentProvider.Gru(),
                Map.of("hidden", 16, "embedding_dim", 8, "bidirectional", true,
                        "pooling", "mean", "dropout", 0.1)));
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.5f);
    }

    @Test
    void bidirectionalLogitsOfATextDoNotDependOnThePaddingAfterIt() {
        // the backward direction read the padding first: the same 3-token text gave
        // [-0.0457, 0.0348] at max_length 5 and [-0.0581, 0.0614] at 10
        for (String pooling : List.of("last", "mean")) {
            for (int layers : new int[] {1, 2}) {
                Block block = tokenModel(new RecurrentProvider.Gru(), Map.of("hidden", 8, "embedding_dim", 4,
                        "bidirectional", true, "pooling", pooling, "layers", layers));
                try (NDManager m = NDManager.newBaseManager()) {
                    block.initialize(m, DataType.FLOAT32, new Shape(2, 12));
                    ParameterStore store = new ParameterStore(m, false);
                    float[] five = {3, 5, 7, 0, 0, 4, 0, 0, 0, 0};
                    float[] ten = new float[20];
                    System.arraycopy(five, 0, ten, 0, 3);
                    ten[10] = 4;
                    float[] shortPadding = block.forward(store, new NDList(m.create(five, new Shape(2, 5))), false)
                            .head().toFloatArray();
                    float[] longPadding = block.forward(store, new NDList(m.create(ten, new Shape(2, 10))), false)
                            .head().toFloatArray();
                    assertThat(longPadding).as("%s pooling, %d layer(s)", pooling, layers)
                            .containsExactly(shortPadding, org.assertj.core.data.Offset.offset(1e-5f));
                    // and the text matters: the two sequences differ
                    assertThat(Math.abs(shortPadding[0] - shortPadding[2]) + Math.abs(shortPadding[1] - shortPadding[3]))
                            .isGreaterThan(1e-4f);
                }
            }
        }
    }

    @Test
    void aBidirectionalNetworkRefusesToPredictEveryNextToken() {
        SequenceModel model = (SequenceModel) tokenModel(new RecurrentProvider.Lstm(),
                Map.of("hidden", 8, "embedding_dim", 4, "bidirectional", true));
        assertThatThrownBy(() -> model.setOutputEveryStep(true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bidirectional: false");
    }

    @Test
    void gruReadsImagesAsRowSequencesAndLowersTheLoss() throws Exception {
        Random r = new Random(2);
        float[] images = new float[64 * 64];
        float[] labels = new float[64];
        for (int i = 0; i < 64; i++) {
            labels[i] = i % 2;
            for (int row = 0; row < 8; row++) {
                for (int col = 0; col < 8; col++) {
                    boolean bright = (row < 4) == (i % 2 == 0);
                    images[i * 64 + row * 8 + col] = (bright ? 0.7f : 0.1f) + 0.3f * r.nextFloat();
                }
            }
        }
        Block block = build(new RecurrentProvider.Gru(), Map.of("hidden", 16),
                new Shape(1, 8, 8), 2);
        assertThat(block.getOutputShapes(new Shape[] {new Shape(16, 1, 8, 8)}))
                .containsExactly(new Shape(16, 2));
        try (NDManager m = NDManager.newBaseManager()) {
            List<Float> losses = train(block, new Shape(16, 1, 8, 8), m.create(images, new Shape(64, 1, 8, 8)),
                    m.create(labels), 6, 0.02f);
            assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.5f);
        }
    }

    @Test
    void frozenPretrainedVectorsAreCopiedAndStayFixed() throws Exception {
        Path vectors = dir.resolve("vec.txt");
        Files.writeString(vectors, "3 4\na 0.5 0.25 -1 2\nc 1 1 1 1\nzzz 9 9 9 9\n");
        Block block = tokenModel(new RecurrentProvider.Lstm(), Map.of("hidden", 8,
                "embedding_dim", 4, "pretrained_embeddings", vectors.toString()));
        List<float[]> rows = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] labels = new float[32];
            NDArray x = m.create(tokenTask(m, 32, 12, new Random(1), labels));
            train(block, new Shape(16, 12), x, m.create(labels), 2, 0.05f, b -> {
                NDArray w = b.getChildren().values().stream()
                        .filter(TokenEmbedding.class::isInstance).findFirst().orElseThrow()
                        .getParameters().get("embedding").getArray();
                assertThat(w.getShape()).isEqualTo(new Shape(10, 4));
                rows.add(w.get(2).toFloatArray());
                rows.add(w.get(4).toFloatArray());
            });
        }
        assertThat(rows.get(0)).containsExactly(0.5f, 0.25f, -1f, 2f);
        assertThat(rows.get(1)).containsExactly(1f, 1f, 1f, 1f);
    }

    @Test
    void pretrainedVectorsThatCoverNoWordAreRefused() throws Exception {
        // vectors of another corpus were used silently: every word kept a frozen random vector
        Path vectors = dir.resolve("other.txt");
        Files.writeString(vectors, "2 2\nzzz 0.5 0.25\nyyy 1 1\n");
        Block block = build(new RecurrentProvider.Gru(), Map.of("embedding_dim", 2,
                "pretrained_embeddings", vectors.toString()), new Shape(12), 2);
        assertThatThrownBy(() -> ((SequenceModel) block).bindVocabulary(VOCAB))
                .hasMessage("pretrained_embeddings " + vectors + " has a vector for none of the " + VOCAB.size()
                        + " vocabulary words (vectors of another corpus, or words in another case?)");
    }

    @Test
    void aByteOrderMarkBeforeThePretrainedVectorsIsIgnoredAndTheHeadersDimensionIsChecked() throws Exception {
        // found by a new-user check: with a BOM the word2vec header was read as a one-number vector
        // ("line 2: expected a word and 1 numbers"), and a GloVe file's first word was never matched
        dev.assay.data.Vocabulary vocabulary = dev.assay.data.Vocabulary.of(
                List.of(dev.assay.data.Vocabulary.PAD, dev.assay.data.Vocabulary.UNK, "a", "b"));
        Path word2vec = Files.writeString(dir.resolve("w2v-bom.txt"), "\uFEFF2 2\na 0.5 0.25\nb 1 -1\n");
        Path glove = Files.writeString(dir.resolve("glove-bom.txt"), "\uFEFFa 0.5 0.25\nb 1 -1\n");
        for (Path file : List.of(word2vec, glove)) {
            PretrainedVectors v = PretrainedVectors.read(file, vocabulary);
            assertThat(v.dim()).isEqualTo(2);
            assertThat(v.found()).as(file.toString()).isEqualTo(2);
            assertThat(v.matrix()).containsExactly(0, 0, 0, 0, 0.5f, 0.25f, 1f, -1f);
        }
        Path wrongHeader = Files.writeString(dir.resolve("w2v-3.txt"), "2 3\na 0.5 0.25\nb 1 -1\n");
        assertThatThrownBy(() -> PretrainedVectors.read(wrongHeader, vocabulary))
                .hasMessage(wrongHeader + ":2: the header (line 1) says 3 numbers per word, this line has 2");
    }

    @Test
    void aPretrainedVectorFileThatIsNotUtf8IsRefusedAtItsLine() throws Exception {
        Path vectors = dir.resolve("latin1.txt");
        Files.write(vectors, "a 0.5 0.25\ncaf\u00e9 1 1\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        dev.assay.data.Utf8Text.Malformed e = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.assay.data.Utf8Text.Malformed.class,
                () -> PretrainedVectors.read(vectors, dev.assay.data.Vocabulary.of(List.of(dev.assay.data.Vocabulary.PAD, dev.assay.data.Vocabulary.UNK, "a", "caf\u00e9"))));
        assertThat(e).hasMessageStartingWith(vectors + ":2:4: not valid UTF-8 (bytes E9 20)");
    }

    @Test
    void frozenPretrainedVectorsCoveringLessThanHalfTheVocabularyAreAWarning() throws Exception {
        Path vectors = dir.resolve("few.txt");
        Files.writeString(vectors, "1 2\na 0.5 0.25\n"); // one word of the vocabulary
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(RecurrentNetwork.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            Block block = build(new RecurrentProvider.Gru(), Map.of("embedding_dim", 2,
                    "pretrained_embeddings", vectors.toString()), new Shape(12), 2);
            ((SequenceModel) block).bindVocabulary(VOCAB);
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(e.getFormattedMessage()).isEqualTo("pretrained_embeddings: 1 of " + VOCAB.size()
                    + " vocabulary words have a vector in " + vectors + "; the others keep their random initialization,"
                    + " frozen (freeze_embeddings)");
        });
    }

    @Test
    void pretrainedDimensionMismatchNamesBothSizes() throws Exception {
        Path vectors = dir.resolve("glove.txt");
        Files.writeString(vectors, "a 0.5 0.25\n");
        Block block = build(new RecurrentProvider.Gru(), Map.of("embedding_dim", 8,
                "pretrained_embeddings", vectors.toString()), new Shape(12), 2);
        assertThatThrownBy(() -> ((SequenceModel) block).bindVocabulary(VOCAB))
                .hasMessage("embedding_dim is 8 but the vectors in " + vectors
                        + " have 2 dimensions; set embedding_dim: 2");
    }

    @Test
    void everyStepModeGivesLogitsPerStepAndTheStates() {
        Block block = tokenModel(new RecurrentProvider.Lstm(), Map.of("layers", 2, "hidden", 8,
                "embedding_dim", 4));
        ((SequenceModel) block).setOutputEveryStep(true);
        try (NDManager m = NDManager.newBaseManager()) {
            block.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(3, 5));
            NDList out = block.forward(new ai.djl.training.ParameterStore(m, false),
                    new NDList(m.ones(new Shape(3, 5))), false);
            assertThat(out.getShapes()).containsExactly(new Shape(3, 5, 2), new Shape(2, 3, 8),
                    new Shape(2, 3, 8));
        }
    }

    @Test
    void tokenInputWithoutAVocabularyIsRejected() {
        Block block = build(new RecurrentProvider.Lstm(), Map.of(), new Shape(12), 2);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> block.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32,
                    new Shape(4, 12))).hasMessageContaining("no vocabulary was bound");
        }
    }
}
