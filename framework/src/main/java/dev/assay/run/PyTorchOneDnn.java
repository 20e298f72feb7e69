package dev.assay.run;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the instruction set of PyTorch's oneDNN at AVX2 in a process that trains on PyTorch,
 * unless the user chose one: {@code ONEDNN_MAX_CPU_ISA=AVX2} is put into the process's C
 * environment (libc {@code setenv}, through JNA) before the engine loads.
 *
 * <p>Why: on an AMD EPYC of family 26 (Zen 5; AVX-512 with BF16), PyTorch 2.7.1's LSTM (which on
 * CPU runs oneDNN's RNN primitive for float32) computed outputs that did not follow its weights:
 * moving one input weight by ±0.01 left the output sum unchanged to the last bit while autograd
 * gave it a gradient of -0.86; a two-layer LSTM's training loss rose from 0.69 to 1.50 over 24
 * epochs on a task MXNet's LSTM learns to 0.02 (measured 2 Dec 2026 with the same block, seed
 * and data; out of tree). With {@code ONEDNN_MAX_CPU_ISA=AVX2} the finite differences match
 * autograd to 8e-5 and the loss falls; with {@code AVX512_CORE} they do not. GRU, which PyTorch
 * runs without oneDNN, was right either way. Set after PyTorch had loaded, the variable did not
 * help (the check still failed), so {@link #cap()} must run before the engine loads; {@link
 * EngineSelection#claim} calls it then. The cap slows PyTorch's oneDNN
 * convolutions on AVX-512 machines; MXNet's own oneDNN reads {@code DNNL_MAX_CPU_ISA} and is not
 * affected. {@code LstmCheck} in the architectures plugin verifies PyTorch's LSTM against a
 * reference cell before a trial trains one.
 */
public final class PyTorchOneDnn {

    private static final Logger LOG = LoggerFactory.getLogger(PyTorchOneDnn.class);

    /** oneDNN's environment variable for the highest instruction set it dispatches to. */
    public static final String MAX_CPU_ISA = "ONEDNN_MAX_CPU_ISA";

    /** The value set where the user set none. */
    public static final String CAP = "AVX2";

    /**
     * Assay's system property that holds, once {@link #cap()} has run, the value of {@link
     * #MAX_CPU_ISA} in the process's C environment (recorded in each run's engine settings).
     */
    public static final String PROPERTY = "assay.pytorch.onednn_max_cpu_isa";

    /** libc's environment functions ({@code stdlib.h}). */
    interface LibC extends Library {
        String getenv(String name);

        int setenv(String name, String value, int overwrite);
    }

    private PyTorchOneDnn() {}

    /**
     * Sets {@code ONEDNN_MAX_CPU_ISA=AVX2} in the C environment unless it holds a value, and
     * records the value in force as {@link #PROPERTY}. Safe to call more than once; does nothing
     * (and records nothing) where libc cannot be loaded (not Linux or macOS).
     *
     * @return the value of {@code ONEDNN_MAX_CPU_ISA} in the C environment now, or null where it
     *     could not be read
     */
    public static synchronized String cap() {
        LibC libc = libc();
        if (libc == null) {
            return null;
        }
        String given = libc.getenv(MAX_CPU_ISA);
        if (given == null || given.isBlank()) {
            if (libc.setenv(MAX_CPU_ISA, CAP, 1) != 0) {
                LOG.warn("Could not set {}={} for PyTorch's oneDNN; its LSTM may compute wrong outputs on"
                        + " AVX-512 CPUs", MAX_CPU_ISA, CAP);
                return null;
            }
            given = CAP;
        }
        System.setProperty(PROPERTY, given);
        return given;
    }

    private static LibC libc() {
        if (!Platform.isLinux() && !Platform.isMac()) {
            return null;
        }
        for (String name : new String[] {Platform.isLinux() ? "libc.so.6" : "c", "c"}) {
            try {
                return Native.load(name, LibC.class);
            } catch (LinkageError e) {
                LOG.debug("Cannot load {} for setenv: {}", name, e.toString());
            }
        }
        return null;
    }
}
