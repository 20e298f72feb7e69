package dev.assay.run;

/**
 * Gives MXNet one temporary workspace on the CPU instead of four ({@code MXNET_CPU_TEMP_COPY=1},
 * put into the process's C environment before the engine loads; {@link CEnvironment}) unless the
 * user set the variable.
 *
 * <p>Why: operators that need scratch memory (oneDNN's convolutions and batch norm, the RNN
 * operator) borrow it from the resource manager's temporary spaces, {@code MXNET_CPU_TEMP_COPY}
 * of them (default 4; MXNet's {@code docs/faq/env_var.md}), handed out in turn. Each grows to the
 * largest request it has served (about 50 MiB for the benchmark CNN: heaptrack showed two 51-MiB
 * {@code Resource::get_host_space_internal} buffers) and its pages become resident as requests
 * first reach them, so over a trial's first epochs up to four such buffers fill in one after
 * another: in {@code /proc/self/smaps} of the README's (d) trial (10-epoch CNN, 2 vCPUs) a 49-MiB
 * mapping went from 1 to 13 to 24 MiB resident over epochs 2-4 and another was freed and replaced,
 * and the resident set outside the Java heap grew 3-18% after epoch 2 in six runs. With one copy:
 * -4.4% to 3.8% in eight runs (2 Dec 2026, AMD EPYC, 2 vCPUs; {@code bench/results/HISTORY.md}).
 * MXNet's CPU engine runs one operator at a time by default ({@code MXNET_CPU_WORKER_NTHREADS=1}),
 * so further copies buy no parallelism there: {@code assay bench --only c} gave the same MLP, CNN
 * and LSTM samples/s with one copy as with four (six runs each, alternated, within their noise).
 *
 * <p>The variable is read when the resource manager is created, at the engine's first operator that
 * needs one, so {@link #apply()} must run before MXNet loads; {@link EngineSelection#claim} calls it
 * then.
 */
public final class MxnetTempSpace {

    /** MXNet's environment variable for the number of CPU temporary spaces. */
    public static final String VARIABLE = "MXNET_CPU_TEMP_COPY";

    /** The value set where the user set none. */
    public static final String COPIES = "1";

    /**
     * Assay's system property that holds, once {@link #apply()} has run, the value of {@link
     * #VARIABLE} in the process's C environment, or {@code unset} where it could not be set
     * (recorded in each run's engine settings).
     */
    public static final String PROPERTY = "assay.mxnet.cpu_temp_copy";

    private MxnetTempSpace() {}

    /**
     * Sets {@link #VARIABLE} to {@value #COPIES} unless it holds a value, and records the value in
     * force as {@link #PROPERTY}. Safe to call more than once; where libc cannot be loaded (not
     * Linux or macOS) nothing is set and {@link #PROPERTY} reads {@code unset}.
     *
     * @return the value of {@link #VARIABLE} in force, or {@code null} where none is
     */
    public static synchronized String apply() {
        String inForce = CEnvironment.setUnlessGiven(VARIABLE, COPIES);
        System.setProperty(PROPERTY, inForce == null ? "unset" : inForce);
        return inForce;
    }
}
