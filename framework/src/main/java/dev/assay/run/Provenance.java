package dev.assay.run;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Where and with what a run was made, recorded as JSON with every run.
 *
 * @param assayVersion the Assay version
 * @param gitCommit the commit of the working directory's git repository, or null outside one
 * @param gitDirty whether tracked files had uncommitted changes (null outside a repository)
 * @param engine the DJL engine name, e.g. {@code MXNet}
 * @param engineVersion the engine's version, e.g. {@code 1.9.1}
 * @param djlVersion the DJL API version
 * @param jvm the JVM name and version
 * @param os the OS name and version
 * @param arch the CPU architecture
 * @param cpuCount processors available to the JVM
 * @param maxHeapBytes the JVM's maximum heap, in bytes
 * @param hostname the machine's host name, or null if unknown
 * @param cpuModel the first {@code model name} of {@code /proc/cpuinfo}, or null where unreadable
 * @param cpuId the processor's vendor, family and model ({@link CpuInfo#id()}: {@code AuthenticAMD
 *     family 25 model 1}), or null where unknown; one model name can cover processors that compute
 *     differently (see {@link CpuInfo})
 * @param cpuVectorIsa the widest vector instruction set the processor has ({@link
 *     CpuInfo#vectorIsa()}: {@code AVX-512}, {@code AVX2}, ...), which decides MKL's and oneDNN's
 *     kernels and so the last digits of a run's results; null where unknown
 * @param engineSettings the thread counts and engine switches this process ran with, where set:
 *     the {@code OMP_NUM_THREADS} and {@code MKL_NUM_THREADS} environment variables and the
 *     {@code ai.djl.pytorch.num_threads}, {@code ai.djl.use_local_parameter_server} and {@code
 *     assay.mxnet.flush_denormals}, {@code assay.malloc_trim}, {@code
 *     assay.pytorch.onednn_max_cpu_isa} and {@code assay.mxnet.cpu_temp_copy} system properties (numerics and speed depend on them)
 * @param assayBuild the first 16 hex digits of a SHA-256 over the Assay jars this process loaded
 *     ({@code assay-*.jar} beside the framework's), naming the exact build where no git commit
 *     does (a run started outside the repository); null when running from class directories
 */
public record Provenance(
        String assayVersion,
        String gitCommit,
        Boolean gitDirty,
        String engine,
        String engineVersion,
        String djlVersion,
        String jvm,
        String os,
        String arch,
        int cpuCount,
        long maxHeapBytes,
        String hostname,
        String cpuModel,
        String cpuId,
        String cpuVectorIsa,
        java.util.Map<String, String> engineSettings,
        String assayBuild) {

    /** The environment variables and system properties recorded in {@link #engineSettings()}. */
    static final java.util.List<String> SETTINGS = java.util.List.of("OMP_NUM_THREADS", "MKL_NUM_THREADS",
            EngineSelection.PYTORCH_THREADS, EngineSelection.LOCAL_PARAMETER_SERVER, EngineSelection.FLUSH_DENORMALS,
            dev.assay.train.MallocTrim.PROPERTY, PyTorchOneDnn.PROPERTY, MxnetTempSpace.PROPERTY, PeriodicGc.PROPERTY);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Captures the provenance of this process, loading the default DJL engine.
     *
     * @param workDir the directory whose git repository is described
     * @return the provenance
     */
    public static Provenance capture(Path workDir) {
        Engine engine = Engine.getInstance();
        String commit = git(workDir, "rev-parse", "HEAD");
        String status = commit == null ? null
                : git(workDir, "status", "--porcelain", "--untracked-files=no");
        CpuInfo cpu = CpuInfo.read();
        return new Provenance(
                version(),
                commit,
                status == null ? null : !status.isBlank(),
                engine.getEngineName(),
                engine.getVersion(),
                Engine.getDjlVersion(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory(),
                localHostName(),
                cpu.modelName(),
                cpu.id(),
                cpu.vectorIsa(),
                currentEngineSettings(),
                currentAssayBuild());
    }

    private static java.util.Map<String, String> currentEngineSettings() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (String name : SETTINGS) {
            String value = name.contains(".") ? System.getProperty(name) : System.getenv(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    /** SHA-256 (16 hex digits) over the {@code assay-*.jar} files beside the framework's jar, in name order. */
    private static String currentAssayBuild() {
        try {
            Path framework = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!framework.toString().endsWith(".jar")) {
                return null;
            }
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            try (java.util.stream.Stream<Path> jars = java.nio.file.Files.list(framework.getParent())) {
                for (Path jar : jars.filter(j -> j.getFileName().toString().matches("assay-.*\\.jar")).sorted().toList()) {
                    sha.update(java.nio.file.Files.readAllBytes(jar));
                }
            }
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException | java.net.URISyntaxException | java.security.NoSuchAlgorithmException
                | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Returns this provenance as a JSON object.
     *
     * @return the JSON text
     * @throws IllegalStateException if Jackson cannot write it (its fields are strings, numbers and
     *     booleans, so this means a bug)
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the run's provenance as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String version() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs git with a 5 s limit; null if git is missing, fails or times out. */
    private static String git(Path dir, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir.toAbsolutePath().toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getErrorStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
