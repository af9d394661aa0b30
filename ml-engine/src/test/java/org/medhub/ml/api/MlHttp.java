package org.medhub.ml.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.medhub.platform.database.SchemaDataSources;
import org.medhub.platform.testing.ApiClient;

/**
 * The ML API through HTTP with the dev users' real tokens, for the ML engine's integration tests:
 * platform's {@link ApiClient} plus what only these tests ask of the ML engine's database.
 */
final class MlHttp {

    static final ObjectMapper JSON = ApiClient.JSON;

    private final ApiClient api;

    MlHttp(int port) {
        this.api = ApiClient.onPort(port);
    }

    URI uri(String path) {
        return api.uri(path);
    }

    HttpResponse<String> get(String user, String path) throws Exception {
        return api.get(user, path);
    }

    HttpResponse<String> post(String user, String path, Object body) throws Exception {
        return api.postJson(user, path, body);
    }

    HttpResponse<String> send(String user, HttpRequest.Builder request) throws Exception {
        return api.send(user, request);
    }

    HttpResponse<String> sendAnonymously(HttpRequest request) throws Exception {
        return api.sendAnonymously(request);
    }

    static JsonNode json(HttpResponse<String> response) {
        return ApiClient.json(response);
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

    JsonNode await(String runId) {
        return api.awaitFinished("researcher", "/ml/api/training-runs/" + runId, Duration.ofMinutes(3));
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
