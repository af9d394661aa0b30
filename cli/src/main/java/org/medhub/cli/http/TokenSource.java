package org.medhub.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.medhub.cli.exit.CliFailure;
import org.medhub.cli.exit.ExitCode;

/**
 * The bearer token of every call: {@code MEDHUB_TOKEN} as given, or else a dev user's token from
 * Keycloak through the {@code medhub-cli} client's password grant (dev realm only: the password
 * is the user name). Keycloak's tokens live 5 minutes and a training run can last longer, so a dev
 * user's token is fetched again a minute before it expires.
 */
public final class TokenSource implements Supplier<String> {

    /** The public client of the dev realm that allows direct grants (ARCHITECTURE.md, security model). */
    static final String CLIENT = "medhub-cli";
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI issuer;
    private final String user;
    private final Clock clock;
    private String token;
    /** When the dev user's token expires; null for a given token, which is never renewed. */
    private Instant expires;

    private TokenSource(HttpClient http, URI issuer, String user, String token, Clock clock) {
        this.http = http;
        this.issuer = issuer;
        this.user = user;
        this.token = token;
        this.clock = clock;
    }

    /** A token the caller got elsewhere (MEDHUB_TOKEN); used as it is, never renewed. */
    public static TokenSource fixed(String token) {
        return new TokenSource(null, null, null, token, Clock.systemUTC());
    }

    /** The dev user's tokens from the realm at {@code issuer} (e.g. http://localhost:8081/realms/medhub). */
    public static TokenSource devUser(HttpClient http, URI issuer, String user) {
        return new TokenSource(http, issuer, user, null, Clock.systemUTC());
    }

    @Override
    public synchronized String get() {
        if (user != null && (token == null || clock.instant().isAfter(expires.minus(RENEW_BEFORE)))) {
            fetch();
        }
        return token;
    }

    private void fetch() {
        String form = Map.of("grant_type", "password", "client_id", CLIENT, "username", user, "password", user)
                .entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        Instant asked = clock.instant();
        String body;
        int status;
        try {
            var response = http.send(request, BodyHandlers.ofString());
            body = response.body();
            status = response.statusCode();
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliFailure(ExitCode.UNREACHABLE,
                    "Keycloak is not running at " + issuer + "; start MedHub with ./medhub up --detach");
        } catch (IOException e) {
            throw new CliFailure(ExitCode.UNREACHABLE, "could not reach Keycloak at " + issuer + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.CANCELLED, "interrupted while asking Keycloak for a token");
        }
        JsonNode json = status == 200 ? parse(body) : null;
        if (json == null || !json.hasNonNull("access_token")) {
            throw new CliFailure(ExitCode.NOT_ALLOWED, "Keycloak at " + issuer + " gave no token for '" + user + "': "
                    + ApiResponse.abbreviate(body, 300)
                    + " (set MEDHUB_TOKEN, or MEDHUB_USER for another dev user)");
        }
        token = json.get("access_token").asText();
        expires = asked.plusSeconds(json.path("expires_in").asLong(60));
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
