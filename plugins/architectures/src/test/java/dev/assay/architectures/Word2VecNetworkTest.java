package dev.assay.architectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.assay.plugin.Params;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The word2vec tables: shapes, the scoring formula, initialization and a few training steps. */
class Word2VecNetworkTest {

    private static Block build(int vocabulary, int dim) {
        Word2VecProvider provider = new Word2VecProvider();
        return provider.build(Params.resolve(provider.parameters(), Map.of("embedding_dim", dim)),
                new Shape(2), vocabulary);
    }

    /** -log σ(s₀) - Σ log σ(-s_k), summed per row, averaged over rows. */
    private static NDArray negativeSamplingLoss(NDArray scores) {
        NDArray sign = scores.getManager().ones(scores.getShape()).neg();
        sign.set(new ai.djl.ndarray.index.NDIndex(":, 0"), 1f);
        NDArray x = scores.mul(sign).neg();
        return x.maximum(0f).add(x.abs().neg().exp().add(1).log()).sum(new int[] {1}).mean();
    }

    @Test
    void scoresAreOutputVectorsDottedWithTheMaskedMeanOfInputVectors() {
        Block block = build(6, 4);
        try (Model model = Model.newInstance("w2v")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                NDManager m = trainer.getManager();
                trainer.initialize(new Shape(2, 2), new Shape(2, 2), new Shape(2, 3));
                NDArray in = block.getParameters().get("input_vectors").getArray();
                NDArray out = block.getParameters().get("output_vectors").getArray();
                assertThat(in.getShape()).isEqualTo(new Shape(6, 4));
                assertThat(out.getShape()).isEqualTo(new Shape(6, 4));
                assertThat(in.abs().max().getFloat()).isLessThanOrEqualTo(0.5f / 4);
                assertThat(out.abs().max().getFloat()).isZero();
                in.set(m.arange(24f).reshape(6, 4).div(24f).toFloatArray());
                out.set(m.arange(24f).reshape(6, 4).div(-12f).toFloatArray());
                // row 0: mean of words 2 and 3; row 1: word 5 only (second slot masked)
                NDList x = new NDList(m.create(new float[] {2, 3, 5, 1}, new Shape(2, 2)),
                        m.create(new float[] {1, 1, 1, 0}, new Shape(2, 2)),
                        m.create(new float[] {1, 4, 0, 2, 3, 3}, new Shape(2, 3)));
                float[] scores = trainer.evaluate(x).singletonOrThrow().toFloatArray();
                float[] v = in.toFloatArray();
                float[] u = out.toFloatArray();
                double[] h0 = new double[4];
                for (int j = 0; j < 4; j++) {
                    h0[j] = (v[2 * 4 + j] + v[3 * 4 + j]) / 2;
                }
                assertThat(scores).hasSize(6);
                assertThat((double) scores[1]).isCloseTo(dot(u, 4, h0), within(1e-5));
                double[] h1 = {v[20], v[21], v[22], v[23]};
                assertThat((double) scores[5]).isCloseTo(dot(u, 3, h1), within(1e-5));
            }
        }
    }

    private static double dot(float[] u, int row, double[] h) {
        double s = 0;
        for (int j = 0; j < h.length; j++) {
            s += u[row * h.length + j] * h[j];
        }
        return s;
    }

    @Test
    void aFewStepsOfNegativeSamplingLowerTheLoss() {
        Block block = build(10, 8);
        try (Model model = Model.newInstance("w2v")) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                NDManager m = trainer.getManager();
                trainer.initialize(new Shape(4, 1), new Shape(4, 1), new Shape(4, 3));
                // skip-gram pairs 2->3, 3->2, 4->5, 5->4 with fixed negatives
                NDList x = new NDList(m.create(new float[] {2, 3, 4, 5}, new Shape(4, 1)),
                        m.ones(new Shape(4, 1)), m.create(new float[] {3, 6, 7, 2, 8, 9, 5, 6, 8,
                            4, 7, 9}, new Shape(4, 3)));
                float first = 0;
                float last = 0;
                for (int step = 0; step < 30; step++) {
                    try (GradientCollector c = trainer.newGradientCollector()) {
                        NDArray loss = negativeSamplingLoss(trainer.forward(x).singletonOrThrow());
                        c.backward(loss);
                        last = loss.getFloat();
                        first = step == 0 ? last : first;
                    }
                    trainer.step();
                }
                // at zero output vectors every score is 0: loss = 3·log 2
                assertThat((double) first).isCloseTo(3 * Math.log(2), within(1e-4));
                assertThat(last).isLessThan(first / 2);
            }
        }
    }

    @Test
    void anythingButThreeInputsIsRejectedNamingTheTask() {
        Block block = build(5, 2);
        try (Model model = Model.newInstance("w2v")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 1), new Shape(1, 1), new Shape(1, 2));
                NDList one = new NDList(trainer.getManager().ones(new Shape(1, 1)));
                assertThatThrownBy(() -> trainer.evaluate(one))
                        .hasMessageContaining("takes (inputs, mask, candidates) from task"
                                + " 'word2vec', got 1 input arrays");
            }
        }
        assertThatThrownBy(() -> build(1, 4))
                .hasMessage("architecture 'word2vec' needs a vocabulary of at least 2 tokens and"
                        + " embedding_dim >= 1, got 1 and 4");
    }
}
