package dev.assay.web;

import dev.assay.track.TrackingException;
import dev.assay.track.TrackingStore;
import dev.assay.web.api.ApiException;
import dev.assay.web.api.ApiRoutes;
import dev.assay.web.api.ArtifactFiles;
import dev.assay.web.api.JsonEncoding;
import dev.assay.web.query.FilterException;
import dev.assay.web.query.ReadConnections;
import dev.assay.web.query.SeriesReader;
import dev.assay.web.query.StoreQueries;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI server: the JSON API under {@code /api/} and the pages under {@code /} over one
 * tracking store, which it only reads (opening the store applies pending schema migrations, as
 * every Assay command does). Every response carries a Content-Security-Policy that allows scripts,
 * styles and images from the server itself only.
 *
 * <p>{@code AutoCloseable}; closing twice is safe.
 */
public final class AssayWebServer implements AutoCloseable {

    /** The default port, 8080. */
    public static final int DEFAULT_PORT = 8080;
    /** The default bind address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(AssayWebServer.class);
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final int CONNECTIONS = 4;

    private final TrackingStore store;
    private final ReadConnections connections;
    private final Javalin app;
    private boolean closed;

    private AssayWebServer(TrackingStore store, ReadConnections connections, Javalin app) {
        this.store = store;
        this.connections = connections;
        this.app = app;
    }

    /**
     * Opens the store and starts serving.
     *
     * @param jdbcUrl the store's JDBC URL; use {@code AUTO_SERVER=TRUE} for H2 files that a sweep
     *     writes to at the same time (see {@link TrackingStore#defaultUrl})
     * @param host the address to bind, e.g. {@value #DEFAULT_HOST}
     * @param port the TCP port, or 0 for any free port (see {@link #port()})
     * @return the running server; run artifacts are read from {@link ArtifactFiles#defaultRoot}
     * @throws TrackingException if the store cannot be opened
     * @throws IllegalArgumentException if the address and port cannot be bound (in use, not this
     *     machine's address, not permitted: {@link #bindFailure}); the store is closed then
     */
    public static AssayWebServer start(String jdbcUrl, String host, int port) {
        return start(jdbcUrl, ArtifactFiles.defaultRoot(jdbcUrl), host, port);
    }

    /**
     * Opens the store and starts serving, with run artifacts read from {@code artifactRoot/<runId>/}.
     *
     * @param jdbcUrl the store's JDBC URL (see {@link #start(String, String, int)})
     * @param artifactRoot the artifact root, as the sweep that wrote the runs used it
     * @param host the address to bind
     * @param port the TCP port, or 0 for any free port
     * @return the running server
     * @throws TrackingException if the store cannot be opened
     * @throws IllegalArgumentException if the address and port cannot be bound (in use, not this
     *     machine's address, not permitted: {@link #bindFailure}); the store is closed then
     */
    public static AssayWebServer start(String jdbcUrl, Path artifactRoot, String host, int port) {
        TrackingStore store = TrackingStore.open(jdbcUrl);
        ReadConnections connections = new ReadConnections(jdbcUrl, CONNECTIONS);
        try {
            StoreQueries queries = new StoreQueries(connections);
            ApiRoutes api = new ApiRoutes(store, queries, new SeriesReader(store, queries),
                    new ArtifactFiles(artifactRoot));
            Javalin app;
            try {
                app = Javalin.create(config -> configure(config, api, host)).start(host, port);
            } catch (io.javalin.util.JavalinBindException e) {
                throw new IllegalArgumentException(bindFailure(host, port, e), e);
            }
            LOG.info("Assay web UI on http://{}:{}/ reading {}, artifacts in {}", host, app.port(), jdbcUrl,
                    artifactRoot.toAbsolutePath().normalize());
            return new AssayWebServer(store, connections, app);
        } catch (RuntimeException e) {
            connections.close();
            store.close();
            throw e;
        }
    }

    /**
     * Returns the port the server listens on.
     *
     * @return the bound port (the chosen one when started with port 0)
     */
    public int port() {
        return app.port();
    }

