package dev.assay.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.assay.web.api.JsonEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for the requests it refuses before Javalin sees them (a path with a
 * malformed percent-encoding such as {@code /api/runs/%zz}, an ambiguous or bad URI): the API's
 * JSON error, {@code {"status": 400, "error": "<sentence>"}}, where Jetty wrote an HTML page that a
 * client parsing JSON could not read, for an {@code /api/} path and for an address Jetty could not
 * parse at all (whose path it does not keep); other paths keep Jetty's page.
 */
final class ApiErrorHandler extends ErrorHandler {

    /**
     * The path Jetty gives the stand-in request of an address it could not parse at all (a
     * malformed percent-encoding in the path): the path asked for is lost, so such an answer is
     * JSON for every path.
     */
    static final String BAD_MESSAGE_PATH = "/badMessage";

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws IOException {
        String path = rawPath(request.getHttpURI());
        boolean unreadable = BAD_MESSAGE_PATH.equals(path);
        if (path == null || !path.startsWith("/api/") && !unreadable) {
            super.generateResponse(request, response, code, message, cause, callback);
            return;
        }
        byte[] json;
        try {
            json = JsonEncoding.mapper().writeValueAsBytes(
                    AssayWebServer.errorBody(code, sentence(code, message, unreadable ? null : path)));
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    /**
     * The error's sentence: Jetty's reason, and for a refused address what to do about it.
     *
     * @param code the HTTP status
     * @param message Jetty's reason, e.g. "Bad URI" (may be null)
     * @param path the path as sent, or null where Jetty could not read it
     */
    static String sentence(int code, String message, String path) {
        String reason = message == null || message.isBlank() ? "HTTP " + code : message;
        String address = path == null ? "the request's address" : "the address " + path;
        if (code == 400) {
            return "The server cannot read " + address + " (" + reason + "): a % in a path or a query"
                    + " parameter must start a %XX escape of two hex digits; write a literal % as %25.";
        }
        return "The server refused the request for " + address + " (" + reason + ").";
    }

    /** The path as the client sent it, undecoded (null if there is none). */
    private static String rawPath(HttpURI uri) {
        if (uri == null) {
            return null;
        }
        String raw = uri.getPath();
        return raw != null ? raw : uri.getCanonicalPath();
    }
}
