package dev.assay.run;

import dev.assay.spec.TrialConfig;
import dev.assay.train.MallocTrim;

/**
 * Which DJL engine this process trains on. DJL resolves {@code Engine.getInstance()} from the
 * system property {@code ai.djl.default_engine} at each call, and loading a second engine's native
 * library into a process that already runs one is not supported here (MXNet's MKL/Intel OpenMP and
 * PyTorch's GNU OpenMP in one address space), so a process commits to the first engine it trains
 * on: {@link #claim} sets the property and records the choice; a later trial that names another
 * engine must run in another process (the CLI starts one per engine).
 *
 * <p>PyTorch runs with one intra-op thread ({@code ai.djl.pytorch.num_threads=1}) unless the user
 * sets that property: with DJL 0.36 / PyTorch 2.7.1 CPU and two intra-op threads, a DCGAN
 * generator's backward pass (Linear → reshape → Conv2d) gave NaN gradients in its first layers
 * in about half of the runs of the same program on a 2-core machine; with one thread a tiny
 * DCGAN still diverged in about 1 run of 10 (9 of 10 with two threads), so one thread makes the
 * race rare, not impossible (repeated runs of one program, out of tree; not kept). A race that
 * can also corrupt gradients without making them NaN is not worth the speed.
 *
 * <p>MXNet updates parameters through DJL's {@code LocalParameterServer}
 * ({@code ai.djl.use_local_parameter_server=true}) unless the user sets that property. DJL's default
 * for MXNet, {@code MxParameterServer}, runs the optimizer as a KVStore updater callback, and the
 * callback closes its wrappers of the weight and the gradient; {@code MxNDArray.close()} waits for
 * every pending write to the array ({@code MXNDArrayWaitToRead}) before freeing it, so the Java
 * thread blocks until each parameter's update has run, one parameter after another, every step. The
 * training thread then never runs ahead of the engine, and anything it does between steps
 * (fetching the next batch, a listener's bookkeeping) adds to the step's time instead of
 * overlapping the engine's work. The local server calls the same optimizer on the same arrays
 * in place, with no wait after the update. Measured on the benchmark MLP (784-256-128-10, Adam,
 * batch 128, 2 vCPUs, 60 epochs each taking turns, {@code assay bench --only a}): the KVStore epoch
 * took 1.056, 1.080 and 0.999 times the local one in the first three runs ({@code
 * bench/results/bench-full-20261130-003425.json}, {@code -004531}, {@code -012410}), 1.025 to 1.058
 * in the six since (the same directory); parameters are
 * bit-identical for every optimizer Assay offers ({@code ParameterServerTest}).
 *
 * <p>PyTorch's oneDNN is capped at AVX2 on an AMD CPU with AVX-512 unless the user set {@code
 * ONEDNN_MAX_CPU_ISA} ({@link PyTorchOneDnn}: its LSTM computed wrong outputs there).
 *
 * <p>MXNet keeps one temporary workspace on the CPU instead of four unless the user set {@code
 * MXNET_CPU_TEMP_COPY} ({@link MxnetTempSpace}: the others filled in over a trial's first epochs).
 *
 * <p>MXNet's CPU workers flush denormal floats to zero ({@link MxnetDenormals}) unless the user
 * sets {@link #FLUSH_DENORMALS} to {@code false}; after the claim the property says whether they
 * do, as checked, and each run records it with the other engine settings.
 */
public final class EngineSelection {

    /** DJL's property for PyTorch's intra-op thread count. */
    public static final String PYTORCH_THREADS = "ai.djl.pytorch.num_threads";

    /** DJL's property that makes MXNet trainers update through {@code LocalParameterServer}. */
    public static final String LOCAL_PARAMETER_SERVER = "ai.djl.use_local_parameter_server";

    /**
     * Assay's property for flushing denormals to zero on MXNet's CPU workers: {@code false} keeps IEEE
     * denormals; anything else, or unset (the default), asks for the flush. After the process claims
     * MXNet it holds whether the workers flush ({@code true}/{@code false}).
     */
    public static final String FLUSH_DENORMALS = "assay.mxnet.flush_denormals";

    private static String claimed;

    private EngineSelection() {}

    /**
     * Commits this process to an engine, or checks that it already runs that one. The first claim
     * of MXNet also starts its CPU workers flushing denormals unless {@link #FLUSH_DENORMALS} is
     * {@code false} (about 0.1 s: it loads the engine). The first claim of either engine sets
     * {@link MallocTrim#PROPERTY} to whether this process trims its C heap (false where the user
     * set it so or glibc's {@code malloc_trim} is missing), so that each run's provenance records it,
     * and has G1 collect after 5 s without a collection ({@link PeriodicGc#apply()}).
     * The first claim of PyTorch caps its oneDNN at AVX2 where needed ({@link PyTorchOneDnn#cap()});
     * the first claim of MXNet gives it one CPU workspace ({@link MxnetTempSpace#apply()}).
     *
     * @param djlEngine the DJL engine name, {@code MXNet} or {@code PyTorch}
     * @return true if this process runs (now) on that engine; false if it committed to another
     */
    public static synchronized boolean claim(String djlEngine) {
        if (claimed == null) {
            applyDefaults(djlEngine, System.getProperties());
            // recorded in each run's engineSettings: whether epoch ends trim the C heap here
            System.setProperty(MallocTrim.PROPERTY, String.valueOf(MallocTrim.wanted() && MallocTrim.available()));
            PeriodicGc.apply(); // a training process's Java heap collected at least every 5 s (see the class)
            if (djlEngine.equals(TrialConfig.PYTORCH)) {
                PyTorchOneDnn.cap(); // before the engine loads: its LSTM is wrong on AVX-512 (see the class)
            }
            if (djlEngine.equals(TrialConfig.MXNET)) {
                MxnetTempSpace.apply(); // before the engine loads: one CPU workspace, not four (see the class)
                boolean wanted = !"false".equalsIgnoreCase(System.getProperty(FLUSH_DENORMALS, "true").trim());
                System.setProperty(FLUSH_DENORMALS, String.valueOf(wanted && MxnetDenormals.startWorkersFlushing()));
            }
            claimed = djlEngine;
        }
        return claimed.equals(djlEngine);
    }

    /**
     * Sets the engine properties a process committing to an engine needs: the default engine;
     * for PyTorch one intra-op thread unless {@link #PYTORCH_THREADS} is already set; for MXNet
     * the local parameter server unless {@link #LOCAL_PARAMETER_SERVER} is already set.
     *
     * @param djlEngine the DJL engine name
     * @param properties the system properties (or a copy, in tests)
     */
    static void applyDefaults(String djlEngine, java.util.Properties properties) {
        properties.setProperty("ai.djl.default_engine", djlEngine);
        if (djlEngine.equals(TrialConfig.PYTORCH) && properties.getProperty(PYTORCH_THREADS) == null) {
            properties.setProperty(PYTORCH_THREADS, "1");
        }
        if (djlEngine.equals(TrialConfig.MXNET) && properties.getProperty(LOCAL_PARAMETER_SERVER) == null) {
            properties.setProperty(LOCAL_PARAMETER_SERVER, "true");
        }
    }

    /**
     * Returns the engine this process committed to.
     *
     * @return the DJL engine name, or null before the first {@link #claim}
     */
    public static synchronized String claimed() {
        return claimed;
    }
}
