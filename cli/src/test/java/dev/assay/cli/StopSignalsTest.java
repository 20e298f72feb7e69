package dev.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

/** A stop signal before a sweep's first trial says so instead of ending the command without a word. */
class StopSignalsTest {

    /** Installs the handlers of the time before the first trial, then sends itself SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        StopSignals.installBeforeTrials("loading the engine");
        Signal.raise(new Signal("TERM"));
        Thread.sleep(30_000); // the handler exits first
        System.exit(99);
    }

    @Test
    void aSignalBeforeTheFirstTrialSaysNoTrialStartedAndExitsWith143() throws Exception {
        // a new-user check: SIGTERM while the sweep loaded its engine ended it with exit 143 and nothing said
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                StopSignalsTest.class.getName()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isEqualTo(143);
        assertThat(output.strip()).isEqualTo("assay: SIGTERM received\n"
                + "assay: stopped while loading the engine, before any trial started: no run was created; run the"
                + " same command again to start the sweep");
    }
}
