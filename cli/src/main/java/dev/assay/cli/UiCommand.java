package dev.assay.cli;

import dev.assay.web.AssayWebServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code assay ui}: serves the read-only web UI over a store until the process is stopped (Ctrl-C).
 * The embedded H2 store is opened with {@code AUTO_SERVER=TRUE}, so a sweep may write to it at the
 * same time from another process. A {@code --store} without a store is refused, as the other
 * reading commands refuse it (a mistyped path created an empty store and showed "No experiments yet").
 */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Serve the web UI (read-only) over a store: experiments, runs, charts, comparisons.")
public final class UiCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address to bind (default: ${DEFAULT-VALUE}, this machine only)")
    String host;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    /**
     * Starts the server and blocks until the JVM shuts down.
     *
     * @return 0 after shutdown
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalArgumentException if the port or host is invalid, or no store exists where
     *     {@code --store} points
     */
    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be from 0 to 65535 (0 picks a free one), got " + port + ".");
        }
        try {
            java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("--host " + host + ": no such host or address.");
        }
        String url = store.existingUrl();
        AssayWebServer server = AssayWebServer.start(url, store.artifactRoot(), host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "assay-ui-shutdown"));
        out.println("Assay web UI: http://" + host + ":" + server.port() + "/  (store " + url
                + "; Ctrl-C stops it)");
        out.flush();
        stopped.await();
        return 0;
    }
}
