package org.medhub.ml.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.medhub.platform.database.SchemaDataSources;
import org.medhub.platform.testing.KeycloakTestServer;

/** The ML API through HTTP with the dev users' real tokens, for the ML engine's integration tests. */
final class MlHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final KeycloakTestServer KEYCLOAK = KeycloakTestServer.shared();

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    MlHttp(int port) {
        this.port = port;
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<String> get(String user, String path) throws Exception {
        return send(user, HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> post(String user, String path, Object body) throws Exception {
        return send(user, HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    HttpResponse<String> send(String user, HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", "Bearer " + KEYCLOAK.token(user)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> sendAnonymously(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Starts a training run of JSON {@code body} as {@code user} and waits for it to end. */
    JsonNode trainToEnd(String user, String body) throws Exception {
        HttpResponse<String> started = send(user, HttpRequest.newBuilder(uri("/ml/api/training-runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (started.statusCode() != 202) {
            throw new AssertionError("training run refused: " + started.statusCode() + " " + started.body());
        }
        return await(json(started).get("id").asText());
    }

    JsonNode await(String runId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            JsonNode status = json(get("researcher", "/ml/api/training-runs/" + runId));
            if (!List.of("QUEUED", "RUNNING").contains(status.get("status").asText())) {
                return status;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("training run " + runId + " did not finish");
    }

    /** Audit records in the platform's outbox whose JSON contains every fragment (no FHIR publisher runs here). */
    static int audited(SchemaDataSources dataSources, String... fragments) throws Exception {
        String where = String.join(" AND ", java.util.Collections.nCopies(fragments.length, "event_json::text LIKE ?"));
        try (var audit = dataSources.forSchema("audit");
                var connection = audit.getConnection();
                var query = connection.prepareStatement("SELECT count(*) FROM audit_outbox WHERE " + where)) {
            for (int i = 0; i < fragments.length; i++) {
                query.setString(i + 1, "%" + fragments[i] + "%");
            }
            try (var rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Rows in a table of the {@code ml} schema, to show that a refusal stored nothing. */
    static int rows(SchemaDataSources dataSources, String table) throws Exception {
        try (var ml = dataSources.forSchema("ml");
                var connection = ml.getConnection();
                var query = connection.prepareStatement("SELECT count(*) FROM " + table);
                var rs = query.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
