package dev.assay.run;

/**
 * Which DJL engine this process trains on. DJL resolves {@code Engine.getInstance()} from the
 * system property {@code ai.djl.default_engine} at each call, and loading a second engine's native
 * library into a process that already runs one is not supported here (MXNet's MKL/Intel OpenMP and
 * PyTorch's GNU OpenMP in one address space), so a process commits to the first engine it trains
 * on: {@link #claim} sets the property and records the choice; a later trial that names another
 * engine must run in another process (the CLI starts one per engine).
 */
public final class EngineSelection {

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
            System.setProperty("ai.djl.default_engine", djlEngine);
            claimed = djlEngine;
        }
        return claimed.equals(djlEngine);
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
