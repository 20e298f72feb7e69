package dev.assay.architectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.assay.data.Seq2SeqData;
import dev.assay.plugin.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tiny training runs of the seq2seq network on "reverse the tokens"; shapes and attention. */
class Seq2SeqNetworkTest {

    private static final int VOCAB = 12;
    private static final int SOURCE = 6;
    private static final int TARGET = SOURCE + 1;

    /** Cross-entropy over every (batch, step) position of (batch, steps, vocabulary) logits. */
    private static final class TokenLoss extends Loss {
        TokenLoss() {
            super("loss");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logits = predictions.head();
            return logits.logSoftmax(2).mul(labels.head().oneHot(VOCAB)).sum(new int[] {2})
                    .neg().mean();
        }
    }

    private static Block build(Map<String, Object> given) {
        Seq2SeqProvider provider = new Seq2SeqProvider();
        return provider.build(Params.resolve(provider.parameters(), given),
                new Shape(SOURCE, VOCAB), VOCAB);
    }

    /**
     * Sources of 3..6 tokens from [4, 12), padded; targets the reversed source. Returns
     * {source, decoder input, labels}.
     */
    private static NDArray[] reversal(NDManager m, int n, Random r) {
        float[] src = new float[n * SOURCE];
        float[] in = new float[n * TARGET];
        float[] out = new float[n * TARGET];
        for (int i = 0; i < n; i++) {
            int len = 3 + r.nextInt(SOURCE - 2);
            int[] tokens = new int[len];
            for (int t = 0; t < len; t++) {
                tokens[t] = 4 + r.nextInt(VOCAB - 4);
                src[i * SOURCE + t] = tokens[t];
            }
            in[i * TARGET] = Seq2SeqData.BOS_INDEX;
            for (int t = 0; t < len; t++) {
                in[i * TARGET + t + 1] = tokens[len - 1 - t];
                out[i * TARGET + t] = tokens[len - 1 - t];
            }
            out[i * TARGET + len] = Seq2SeqData.EOS_INDEX;
        }
        return new NDArray[] {m.create(src, new Shape(n, SOURCE)),
            m.create(in, new Shape(n, TARGET)), m.create(out, new Shape(n, TARGET))};
    }

    /** Trains, returning each epoch's mean loss, then checks the attention of a forward pass. */
    private static List<Float> trainAndCheck(Block block, int epochs, boolean attends)
            throws Exception {
        Engine.getInstance().setRandomSeed(3);
        List<Float> losses = new ArrayList<>();
        try (Model model = Model.newInstance("s2s")) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(new TokenLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(0.01f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                NDManager m = trainer.getManager();
                NDArray[] d = reversal(m, 128, new Random(1));
                ArrayDataset data = new ArrayDataset.Builder().setData(d[0], d[1])
                        .optLabels(d[2]).setSampling(32, true).build();
                trainer.initialize(new Shape(32, SOURCE), new Shape(32, TARGET));
                for (int e = 0; e < epochs; e++) {
                    float sum = 0;
                    int batches = 0;
                    for (Batch b : trainer.iterateDataset(data)) {
                        try (b) {
                            EasyTrain.trainBatch(trainer, b);
                            trainer.step();
                            sum += new TokenLoss().evaluate(b.getLabels(),
                                    trainer.evaluate(b.getData())).getFloat();
                            batches++;
                        }
                    }
                    losses.add(sum / batches);
                }
                checkAttention(trainer.evaluate(new NDList(d[0].get("0:8"), d[1].get("0:8"))),
                        d[0].get("0:8"), attends);
            }
        }
        return losses;
    }

    private static void checkAttention(NDList out, NDArray source, boolean attends) {
        assertThat(out.get(0).getShape()).isEqualTo(new Shape(8, TARGET, VOCAB));
        assertThat(out.get(1).getShape()).isEqualTo(new Shape(8, TARGET, SOURCE));
        float[] w = out.get(1).toFloatArray();
        float[] s = source.toFloatArray();
        for (int b = 0; b < 8; b++) {
            for (int t = 0; t < TARGET; t++) {
                double row = 0;
                for (int j = 0; j < SOURCE; j++) {
                    float v = w[(b * TARGET + t) * SOURCE + j];
                    row += v;
                    if (s[b * SOURCE + j] == 0) {
                        assertThat(v).as("weight on padding").isLessThan(1e-6f);
                    }
                }
                assertThat(row).isCloseTo(attends ? 1.0 : 0.0, within(1e-4));
            }
        }
    }

