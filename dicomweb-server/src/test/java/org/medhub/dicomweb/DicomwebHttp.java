package org.medhub.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.medhub.dicomweb.stow.MultipartParts;
import org.medhub.platform.testing.KeycloakTestServer;

/** Plain HTTP against a running server's {@code /dicomweb}, so tests see exactly what a client sees. */
final class DicomwebHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DICOM_RELATED = "multipart/related; type=\"application/dicom\"";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final Supplier<String> bearerToken;

    DicomwebHttp(int port, Supplier<String> bearerToken) {
        this.base = "http://localhost:" + port + "/dicomweb";
        this.bearerToken = bearerToken;
    }

    static DicomwebHttp anonymous(int port) {
        return new DicomwebHttp(port, () -> null);
    }

    static DicomwebHttp as(int port, String user) {
        return new DicomwebHttp(port, KeycloakTestServer.shared().tokens(user));
    }

    /** STOW-RS of the given PS3.10 objects, one part each. */
    HttpResponse<byte[]> stow(String path, List<byte[]> objects) {
        String boundary = "stow-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            for (byte[] object : objects) {
                body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                body.write(object);
                body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return post(path, DICOM_RELATED + "; boundary=" + boundary, body.toByteArray());
    }

    HttpResponse<byte[]> post(String path, String contentType, byte[] body) {
        HttpRequest.Builder request = request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return send(request);
    }

    HttpResponse<byte[]> delete(String path) {
        return send(request(path).DELETE());
    }

    HttpResponse<byte[]> get(String path, String accept) {
        HttpRequest.Builder request = request(path).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return send(request);
    }

    /** Any method with the given extra headers (name, value, name, value, ...), e.g. a CORS preflight. */
    HttpResponse<byte[]> send(String method, String path, String... headers) {
        HttpRequest.Builder request = request(path).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** A QIDO-RS or metadata answer as JSON; fails on anything but 200. */
    JsonNode json(String path) {
        return okJson(path, "application/dicom+json");
    }

    /** A change feed answer (plain JSON); fails on anything but 200. */
    JsonNode feed(String path) {
        return okJson(path, "application/json");
    }

    private JsonNode okJson(String path, String accept) {
        HttpResponse<byte[]> response = get(path, accept);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return parse(response);
    }

    static JsonNode parse(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<MultipartParts.Body> parts(HttpResponse<byte[]> response) {
        return MultipartParts.parse(response.headers().firstValue("Content-Type").orElseThrow(), response.body());
    }

    /** The first value of an attribute in a PS3.18 JSON dataset, as text. */
    static String value(JsonNode dataset, String tag) {
        JsonNode value = dataset.path(tag).path("Value").path(0);
        return value.isObject() ? value.path("Alphabetic").asText() : value.asText(null);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        String token = bearerToken.get();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
