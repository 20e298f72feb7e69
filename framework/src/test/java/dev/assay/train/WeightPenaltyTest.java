package dev.assay.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import dev.assay.spec.RegularizationSpec;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WeightPenaltyTest {

    private NDManager manager;
    private NDArray w1;
    private NDArray w2;

    @BeforeEach
    void arrays() {
        manager = NDManager.newBaseManager();
        w1 = manager.create(new float[] {1, -2, 3, -4}, new Shape(2, 2));
        w2 = manager.create(new float[] {0.5f, -0.5f});
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private float penalty(double l1, double l2) {
        NDArray p = new WeightPenalty(new RegularizationSpec(l1, l2)).compute(List.of(w1, w2));
        assertThat(p.getShape()).isEqualTo(new Shape());
        return p.getFloat();
    }

    @Test
    void l1IsLambdaTimesTheSumOfAbsoluteWeights() {
        // 0.1 * (1 + 2 + 3 + 4 + 0.5 + 0.5)
        assertThat(penalty(0.1, 0)).isCloseTo(1.1f, within(1e-5f));
    }

    @Test
    void l2IsHalfLambdaTimesTheSumOfSquaredWeights() {
        // 0.2 / 2 * (1 + 4 + 9 + 16 + 0.25 + 0.25)
        assertThat(penalty(0, 0.2)).isCloseTo(3.05f, within(1e-5f));
    }

    @Test
    void l1AndL2Add() {
        assertThat(penalty(0.1, 0.2)).isCloseTo(4.15f, within(1e-5f));
    }

    @Test
    void aZeroPenaltyIsNull() {
        WeightPenalty zero = new WeightPenalty(new RegularizationSpec(0, 0));
        assertThat(zero.isZero()).isTrue();
        assertThat(zero.compute(List.of(w1, w2))).isNull();
        WeightPenalty l2 = new WeightPenalty(new RegularizationSpec(0, 0.1));
        assertThat(l2.isZero()).isFalse();
        assertThat(l2.compute(List.of())).isNull();
    }

    @Test
    void negativeOrNonFiniteLambdasAreRejected() {
        assertThatThrownBy(() -> new WeightPenalty(new RegularizationSpec(-0.1, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("l1 and l2 must be finite and >= 0, got RegularizationSpec[l1=-0.1, l2=0.0]");
        assertThatThrownBy(() -> new WeightPenalty(new RegularizationSpec(0, -1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WeightPenalty(new RegularizationSpec(Double.NaN, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WeightPenalty(new RegularizationSpec(0, Double.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weightsOfALinearLayerAreItsWeightOnlyNotItsBias() {
        Linear linear = Linear.builder().setUnits(3).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
        assertThat(linear.getParameters().size()).isEqualTo(2);
        NDList weights = WeightPenalty.weights(linear);
        assertThat(weights).hasSize(1);
        assertThat(weights.get(0).getShape()).isEqualTo(new Shape(3, 4));
        assertThat(weights.get(0)).isSameAs(linear.getParameters().get("weight").getArray());
    }

    @Test
    void frozenWeightsAreNotPenalized() {
        // a frozen pretrained embedding had no gradient: adding the penalty's failed the trial at step 1
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(3).build()).add(Linear.builder().setUnits(2).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
        block.getChildren().get(0).getValue().freezeParameters(true);

        NDList weights = WeightPenalty.weights(block);

        assertThat(weights).hasSize(1);
        assertThat(weights.get(0).getShape()).isEqualTo(new Shape(2, 3));
        assertThat(weights.get(0)).isSameAs(
                block.getChildren().get(1).getValue().getParameters().get("weight").getArray());
    }

    @Test
    void weightsOfAnUninitializedBlockAreRefused() {
        Linear linear = Linear.builder().setUnits(3).build();
        assertThatThrownBy(() -> WeightPenalty.weights(linear))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("parameter weight not initialized");
    }

    @Test
    void theL2GradientIsLambdaTimesTheWeight() {
        NDArray w = manager.create(new float[] {1, -2, 3, -4, 0.5f, 0}, new Shape(2, 3));
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(new WeightPenalty(new RegularizationSpec(0, 0.2)).compute(List.of(w)));
        }
        assertThat(w.getGradient().toFloatArray())
                .containsExactly(new float[] {0.2f, -0.4f, 0.6f, -0.8f, 0.1f, 0f}, within(1e-6f));
    }

    @Test
    void aScaledGradientIsScaleTimesThePenaltysGradientAddedToTheDataGradient() {
        NDArray w = manager.create(new float[] {1, -2, 3, -4}, new Shape(2, 2));
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(w.sum()); // data gradient 1 everywhere
        }
        // a loss summed over 8 examples: 8·(l1·sign(w) + l2·w) = 8·(0.1·sign(w) + 0.2·w)
        new WeightPenalty(new RegularizationSpec(0.1, 0.2)).addGradients(List.of(w), 8);
        assertThat(w.getGradient().toFloatArray())
                .containsExactly(new float[] {1 + 8 * 0.3f, 1 - 8 * 0.5f, 1 + 8 * 0.7f, 1 - 8 * 0.9f}, within(1e-5f));
        assertThatThrownBy(() -> new WeightPenalty(new RegularizationSpec(0, 0.2)).addGradients(List.of(w), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0.0");
    }

    @Test
    void theL1GradientIsLambdaTimesTheSignOfTheWeight() {
        NDArray w = manager.create(new float[] {1, -2, 3, -4, 0.5f, -0.25f}, new Shape(2, 3));
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(new WeightPenalty(new RegularizationSpec(0.1, 0)).compute(List.of(w)));
        }
        assertThat(w.getGradient().toFloatArray())
                .containsExactly(new float[] {0.1f, -0.1f, 0.1f, -0.1f, 0.1f, -0.1f}, within(1e-6f));
    }

    @Test
    void valueIsThePenaltyAsADouble() {
        assertThat(new WeightPenalty(new RegularizationSpec(0.1, 0.2)).value(List.of(w1, w2)))
                .isCloseTo(4.15, within(1e-5));
        assertThat(new WeightPenalty(new RegularizationSpec(0, 0)).value(List.of(w1, w2)))
                .isZero();
    }

    @Test
    void addedGradientsEqualTheAutogradGradientOfThePenaltyPlusTheDataGradient() {
        WeightPenalty penalty = new WeightPenalty(new RegularizationSpec(0.1, 0.2));
        w1.setRequiresGradient(true);
        // data "loss" 3 * sum(w1): its gradient is 3 everywhere.
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(w1.sum().mul(3f).add(penalty.compute(List.of(w1))));
        }
        float[] autograd = w1.getGradient().toFloatArray();

        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(w1.sum().mul(3f));
        }
        penalty.addGradients(List.of(w1));
        float[] added = w1.getGradient().toFloatArray();

        // 3 + 0.1 * sign(w) + 0.2 * w for w = 1, -2, 3, -4
        assertThat(added).containsExactly(new float[] {3.3f, 2.5f, 3.7f, 2.1f}, within(1e-6f));
        assertThat(added).containsExactly(autograd, within(1e-6f));
    }
}
