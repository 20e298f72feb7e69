package dev.assay.bench;

import dev.assay.run.EngineSelection;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.plugin.PluginRegistry;
import dev.assay.sweep.TrialSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * (c) Training throughput and its ceiling, per engine, each engine in its own child JVM (a JVM
 * loads one default engine): samples per second of the MLP, CNN and LSTM of {@link BenchTrials}
 * trained by a bare DJL loop ({@link BareTraining#trainSteps}: batch 128, Adam, batches read from
 * the dataset as in training) after warm-up steps, timed over {@link BenchSize#timedSeconds()}
 * (at least {@link BenchSize#minSteps()}, at most {@link BenchSize#maxSteps()} steps); the
 * engine's own GEMM rate ({@code matMul} of two n×n float32 matrices, 2·n³ FLOPs each: n³
 * multiply-adds, the count LAPACK's and BLAS's benchmarks use, e.g. Goto & van de Geijn 2008,
 * "Anatomy of High-Performance Matrix Multiplication"; timed until one element of the product can
 * be read back); and each model's achieved rate =
 * samples/s × training FLOPs per sample ({@link FlopCounter#trainingPerSample}: 3 × forward, less
 * the first layer's product with the data, whose gradient is not computed), as a fraction of the
 * GEMM rate.
 */
public final class ThroughputBench {

    /** The engines compared, each in its own JVM. */
    public static final List<String> ENGINES = List.of("MXNet", "PyTorch");

    private final BenchSize size;
    private final Path workDir;
    private final List<String> engines;
    private final Map<String, String> engineVersions = new LinkedHashMap<>();

    /**
     * Creates the benchmark.
     *
     * @param size steps, GEMM size and data limits
     * @param workDir where the children's logs go
     * @param engines engine names, e.g. {@link #ENGINES}
     */
    public ThroughputBench(BenchSize size, Path workDir, List<String> engines) {
        this.size = size;
        this.workDir = workDir;
        this.engines = List.copyOf(engines);
    }

    /**
     * Runs one child JVM per engine.
     *
     * @return per engine: the GEMM rate, then per model samples/s and achieved GFLOP/s against
     *     the GEMM rate
     * @throws Exception if a child fails (the message quotes its log)
     */
    public List<BenchRow> run() throws Exception {
        List<BenchRow> rows = new ArrayList<>();
        for (String engine : engines) {
            JsonNode result;
            List<String> options = new ArrayList<>(List.of("-Xmx2g",
                    "-Dai.djl.default_engine=" + engine));
            if (engine.equals("PyTorch")) {
                // as Assay's trials run it (EngineSelection): one intra-op thread unless set
                options.add("-D" + EngineSelection.PYTORCH_THREADS + "="
                        + System.getProperty(EngineSelection.PYTORCH_THREADS, "1"));
            }
            try (ChildJvm child = ChildJvm.start(options,
                    workDir.resolve("throughput-" + engine + ".log"),
                    List.of(BenchChild.THROUGHPUT, size.name(),
                            workDir.resolve("throughput-" + engine).toString()))) {
                result = child.nextResult();
                child.awaitSuccess(120);
            }
            engineVersions.put(result.get("engine").asText(), result.get("version").asText());
            rows.addAll(rows(result));
        }
        return rows;
    }

    /**
     * The engines the children loaded.
     *
     * @return engine name to version
     */
    public Map<String, String> engineVersions() {
        return Map.copyOf(engineVersions);
    }

    private List<BenchRow> rows(JsonNode r) {
        String engine = r.get("engine").asText() + " " + r.get("version").asText();
        JsonNode gemm = r.get("gemm");
        double ceiling = gemm.get("gflops").asDouble();
        int n = gemm.get("n").asInt();
        List<BenchRow> rows = new ArrayList<>();
        rows.add(BenchRow.of("c", engine + ": GEMM " + n + "×" + n + " float32 (matMul)", ceiling, "GFLOP/s",
                String.format(Locale.ROOT, "%d products of 2·n³ = %.2f GFLOP each, median of per-product times",
                        gemm.get("repeats").asInt(), 2.0 * n * n * n / 1e9)));
        for (JsonNode m : r.get("models")) {
            String model = m.get("model").asText().toUpperCase(Locale.ROOT);
            double samples = m.get("samplesPerSecond").asDouble();
            double forward = m.get("forwardFlopsPerSample").asDouble();
            double training = m.get("trainingFlopsPerSample").asDouble();
            double achieved = samples * training / 1e9;
            rows.add(BenchRow.of("c", engine + ": " + model + " training throughput", samples, "samples/s",
                    String.format(Locale.ROOT, "%d timed steps of batch 128 after %d warm-up, %.2f s",
                            m.get("steps").asInt(), size.warmupSteps(), m.get("seconds").asDouble())));
            rows.add(BenchRow.of("c", engine + ": " + model + " achieved FLOP rate", achieved, "GFLOP/s",
                    String.format(Locale.ROOT, "%.2f MFLOP a training sample (%.2f × the forward pass's %.2f MFLOP:"
                            + " 3×, less the first layer's product with the data) × %.0f samples/s",
                            training / 1e6, training / forward, forward / 1e6, samples)).against("GEMM", ceiling));
        }
        return rows;
    }

    /**
     * The child's side: measures GEMM and the three models on the JVM's default engine.
     *
     * @param size the benchmark size
     * @param scratch a scratch directory
     * @return the result document: engine, version, gemm {n, repeats, gflops}, models [{model,
     *     steps, seconds, samplesPerSecond, forwardFlopsPerSample, trainingFlopsPerSample}]
     * @throws Exception if training fails
     */
    static Map<String, Object> measure(BenchSize size, Path scratch) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        Engine engine = Engine.getInstance();
        out.put("engine", engine.getEngineName());
        out.put("version", engine.getVersion());
        out.put("gemm", gemm(size.gemmSize(), size.gemmRepeats()));
        PluginRegistry registry = PluginRegistry.load(List.of());
        List<Map<String, Object>> models = new ArrayList<>();
        for (String model : BenchTrials.MODELS) {
            models.add(model(registry, model, size, scratch));
        }
        out.put("models", models);
        return out;
    }

    private static Map<String, Object> model(PluginRegistry registry, String model, BenchSize size, Path scratch)
            throws Exception {
        TrialSpec trial = BenchTrials.trial(BenchTrials.experiment(model, 1, size), registry);
        try (NDManager manager = NDManager.newBaseManager();
                BareTraining training = BareTraining.create(trial, registry, manager, scratch, BareTraining.Evaluation.NONE,
                        null)) {
            Block block = training.block();
            Shape input = training.inputShape();
            training.trainSteps(size.warmupSteps());
            long start = System.nanoTime();
            long samples = 0;
            int steps = 0;
            double seconds = 0;
            while (steps < size.minSteps() || (seconds < size.timedSeconds() && steps < size.maxSteps())) {
                int group = Math.min(5, Math.max(1, size.maxSteps() - steps));
                samples += training.trainSteps(group);
                steps += group;
                seconds = (System.nanoTime() - start) / 1e9;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("steps", steps);
            m.put("seconds", seconds);
            m.put("samplesPerSecond", samples / seconds);
            m.put("forwardFlopsPerSample", FlopCounter.forwardPerSample(block, input.get(0)));
            m.put("trainingFlopsPerSample", FlopCounter.trainingPerSample(block, input.get(0)));
            return m;
        }
    }

    /**
     * Waits until an asynchronous engine has computed {@code c}, by reading one element back (a
     * slice that depends on the whole product) rather than the whole n×n result, whose copy
     * (4 MiB at n = 1024) would be timed with the product.
     */
    private static void awaitProduct(NDArray c) {
        try (NDArray corner = c.get(0, 0)) {
            corner.getFloat();
        }
    }

    private static Map<String, Object> gemm(int n, int repeats) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(n, n));
            NDArray b = m.randomUniform(-1f, 1f, new Shape(n, n));
            for (int i = 0; i < 2; i++) {
                try (NDArray c = a.matMul(b)) {
                    awaitProduct(c);
                }
            }
            double[] seconds = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    awaitProduct(c);
                }
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
            double median = TrackingOverheadBench.median(seconds);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("n", n);
            out.put("repeats", repeats);
            out.put("medianSeconds", median);
            out.put("gflops", 2.0 * n * n * n / median / 1e9);
            return out;
        }
    }
}
