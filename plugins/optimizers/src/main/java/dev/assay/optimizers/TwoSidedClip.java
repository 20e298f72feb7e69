package dev.assay.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Sgd;
import java.util.function.Consumer;

/**
 * Gradient clipping to {@code [-c, c]} for DJL's SGD, Adam and AdamW on engines without fused
 * updates (PyTorch). DJL 0.36's PyTorch {@code sgdUpdate} and {@code adamUpdate} clip with {@code
 * grad.clamp_max_(c)} only: an element below {@code -c} goes through unclipped, so a trial with
 * {@code clip_gradient} took one-sided, biased steps (an MLP with SGD and {@code clip_gradient:
 * 1e-4} reached a validation loss of 562 on PyTorch, 2.15 on MXNet, whose fused updates clip both
 * sides). On such engines these optimizers are built as subclasses that clip the gradient to
 * {@code [-c/rescale, c/rescale]} before DJL's update, whose own upper clip then changes nothing;
 * their state stays in DJL's fields ({@link dev.assay.train.OptimizerStates} reads superclasses).
 */
final class TwoSidedClip {

    private TwoSidedClip() {}

    static Optimizer sgd(Sgd.Builder builder) {
        return OptimizersPlugin.fusedUpdates() ? builder.build() : new ClippedSgd(builder);
    }

    static Optimizer adam(Adam.Builder builder) {
        return OptimizersPlugin.fusedUpdates() ? builder.build() : new ClippedAdam(builder);
    }

    static Optimizer adamW(AdamW.Builder builder) {
        return OptimizersPlugin.fusedUpdates() ? builder.build() : new ClippedAdamW(builder);
    }

    /** Hands DJL's update the gradient clipped to both sides; intermediates go to a scratch manager. */
    private static void update(float clip, float rescale, NDArray grad, Consumer<NDArray> djlUpdate) {
        if (!(clip > 0)) {
            djlUpdate.accept(grad);
            return;
        }
        float bound = rescale != 0 ? clip / Math.abs(rescale) : clip;
        try (NDManager scratch = grad.getManager().getEngine().newBaseManager(grad.getDevice())) {
            scratch.tempAttachAll(new NDList(grad));
            djlUpdate.accept(grad.clip(-bound, bound));
        }
    }

    private static final class ClippedSgd extends Sgd {
        ClippedSgd(Sgd.Builder builder) {
            super(builder);
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            TwoSidedClip.update(clipGrad, rescaleGrad, grad, g -> super.update(parameterId, weight, g));
        }
    }

    private static final class ClippedAdam extends Adam {
        ClippedAdam(Adam.Builder builder) {
            super(builder);
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            TwoSidedClip.update(clipGrad, rescaleGrad, grad, g -> super.update(parameterId, weight, g));
        }
    }

    private static final class ClippedAdamW extends AdamW {
        ClippedAdamW(AdamW.Builder builder) {
            super(builder);
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            TwoSidedClip.update(clipGrad, rescaleGrad, grad, g -> super.update(parameterId, weight, g));
        }
    }
}
