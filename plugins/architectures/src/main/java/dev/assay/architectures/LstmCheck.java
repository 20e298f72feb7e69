package dev.assay.architectures;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.assay.run.PyTorchOneDnn;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Checks, once per process, that the engine's LSTM computes what an LSTM cell computes before a
 * trial trains one: a one-layer LSTM (batch 2, 3 steps, 4 inputs, 3 hidden units, weights drawn
 * from a fixed Java seed, so the engine's random generator is not touched) against the same cell
 * written out with matrix products, sigmoid and tanh (Hochreiter &amp; Schmidhuber 1997, with a
 * forget gate; gates in the order input, forget, cell, output, which DJL passes to both
 * engines). PyTorch's LSTM runs oneDNN's RNN primitive on CPU, which computed wrong outputs on
 * an AVX-512 CPU ({@link PyTorchOneDnn}); a trial trained on it learned nothing or diverged
 * without any error. The check costs a few milliseconds.
 */
final class LstmCheck {

    /** Largest difference from the reference allowed, in output units (float32 rounding is ~1e-7). */
    static final double TOLERANCE = 1e-4;

    private static String failure;
    private static boolean checked;

    private LstmCheck() {}

    /**
     * Fails unless this process's engine computes LSTM outputs within {@link #TOLERANCE} of the
     * reference cell; on PyTorch it first caps oneDNN ({@link PyTorchOneDnn#cap()}), which only
     * helps in a process where PyTorch has not loaded yet. The result is kept for the process.
     *
     * @throws IllegalStateException naming the engine, the largest difference and what to do, if
     *     the LSTM is wrong
     */
    static synchronized void requireCorrect() {
        if (!checked) {
            String engine = Engine.getInstance().getEngineName();
            if ("PyTorch".equals(engine)) {
                PyTorchOneDnn.cap();
            }
            double difference = largestDifference();
            checked = true;
            failure = verdict(engine + " " + Engine.getInstance().getVersion(), difference,
                    "PyTorch".equals(engine) ? System.getProperty(PyTorchOneDnn.PROPERTY, "unset") : null);
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * What a failed check says.
     *
     * @param engine the engine's name and version
     * @param difference the largest difference from the reference ({@link #largestDifference()})
     * @param oneDnnIsa on PyTorch, the value of {@code ONEDNN_MAX_CPU_ISA} in the process; null on
     *     other engines
     * @return the message, or null if the difference is within {@link #TOLERANCE}
     */
    static String verdict(String engine, double difference, String oneDnnIsa) {
        if (difference <= TOLERANCE) {
            return null;
        }
        return engine + "'s LSTM computes wrong outputs on this CPU: they differ from a reference LSTM cell by up to "
                + String.format(java.util.Locale.ROOT, "%.3g", difference) + " (allowed " + TOLERANCE
                + "), so an LSTM trained here would learn nothing or diverge."
                + (oneDnnIsa == null ? " Train this trial on another engine." : " PyTorch runs oneDNN's LSTM, which"
                + " is wrong with AVX-512 on some CPUs: start the process with " + PyTorchOneDnn.MAX_CPU_ISA + "="
                + PyTorchOneDnn.CAP + " (oneDNN reads it when PyTorch loads; assay sets it on an AMD CPU with AVX-512 unless it is set already;"
                + " here it is " + oneDnnIsa + "), or train this trial with engine: mxnet.");
    }

    /**
     * The largest absolute difference between the engine's LSTM and the reference cell on the
     * check's input, over every output (batch, step, unit).
     *
     * @return the difference; NaN if either output is NaN
     */
    static double largestDifference() {
        int batch = 2;
        int steps = 3;
        int inputs = 4;
        int hidden = 3;
        SplittableRandom random = new SplittableRandom(20261202L);
        try (NDManager m = NDManager.newBaseManager()) {
            LSTM lstm = LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true)
                    .optReturnState(false).build();
            Shape inputShape = new Shape(batch, steps, inputs);
            NDArray wih = uniform(m, random, new Shape(4 * hidden, inputs));
            NDArray whh = uniform(m, random, new Shape(4 * hidden, hidden));
            NDArray bih = uniform(m, random, new Shape(4 * hidden));
            NDArray bhh = uniform(m, random, new Shape(4 * hidden));
            lstm.setInitializer((manager, shape, dataType) -> manager.zeros(shape, dataType), Parameter.Type.WEIGHT);
            lstm.setInitializer((manager, shape, dataType) -> manager.zeros(shape, dataType), Parameter.Type.BIAS);
            lstm.initialize(m, DataType.FLOAT32, inputShape);
            for (Pair<String, Parameter> p : lstm.getParameters()) {
                String name = p.getKey();
                NDArray value = name.endsWith("i2h_WEIGHT") ? wih : name.endsWith("h2h_WEIGHT") ? whh
                        : name.endsWith("i2h_BIAS") ? bih : bhh;
                p.getValue().getArray().set(value.toFloatArray());
            }
            NDArray x = uniform(m, random, inputShape);
            NDArray actual = lstm.forward(new ParameterStore(m, false), new NDList(x), false).head();

            NDArray h = m.zeros(new Shape(batch, hidden));
            NDArray c = m.zeros(new Shape(batch, hidden));
            List<NDArray> outputs = new ArrayList<>();
            for (int t = 0; t < steps; t++) {
                NDArray xt = x.get(":, " + t + ", :");
                NDArray gates = xt.matMul(wih.transpose()).add(bih).add(h.matMul(whh.transpose())).add(bhh);
                NDList parts = gates.split(4, 1);
                NDArray in = Activation.sigmoid(parts.get(0));
                NDArray forget = Activation.sigmoid(parts.get(1));
                NDArray cell = parts.get(2).tanh();
                NDArray out = Activation.sigmoid(parts.get(3));
                c = forget.mul(c).add(in.mul(cell));
                h = out.mul(c.tanh());
                outputs.add(h);
            }
            NDArray expected = NDArrays.stack(new NDList(outputs), 1);
            float[] a = actual.toFloatArray();
            float[] e = expected.toFloatArray();
            if (a.length != e.length) {
                return Double.NaN;
            }
            double largest = 0;
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs((double) a[i] - e[i]);
                if (Double.isNaN(d)) {
                    return Double.NaN;
                }
                largest = Math.max(largest, d);
            }
            return largest;
        }
    }

    private static NDArray uniform(NDManager m, SplittableRandom random, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return m.create(values, shape);
    }
}
