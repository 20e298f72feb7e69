package dev.assay.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A tiny HTTP client for tests against a server on localhost. */
final class Http {

    /** A response: status, raw body and parsed JSON (null if the body is not JSON). */
    record Response(int status, String body, JsonNode json, String contentType) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    Http(int port) {
        this.port = port;
    }

    Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
    }

    Response post(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /**
     * Sends {@code GET pathAndQuery} as written, over a plain socket: {@link java.net.URI} refuses
     * an address with a malformed percent-encoding, which is what some tests send.
     */
    Response raw(String pathAndQuery) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = text.substring(0, split);
            String body = text.substring(split + 4);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                StringBuilder joined = new StringBuilder();
                for (int i = 0; ; ) {
                    int eol = body.indexOf("\r\n", i);
                    int size = Integer.parseInt(body.substring(i, eol).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    joined.append(body, eol + 2, eol + 2 + size);
                    i = eol + 2 + size + 2;
                }
                body = joined.toString();
            }
            int status = Integer.parseInt(head.split(" ")[1]);
            String contentType = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("");
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                json = null;
            }
            return new Response(status, body, json, contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                json = null;
            }
            return new Response(r.statusCode(), r.body(), json, r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