    @Test
    void gruWithAdditiveAttentionLearnsToReverseAndWeightsSumToOneOverRealTokens()
            throws Exception {
        List<Float> losses = trainAndCheck(build(Map.of("hidden", 32L, "embedding_dim", 16L,
                "attention", "additive")), 6, true);
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.6f);
    }

    @Test
    void twoLayerLstmWithDotAttentionLossGoesDown() throws Exception {
        List<Float> losses = trainAndCheck(build(Map.of("cell", "lstm", "layers", 2L,
                "hidden", 32L, "embedding_dim", 16L, "attention", "dot")), 6, true);
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.8f);
    }

    @Test
    void withoutAttentionLossGoesDownAndWeightsAreZero() throws Exception {
        List<Float> losses = trainAndCheck(build(Map.of("hidden", 32L, "embedding_dim", 16L,
                "attention", "none")), 4, false);
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0));
    }

    @Test
    void stepwiseDecodingWithAFullTeacherMaskEqualsTheTeacherForcedPass() throws Exception {
        Block block = build(Map.of("hidden", 16L, "embedding_dim", 8L, "attention", "dot"));
        try (Model model = Model.newInstance("s2s")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new TokenLoss()))) {
                trainer.initialize(new Shape(4, SOURCE), new Shape(4, TARGET));
                NDArray[] d = reversal(trainer.getManager(), 4, new Random(2));
                NDList forced = trainer.evaluate(new NDList(d[0], d[1]));
                NDArray ones = trainer.getManager().ones(new Shape(TARGET));
                NDList stepwise = trainer.evaluate(new NDList(d[0], d[1], ones));
                assertThat(stepwise.get(0).sub(forced.get(0)).abs().max().getFloat())
                        .isLessThan(1e-4f);
                assertThat(stepwise.get(1).sub(forced.get(1)).abs().max().getFloat())
                        .isLessThan(1e-5f);
                float[] greedyMask = new float[TARGET];
                greedyMask[0] = 1;
                NDList greedy = trainer.evaluate(new NDList(d[0], d[1],
                        trainer.getManager().create(greedyMask)));
                assertThat(greedy.get(0).getShape()).isEqualTo(new Shape(4, TARGET, VOCAB));
            }
        }
    }

    @Test
    void aPerExampleTeacherMaskFeedsEachExampleItsOwnChoiceAtEachStep() throws Exception {
        // scheduled sampling drew one coin per step for the whole batch: a step was all teacher-forced or all
        // free-running; a (batch, targetTime) mask lets each example take its own (Bengio et al. 2015)
        Block block = build(Map.of("hidden", 16L, "embedding_dim", 8L, "attention", "additive"));
        try (Model model = Model.newInstance("s2s")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new TokenLoss()))) {
                trainer.initialize(new Shape(4, SOURCE), new Shape(4, TARGET));
                NDManager m = trainer.getManager();
                NDArray[] d = reversal(m, 4, new Random(2));
                float[][] rows = {
                    {1, 1, 1, 1, 1, 1, 1}, {1, 0, 0, 0, 0, 0, 0}, {1, 0, 1, 0, 1, 1, 0}, {1, 1, 0, 0, 1, 0, 1}};
                float[] flat = new float[4 * TARGET];
                for (int i = 0; i < 4; i++) {
                    System.arraycopy(rows[i], 0, flat, i * TARGET, TARGET);
                }
                NDArray logits = trainer.evaluate(new NDList(d[0], d[1], m.create(flat, new Shape(4, TARGET)))).head();
                assertThat(logits.getShape()).isEqualTo(new Shape(4, TARGET, VOCAB));
                for (int i = 0; i < 4; i++) {
                    // the same example alone with its row as a whole-batch mask
                    NDArray alone = trainer.evaluate(new NDList(d[0].get(i + ":" + (i + 1)), d[1].get(i + ":" + (i + 1)),
                            m.create(rows[i]))).head();
                    assertThat(logits.get(i + ":" + (i + 1)).sub(alone).abs().max().getFloat()).as("example " + i)
                            .isLessThan(1e-4f);
                }
                // rows 2 and 3 mix the two choices at step 2: the batch-wide choice of either differs there
                NDArray allTeacher = trainer.evaluate(new NDList(d[0], d[1], m.ones(new Shape(TARGET)))).head();
                assertThat(logits.get("2:4, 3:").sub(allTeacher.get("2:4, 3:")).abs().max().getFloat()).isGreaterThan(1e-3f);
                float[] noBos = flat.clone();
                noBos[2 * TARGET] = 0;
                assertThatThrownBy(() -> trainer.evaluate(new NDList(d[0], d[1], m.create(noBos, new Shape(4, TARGET)))))
                        .hasMessageContaining("teacherMask must start with 1").hasMessageContaining("example 2");
                assertThatThrownBy(() -> trainer.evaluate(new NDList(d[0], d[1], m.ones(new Shape(3, TARGET)))))
                        .hasMessageContaining("(batch, targetTime) = (4, 7), got (3, 7)");
            }
        }
    }

    @Test
    void buildRejectsDataThatIsNotSeq2Seq() {
        Seq2SeqProvider provider = new Seq2SeqProvider();
        assertThatThrownBy(() -> provider.build(Params.resolve(provider.parameters(), Map.of()),
                new Shape(1, 28, 28), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("architecture 'seq2seq' needs a seq2seq dataset")
                .hasMessageContaining("(1, 28, 28)");
    }

    @Test
    void unknownAttentionNamesTheParameterAndTheAllowedValues() {
        Seq2SeqProvider provider = new Seq2SeqProvider();
        assertThatThrownBy(() -> Params.resolve(provider.parameters(),
                Map.of("attention", "bahdanau")))
                .hasMessageContaining("attention")
                .hasMessageContaining("none")
                .hasMessageContaining("additive")
                .hasMessageContaining("dot");
    }
}
