package dev.assay.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the instruction set of PyTorch's oneDNN at AVX2 in a process that trains on PyTorch on an
 * AMD CPU with AVX-512 ({@link #needsCap}), unless the user chose one: {@code
 * ONEDNN_MAX_CPU_ISA=AVX2} is put into the process's C environment (libc {@code setenv}, through
 * JNA) before the engine loads.
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
 * convolutions (see {@link #needsCap}); MXNet's own oneDNN reads {@code DNNL_MAX_CPU_ISA} and is
 * not affected. {@code LstmCheck} in the architectures plugin verifies PyTorch's LSTM against a
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
     * #MAX_CPU_ISA} in the process's C environment, or {@code unset} (recorded in each run's engine
     * settings).
     */
    public static final String PROPERTY = "assay.pytorch.onednn_max_cpu_isa";

    private PyTorchOneDnn() {}

    /**
     * Caps oneDNN as the class says on a CPU that needs it ({@link #needsCap}), unless {@code
     * ONEDNN_MAX_CPU_ISA} holds a value, and records the value in force as {@link #PROPERTY}
     * ({@code unset} where none is). Safe to call more than once; does nothing (and records
     * nothing) where libc cannot be loaded (not Linux or macOS).
     *
     * @return the value of {@code ONEDNN_MAX_CPU_ISA} in the C environment now, {@code null} where
     *     it is unset or could not be read
     */
    public static synchronized String cap() {
        return cap(CpuInfo.read());
    }

    /** {@link #cap()} for a given processor. */
    static String cap(CpuInfo cpu) {
        dev.assay.train.LibC.Functions libc = CEnvironment.libc();
        if (libc == null) {
            return null;
        }
        boolean needed = needsCap(cpu);
        String given = needed ? CEnvironment.setUnlessGiven(MAX_CPU_ISA, CAP) : libc.getenv(MAX_CPU_ISA);
        if (needed && given == null) {
            LOG.warn("PyTorch's oneDNN is not capped at {}: its LSTM may compute wrong outputs on this CPU", CAP);
        }
        boolean set = given != null && !given.isBlank();
        System.setProperty(PROPERTY, set ? given : "unset");
        return set ? given : null;
    }

    /**
     * Whether oneDNN must be capped on this CPU: an AMD processor with AVX-512 ({@code vendor_id
     * AuthenticAMD}, flag {@code avx512f}), where PyTorch's LSTM was wrong. An Intel Xeon with
     * AVX-512 ran the same LSTM right (this project's tests, on 30 Nov - 1 Dec), and there the cap
     * would cost the AVX-512 convolutions: a 3-epoch PyTorch CNN on the Fashion-MNIST subset trained
     * 979 and 1,063 samples/s in its third epoch capped against 1,609 and 1,626 uncapped on this AMD
     * machine (2 Dec, alternated). {@code LstmCheck} catches a CPU this rule misses.
     *
     * @param cpu the processor ({@link CpuInfo#UNKNOWN} where {@code /proc/cpuinfo} is unreadable: no cap)
     * @return true to cap
     */
    static boolean needsCap(CpuInfo cpu) {
        return "AuthenticAMD".equals(cpu.vendor()) && cpu.flags().contains("avx512f");
    }
}
