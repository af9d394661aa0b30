package org.medhub.platform.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A MedHub server's HTTP APIs as the dev users call them, for integration tests: requests on a base
 * URL with a role's bearer token from {@link KeycloakTestServer}. Each role's token is fetched once
 * and reused while it lives (a password grant per request would trip the realm's brute-force
 * check), and JSON bodies go in and come out as Jackson trees.
 */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** The states of an ML job (training run, cohort pull) that is not finished yet. */
    private static final Set<String> UNFINISHED = Set.of("QUEUED", "RUNNING");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final Map<String, Supplier<String>> tokens = new ConcurrentHashMap<>();

    public ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The server on {@code port} of this machine (a {@code @LocalServerPort}). */
    public static ApiClient onPort(int port) {
        return new ApiClient("http://localhost:" + port);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    /** The role's tokens, renewed before they expire; for clients that set the header themselves (HAPI's). */
    public Supplier<String> tokens(String role) {
        return tokens.computeIfAbsent(role, KeycloakTestServer.shared()::tokens);
    }

    public HttpResponse<String> get(String role, String path) throws IOException, InterruptedException {
        return send(role, HttpRequest.newBuilder(uri(path)).GET());
    }

    /** POSTs {@code body} (a record, map or tree) written as JSON, {@code application/json}. */
    public HttpResponse<String> postJson(String role, String path, Object body) throws IOException, InterruptedException {
        return send(role, HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** {@code request} with the role's bearer token; the body as a string. */
    public HttpResponse<String> send(String role, HttpRequest.Builder request) throws IOException, InterruptedException {
        return send(role, request, HttpResponse.BodyHandlers.ofString());
    }

    public <T> HttpResponse<T> send(String role, HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return http.send(request.header("Authorization", "Bearer " + tokens(role).get()).build(), body);
    }

    /** {@code request} as it is, without a token (public documents, refusals, callers with tokens of their own). */
    public HttpResponse<String> sendAnonymously(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /**
     * Polls the status resource of an ML job ({@code /ml/api/training-runs/{id}},
     * {@code /ml/api/datasets/fhir/{id}}) as {@code role} until its status is neither QUEUED nor
     * RUNNING, and returns that last status document; fails after {@code atMost}.
     */
    public JsonNode awaitFinished(String role, String statusPath, Duration atMost) {
        return await(statusPath + " finishes").atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> json(get(role, statusPath)), status -> !UNFINISHED.contains(status.path("status").asText()));
    }
}
