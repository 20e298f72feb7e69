package dev.assay.run;

import ai.djl.ndarray.NDManager;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes MXNet's CPU worker threads flush denormal floats to zero, so that float32 arithmetic on
 * values below {@code 1.18e-38} does not fall to the processor's slow path.
 *
 * <p>Why: with L2 regularization, weights that the loss no longer moves decay towards zero until
 * they and the products involving them become denormal, and an x86 core then takes a microcode
 * assist for each such operation. In the main job ({@code experiments/fashion-mnist-regularization.yaml},
 * 2 vCPUs) the L2 trial's epochs slowed from 1.5 s to 4.9 s over 10 epochs while the other trials
 * stayed at 1.5-2.0 s; with the flush its epochs stay flat (the README's main job gives the figures).
 * Flushing changes values only below the float32 normal range, far below any loss or metric Assay
 * records. TensorFlow's CPU thread pools run with both bits set for the same reason; PyTorch offers
 * it as {@code torch.set_flush_denormal(True)}.
 *
 * <p>How: the MXCSR register's flush-to-zero (bit 15) and denormals-are-zero (bit 6) bits (Intel 64
 * and IA-32 Architectures Software Developer's Manual, Vol. 1, §10.2.3) are per thread, and a new
 * thread starts with its creator's floating-point environment ({@code pthread_create(3)}). MXNet's
 * threaded engine creates its CPU worker threads at the first operation pushed to the CPU, from the
 * pushing thread, and Intel OpenMP copies a parallel region's master thread's floating-point
 * control to its workers ({@code KMP_INHERIT_FP_CONTROL}, default true). So a throwaway thread sets
 * both bits (glibc's {@code fegetenv}/{@code fesetenv} through JNA: the {@code __mxcsr} field of
 * the x86-64 {@code fenv_t}), loads the engine and pushes one operation; every MXNet operation from
 * then on, from any Java thread, runs on workers that flush. Java threads themselves keep the
 * standard MXCSR: Java's float semantics need denormals.
 *
 * <p>It can only work before the process's first MXNet operation: once the workers exist they keep
 * their environment. {@link #startWorkersFlushing()} therefore checks the outcome with a denormal
 * product pushed from the calling thread. Linux x86-64 only (the engine Assay bundles is built for
 * it); elsewhere nothing is changed.
 */
final class MxnetDenormals {

    private static final Logger LOG = LoggerFactory.getLogger(MxnetDenormals.class);

    /** MXCSR's flush-to-zero (bit 15) and denormals-are-zero (bit 6) bits. */
    static final int FTZ_DAZ = 0x8040;

    /** Size of glibc's x86-64 {@code fenv_t} in bytes ({@code bits/fenv.h}). */
    private static final int FENV_BYTES = 32;

    /** Byte offset of the {@code __mxcsr} field in glibc's x86-64 {@code fenv_t}. */
    private static final int MXCSR_OFFSET = 28;

    /** The two functions of glibc's {@code libm} used here ({@code fenv.h}); both return 0 on success. */
    interface LibM extends Library {
        int fegetenv(Pointer env);

        int fesetenv(Pointer env);
    }

    private MxnetDenormals() {}

    /**
     * Starts MXNet's CPU workers from a thread that flushes denormals, then checks that an operation
     * pushed from the calling thread flushes. Logs a warning, and returns false, where it does not
     * (an MXNet operation ran in this process before, the platform is not Linux x86-64, or libm could
     * not be called); training then runs with IEEE denormals, as before.
     *
     * @return true if MXNet's CPU operations now flush denormal results and inputs to zero
     */
    static boolean startWorkersFlushing() {
        if (!(Platform.isLinux() && Platform.isIntel() && Platform.is64Bit())) {
            LOG.info("Denormals are not flushed on {} {}: only Linux x86-64 is supported.",
                    System.getProperty("os.name"), System.getProperty("os.arch"));
            return false;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                setFlushBits();
                try (NDManager manager = NDManager.newBaseManager("MXNet")) {
                    flushes(manager);
                }
            } catch (RuntimeException | LinkageError e) {
                failure.set(e);
            }
        }, "assay-mxnet-flush-denormals");
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (failure.get() != null) {
            LOG.warn("Could not make MXNet flush denormals ({}); training keeps IEEE denormals.",
                    failure.get().toString());
            return false;
        }
        try (NDManager manager = NDManager.newBaseManager("MXNet")) {
            if (flushes(manager)) {
                return true;
            }
        }
        LOG.warn("MXNet's CPU workers were started before Assay could make them flush denormals (an MXNet"
                + " operation ran earlier in this process); training keeps IEEE denormals, which can slow"
                + " trials with small weights (L2) severalfold.");
        return false;
    }

    /** Sets FTZ and DAZ in this thread's MXCSR through glibc's {@code fegetenv}/{@code fesetenv}. */
    private static void setFlushBits() {
        LibM libm;
        try {
            // the runtime soname: "libm.so" is a linker script from libc6-dev, or absent without it
            libm = Native.load("libm.so.6", LibM.class);
        } catch (UnsatisfiedLinkError e) {
            libm = Native.load("m", LibM.class);
        }
        try (Memory env = new Memory(FENV_BYTES)) {
            if (libm.fegetenv(env) != 0) {
                throw new IllegalStateException("fegetenv failed");
            }
            env.setInt(MXCSR_OFFSET, env.getInt(MXCSR_OFFSET) | FTZ_DAZ);
            if (libm.fesetenv(env) != 0) {
                throw new IllegalStateException("fesetenv failed");
            }
        }
    }

    /**
     * Whether the engine flushes: multiplies {@code 1e-30f} by {@code 1e-10f} on the engine, whose
     * IEEE result, {@code 1e-40f}, is denormal.
     *
     * @param manager a manager of the MXNet engine
     * @return true if the product came back as zero
     */
    static boolean flushes(NDManager manager) {
        return manager.create(new float[] {1e-30f}).mul(1e-10f).toFloatArray()[0] == 0f;
    }
}
