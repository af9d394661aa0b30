package org.medhub.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.function.Supplier;
import org.medhub.cli.exit.CliFailure;
import org.medhub.cli.exit.ExitCode;

/**
 * HTTP calls to a running MedHub with a bearer token. Every failure to connect becomes
 * {@link ExitCode#UNREACHABLE} with the address in the message.
 */
public final class MedHubApi {

    /** Long enough for a large CSV upload or a FHIR transaction bundle of thousands of resources. */
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);

    private final HttpClient http;
    private final URI server;
    private final Supplier<String> tokens;

    public MedHubApi(HttpClient http, URI server, Supplier<String> tokens) {
        this.http = http;
        this.server = server;
        this.tokens = tokens;
    }

    public URI server() {
        return server;
    }

    public ApiResponse get(String path) {
        return send(request(path).GET());
    }

    public ApiResponse post(String path, String contentType, BodyPublisher body) {
        return send(request(path).header("Content-Type", contentType).POST(body));
    }

    public ApiResponse postJson(String path, JsonNode body) {
        return post(path, "application/json", BodyPublishers.ofString(body.toString()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server + path)).timeout(CALL_TIMEOUT);
    }

    private ApiResponse send(HttpRequest.Builder request) {
        // The token first: without Keycloak nothing below can work, and its failure names Keycloak.
        request.header("Authorization", "Bearer " + tokens.get());
        try {
            var response = http.send(request.build(), BodyHandlers.ofString());
            return new ApiResponse(response.statusCode(), response.body());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliFailure(ExitCode.UNREACHABLE,
                    "MedHub is not running at " + server + "; start it first (./medhub up --detach)");
        } catch (IOException e) {
            throw new CliFailure(ExitCode.UNREACHABLE, "could not talk to MedHub at " + server + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.CANCELLED, "interrupted");
        }
    }
}
