package org.medhub.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.medhub.platform.testing.KeycloakTestServer;

/** Plain HTTP against a running server's {@code /fhir}, so tests see exactly what a client sees. */
final class FhirHttp {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String FHIR_JSON = "application/fhir+json";

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String origin;
    private final Supplier<String> bearerToken;

    /** A client that sends no token. */
    FhirHttp(int port) {
        this(port, () -> null);
    }

    /**
     * A client that sends a token from {@code bearerToken} with every request; a supplier, so that
     * long tests get fresh tokens rather than outliving one.
     */
    FhirHttp(int port, Supplier<String> bearerToken) {
        this.origin = "http://localhost:" + port;
        this.bearerToken = bearerToken;
    }

    /** Tokens of a dev user, each reused for two minutes (they live five). */
    static Supplier<String> tokensOf(String user) {
        return new Supplier<>() {
            private String token;
            private Instant renewAt = Instant.MIN;

            @Override
            public synchronized String get() {
                if (Instant.now().isAfter(renewAt)) {
                    token = KeycloakTestServer.shared().token(user);
                    renewAt = Instant.now().plus(Duration.ofMinutes(2));
                }
                return token;
            }
        };
    }

    /** A client for the same server that sends {@code token} instead. */
    FhirHttp as(String token) {
        return new FhirHttp(Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1)), () -> token);
    }

    String base() {
        return origin + "/fhir";
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        return send(request(path, withContentType(headers)).POST(BodyPublishers.ofString(body)));
    }

    HttpResponse<String> postFile(String path, Path body) {
        try {
            return send(request(path, "Content-Type", FHIR_JSON).POST(BodyPublishers.ofFile(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> put(String path, String body, String... headers) {
        return send(request(path, withContentType(headers)).PUT(BodyPublishers.ofString(body)));
    }

    HttpResponse<String> method(String method, String path, BodyPublisher body, String... headers) {
        return send(request(path, headers).method(method, body));
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    /**
     * Sends a request head announcing a body of {@code announcedLength} bytes but only its first
     * {@code sentBytes}, then waits up to 20 s for the status line. A server that answers cannot
     * have read the rest of the body. Returns the status code, or -1 when no answer came in time.
     */
    int statusBeforeBodyIsSent(String method, String path, long announcedLength, int sentBytes) {
        URI url = URI.create(path.startsWith("/") ? origin + path : base() + "/" + path);
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder(method + " " + url.getRawPath() + " HTTP/1.1\r\n")
                    .append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n")
                    .append("Content-Type: ").append(FHIR_JSON).append("\r\n")
                    .append("Content-Length: ").append(announcedLength).append("\r\n");
            String token = bearerToken.get();
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            head.append("\r\n");
            var out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(("{\"resourceType\":\"Patient\",\"id\":\"" + "x".repeat(sentBytes) + "\"")
                    .substring(0, sentBytes).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(
                    socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return statusLine == null ? -1 : Integer.parseInt(statusLine.split(" ")[1]);
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Total matches of a search, as the server counts them ({@code _summary=count}). */
    int count(String search) {
        String separator = search.contains("?") ? "&" : "?";
        HttpResponse<String> response = get(search + separator + "_summary=count");
        if (response.statusCode() != 200) {
            throw new AssertionError("count of " + search + " failed: " + response.statusCode() + " " + response.body());
        }
        return parse(response, Bundle.class).getTotal();
    }

    static String json(IBaseResource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    static <T extends IBaseResource> T parse(HttpResponse<String> response, Class<T> type) {
        return FHIR.newJsonParser().parseResource(type, response.body());
    }

    private static String[] withContentType(String[] headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Content-Type")) {
                return headers;
            }
        }
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = FHIR_JSON;
        return all;
    }

    private HttpRequest.Builder request(String path, String... headers) {
        String url = path.startsWith("http") ? path : path.startsWith("/") ? origin + path : base() + "/" + path;
        // FHIR token searches use '|' (system|code), which java.net.URI refuses unencoded.
        url = url.replace("|", "%7C");
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5));
        builder.header("Accept", FHIR_JSON);
        String token = bearerToken.get();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