    /** Stops the server and closes the store. Calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        app.stop();
        connections.close();
        store.close();
    }

    private static void configure(JavalinConfig config, ApiRoutes api, String host) {
        config.startup.showJavalinBanner = false;
        // an address naming 250 full run ids (compare.html?runs=..., /api/series?run=...) is 8.2 KB, over Jetty's
        // 8 KiB default: "414 URI Too Long" as an HTML page, while the API takes 500 (run, metric) pairs
        config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES));
        config.jsonMapper(new JavalinJackson(JsonEncoding.mapper(), false));
        config.staticFiles.add("/public", Location.CLASSPATH);
        config.staticFiles.enableWebjars();
        config.jetty.modifyServer(server -> server.setErrorHandler(new ApiErrorHandler()));
        config.routes.before(AssayWebServer::securityHeaders);
        config.routes.before("/api/*", AssayWebServer::requireWellFormedQuery);
        if (isLoopback(host)) {
            config.routes.before("/api/*", AssayWebServer::requireLocalHostHeader);
        }
        api.register(config.routes);
        config.routes.exception(FilterException.class, (e, ctx) -> error(ctx, 400, e.getMessage(),
                Map.of("token", e.token(), "position", e.position())));
        config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), Map.of()));
        config.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage(), Map.of()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("Request {} failed", ctx.path(), e);
            error(ctx, 500, "The server failed: " + e.getMessage(), Map.of());
        });
        // an /api path no endpoint serves answers JSON like every other API error (Javalin's own
        // answer is a line of text); a 404 an endpoint already answered keeps its own message
        config.routes.error(404, "*", ctx -> {
            if (ctx.path().startsWith("/api/") && ctx.attribute(ANSWERED) == null) {
                error(ctx, 404, "No API endpoint answers " + ctx.method() + " " + ctx.path()
                        + "; the endpoints are listed in the README's \"JSON API\".", Map.of());
            } else if (!ctx.path().startsWith("/api/")) {
                // a page that does not exist: a page with the way home, not Javalin's line of plain text
                ctx.html("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found · Assay"
                        + "</title><link rel=\"stylesheet\" href=\"/app.css\"></head><body><main><h1>Not found</h1>"
                        + "<p>No page is at <code>" + escapeHtml(ctx.path()) + "</code>.</p><p><a href=\"/\">All"
                        + " experiments</a></p></main></body></html>");
            }
        });
    }

    /** The text with {@code & < > " '} written as HTML entities, for a path shown in a page. */
    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Request attribute set once an error body is written, so the 404 mapper leaves it alone. */
    private static final String ANSWERED = "assay.error-answered";

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    /**
     * The longest request line and headers accepted, in bytes: 64 KiB, room for 500 full run ids
     * (33 bytes each with the comma) and a filter in one address.
     */
    static final int MAX_REQUEST_HEADER_BYTES = 64 * 1024;

    /** The loopback names a browser on this machine sends as {@code Host}. */
    private static final java.util.Set<String> LOCAL_NAMES = java.util.Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /** Whether the server listens on a loopback address only (the default), not on a network's. */
    static boolean isLoopback(String host) {
        return LOCAL_NAMES.contains(host) || host.startsWith("127.");
    }

    /**
     * Refuses an API request whose {@code Host} header names another host than this machine's
     * loopback names, when the server listens on loopback only: a web page whose domain is made to
     * resolve to 127.0.0.1 (DNS rebinding) could otherwise read every run through the user's
     * browser (found by a security check). A server started with {@code --host} on a network
     * address is reached by names this one cannot know, and is left alone.
     *
     * @throws ApiException 403, saying which host was asked for
     */
    static void requireLocalHostHeader(Context ctx) {
        String header = ctx.header("Host");
        String name = header == null ? "" : header.startsWith("[") ? header.substring(0, header.indexOf(']') + 1)
                : header.contains(":") ? header.substring(0, header.lastIndexOf(':')) : header;
        if (!isLoopback(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new ApiException(403, "This server listens on this machine's loopback address and answers only"
                    + " requests for localhost or 127.0.0.1, not for '" + header + "'");
        }
    }

    /**
     * The API's error answer, {@code {"status": N, "error": "<sentence>"}}, in that order; callers
     * may add fields (a filter error's token and position).
     *
     * @param status the HTTP status
     * @param message the sentence
     * @return a new, mutable map
     */
    static Map<String, Object> errorBody(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        return body;
    }

    /**
     * Refuses an API request whose query string holds a malformed percent-encoding ({@code
     * filter=a%zz}, a lone {@code %}): the servlet layer dropped such a parameter silently, so a
     * filter was ignored (every run shown as if filtered) and {@code experiment=x%zz} read as
     * missing.
     *
     * @throws ApiException 400, naming the parameter and the text that is not URL encoding
     */
    static void requireWellFormedQuery(Context ctx) {
        String query = ctx.queryString();
        if (query == null) {
            return;
        }
        for (String part : query.split("&")) {
            try {
                URLDecoder.decode(part, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                int eq = part.indexOf('=');
                String name = eq < 0 ? part : part.substring(0, eq);
                throw new ApiException(400, "The query parameter '" + name + "' is not valid URL encoding ('"
                        + part + "'): a % must start a %XX escape of two hex digits; write a literal % as %25.");
            }
        }
    }

    private static void error(Context ctx, int status, String message, Map<String, Object> extra) {
        Map<String, Object> body = errorBody(status, message);
        body.putAll(extra);
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status).json(body);
    }

    /**
     * Says why the server could not listen, from the socket's own error: a port in use, an address
     * that is not this machine's, or a port the user may not open. Every failure read "the port is
     * in use" before, also for a {@code --host} the machine does not have.
     *
     * @param host the address asked for
     * @param port the port asked for
     * @param e the failure
     * @return the message, ending with what to do
     */
    static String bindFailure(String host, int port, Throwable e) {
        String cause = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException && t.getMessage() != null) {
                cause = t.getMessage();
            }
        }
        String where = "Cannot listen on " + host + ":" + port + ": ";
        if (cause.contains("in use")) {
            return where + "the port is in use (another assay ui, or another server); choose another with --port, or"
                    + " --port 0 for any free one.";
        }
        if (cause.contains("assign requested address")) {
            return where + "this machine has no address " + host + "; give one of its own with --host (127.0.0.1,"
                    + " or 0.0.0.0 for all).";
        }
        if (cause.contains("Permission denied") || cause.contains("ermission")) {
            return where + "permission denied (ports below 1024 need privileges); choose a port from 1024 up with"
                    + " --port.";
        }
        return where + (cause.isEmpty() ? String.valueOf(e.getMessage()) : cause) + ".";
    }
}
