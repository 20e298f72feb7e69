package dev.assay.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Claiming MXNet makes its CPU operations flush denormals, from any thread, while Java arithmetic
 * keeps them. Each case runs in a JVM of its own: the flush can only be set up before the process's
 * first MXNet operation, and this test JVM has run many.
 */
class MxnetDenormalsTest {

    /** {@code 1e-30f * 1e-10f} with IEEE denormals. */
    private static final String DENORMAL = "1.0E-40";

    @Test
    void claimingMxnetFlushesDenormalsOnEveryThreadsOperationsButNotInJava() throws Exception {
        List<String> out = child("claim");
        assertThat(out).containsSubsequence(
                "property=true",
                "claiming thread engine=0.0",
                "new thread engine=0.0",
                "java=" + DENORMAL);
    }

    @Test
    void theUserCanKeepIeeeDenormals() throws Exception {
        List<String> out = child("claim", "-D" + EngineSelection.FLUSH_DENORMALS + "=false");
        assertThat(out).containsSubsequence(
                "property=false",
                "claiming thread engine=" + DENORMAL,
                "new thread engine=" + DENORMAL,
                "java=" + DENORMAL);
    }

    @Test
    void anMxnetOperationBeforeTheClaimLeavesDenormalsAndTheRecordSaysSo() throws Exception {
        List<String> out = child("operation-first");
        assertThat(out).containsSubsequence(
                "property=false",
                "claiming thread engine=" + DENORMAL,
                "new thread engine=" + DENORMAL);
    }

    /** Runs {@link Child} in a JVM of its own and returns its output lines. */
    private static List<String> child(String mode, String... jvmOptions) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classpath, Child.class.getName(), mode));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text.lines().toList();
    }

    /** Claims MXNet (after one MXNet operation with {@code operation-first}) and prints what multiplies flush. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("operation-first")) {
                try (NDManager manager = NDManager.newBaseManager("MXNet")) {
                    manager.ones(new ai.djl.ndarray.types.Shape(2)).add(1).toFloatArray();
                }
            }
            EngineSelection.claim("MXNet");
            System.out.println("property=" + System.getProperty(EngineSelection.FLUSH_DENORMALS));
            System.out.println("claiming thread engine=" + product());
            String[] fromThread = new String[1];
            Thread other = new Thread(() -> fromThread[0] = product());
            other.start();
            other.join();
            System.out.println("new thread engine=" + fromThread[0]);
            float tiny = Float.parseFloat("1e-30"); // not a compile-time constant
            System.out.println("java=" + tiny * 1e-10f);
        }

        private static String product() {
            try (NDManager manager = NDManager.newBaseManager("MXNet")) {
                return Float.toString(manager.create(new float[] {1e-30f}).mul(1e-10f).toFloatArray()[0]);
            }
        }
    }
}
