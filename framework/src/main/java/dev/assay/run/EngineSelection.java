package dev.assay.run;

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
 * race rare, not impossible. A race that can also corrupt gradients without making them NaN is not
 * worth the speed.
 */
public final class EngineSelection {

    /** DJL's property for PyTorch's intra-op thread count. */
    public static final String PYTORCH_THREADS = "ai.djl.pytorch.num_threads";

    private static String claimed;

    private EngineSelection() {}

    /**
     * Commits this process to an engine, or checks that it already runs that one.
     *
     * @param djlEngine the DJL engine name, {@code MXNet} or {@code PyTorch}
     * @return true if this process runs (now) on that engine; false if it committed to another
     */
    public static synchronized boolean claim(String djlEngine) {
        if (claimed == null) {
            applyDefaults(djlEngine, System.getProperties());
            claimed = djlEngine;
        }
        return claimed.equals(djlEngine);
    }

    /**
     * Sets the engine properties a process committing to an engine needs: the default engine,
     * and for PyTorch one intra-op thread unless {@link #PYTORCH_THREADS} is already set.
     *
     * @param djlEngine the DJL engine name
     * @param properties the system properties (or a copy, in tests)
     */
    static void applyDefaults(String djlEngine, java.util.Properties properties) {
        properties.setProperty("ai.djl.default_engine", djlEngine);
        if (djlEngine.equals("PyTorch") && properties.getProperty(PYTORCH_THREADS) == null) {
            properties.setProperty(PYTORCH_THREADS, "1");
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
