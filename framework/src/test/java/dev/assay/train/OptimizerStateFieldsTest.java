package dev.assay.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.assay.testing.LogCapture;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A plugin optimizer's state is found whatever map type it is declared with, and state kept in a
 * layout checkpoints cannot hold is warned about (found by a new-user check: a plugin optimizer
 * declaring its momentum as a {@code ConcurrentHashMap} lost it on every continued run, silently).
 */
class OptimizerStateFieldsTest {

    /** A do-nothing optimizer of a given state layout. */
    abstract static class Plain extends Optimizer {
        Plain() {
            super(new Builder());
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {}

        static final class Builder extends OptimizerBuilder<Builder> {
            @Override
            protected Builder self() {
                return this;
            }
        }
    }

    /** Momentum declared as a concrete map type. */
    static final class Concurrent extends Plain {
        final ConcurrentHashMap<String, Map<Device, NDArray>> momentum = new ConcurrentHashMap<>();
    }

    /** State in a layout checkpoints cannot hold. */
    static final class Flat extends Plain {
        final Map<String, NDArray> velocity = new ConcurrentHashMap<>();
    }

    @Test
    void stateDeclaredAsAConcreteMapTypeIsTheOptimizersStateAndOtherArraysAreWarnedAbout() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Concurrent concurrent = new Concurrent();
            NDArray buffer = manager.zeros(new ai.djl.ndarray.types.Shape(2));
            buffer.detach();
            concurrent.momentum.put("w", new ConcurrentHashMap<>(Map.of(buffer.getDevice(), buffer)));
            try (LogCapture log = new LogCapture(OptimizerStates.class.getName())) {
                OptimizerStates.release(concurrent); // frees and empties every state map it finds
                assertThat(concurrent.momentum).isEmpty();
                assertThat(log.warnings()).isEmpty();

                Flat flat = new Flat();
                OptimizerStates.release(flat);
                OptimizerStates.release(flat);
                assertThat(log.warnings()).singleElement().asString()
                        .startsWith("Optimizer " + Flat.class.getName() + " keeps state that checkpoints cannot hold:"
                                + " Flat.velocity (Map<String, NDArray>). A trial continued from a checkpoint starts"
                                + " that state over");
            }
        }
    }
}
