package org.medhub.platform.realm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The two realm exports in {@code config/keycloak/}: the dev realm {@code ./medhub up} and the tests
 * import, and the production realm, which must hold no people, no password grant and no secret.
 */
class RealmFilesTest {

    private static final JsonNode DEV = realm("medhub-realm.json");
    private static final JsonNode PRODUCTION = realm("medhub-realm-production.json");
    private static final String PUBLIC_BASE_URL = "${MEDHUB_PUBLIC_BASE_URL}";

    @Test
    void productionHasNoUsersButTheServiceAccountsOfItsClientsAndNoCredentials() {
        List<String> accounts = new ArrayList<>();
        for (JsonNode user : PRODUCTION.path("users")) {
            assertThat(user.path("serviceAccountClientId").asText()).as(user.path("username").asText()).isNotEmpty();
            assertThat(user.has("credentials")).isFalse();
            accounts.add(user.path("serviceAccountClientId").asText());
        }
        assertThat(accounts).containsExactlyInAnyOrder("medhub-dicomweb", "medhub-ml", "medhub-cds-hooks");
    }

    @Test
    void productionHasNoDirectGrantsNoImplicitFlowAndNoCliClient() {
        for (JsonNode client : PRODUCTION.path("clients")) {
            String id = client.path("clientId").asText();
            assertThat(client.path("directAccessGrantsEnabled").isBoolean()).as(id).isTrue();
            assertThat(client.path("directAccessGrantsEnabled").asBoolean()).as(id).isFalse();
            assertThat(client.path("implicitFlowEnabled").asBoolean()).as(id).isFalse();
        }
        assertThat(texts(PRODUCTION.path("clients"), client -> client.path("clientId").asText()))
                .containsExactlyInAnyOrder("medhub-web", "medhub-dicomweb", "medhub-ml", "medhub-cds-hooks");
    }

    @Test
    void productionWebClientIsPublicWithPkceS256AndRedirectsOnlyToThePublicBaseUrl() {
        JsonNode web = client(PRODUCTION, "medhub-web");

        assertThat(web.path("publicClient").asBoolean()).isTrue();
        assertThat(web.path("standardFlowEnabled").asBoolean()).isTrue();
        assertThat(web.path("attributes").path("pkce.code.challenge.method").asText()).isEqualTo("S256");
        assertThat(texts(web.path("redirectUris"), JsonNode::asText)).containsExactly(PUBLIC_BASE_URL + "/*");
        assertThat(texts(web.path("webOrigins"), JsonNode::asText)).containsExactly(PUBLIC_BASE_URL);
        assertThat(web.path("attributes").path("post.logout.redirect.uris").asText()).isEqualTo(PUBLIC_BASE_URL + "/*");
        assertThat(web.toString()).doesNotContain("localhost");
    }

    @Test
    void productionServiceClientSecretsComeFromTheEnvironment() {
        assertThat(client(PRODUCTION, "medhub-dicomweb").path("secret").asText()).isEqualTo("${MEDHUB_DICOMWEB_CLIENT_SECRET}");
        assertThat(client(PRODUCTION, "medhub-ml").path("secret").asText()).isEqualTo("${MEDHUB_ML_CLIENT_SECRET}");
        assertThat(client(PRODUCTION, "medhub-cds-hooks").path("secret").asText()).isEqualTo("${MEDHUB_CDS_HOOKS_CLIENT_SECRET}");
    }

    @Test
    void productionRequiresTlsAndAPasswordPolicy() {
        assertThat(PRODUCTION.path("sslRequired").asText()).isEqualTo("external");
        assertThat(PRODUCTION.path("passwordPolicy").asText()).contains("length(12)").contains("notUsername");
    }

    @Test
    void bothRealmsLockOutTemporarilyAfterFiveFailures() {
        for (JsonNode realm : List.of(DEV, PRODUCTION)) {
            assertThat(realm.path("bruteForceProtected").asBoolean()).isTrue();
            assertThat(realm.path("permanentLockout").isBoolean()).isTrue();
            assertThat(realm.path("permanentLockout").asBoolean()).isFalse();
            assertThat(realm.path("failureFactor").asInt()).isEqualTo(5);
            assertThat(realm.path("waitIncrementSeconds").asInt()).isEqualTo(60);
            assertThat(realm.path("maxFailureWaitSeconds").asInt()).isEqualTo(900);
        }
    }

    @Test
    void productionHasTheDevRealmsRolesAndClientScopes() {
        Function<JsonNode, String> name = node -> node.path("name").asText();
        assertThat(texts(PRODUCTION.path("roles").path("realm"), name))
                .containsExactlyInAnyOrderElementsOf(texts(DEV.path("roles").path("realm"), name));
        assertThat(texts(PRODUCTION.path("clientScopes"), name))
                .containsExactlyInAnyOrderElementsOf(texts(DEV.path("clientScopes"), name));
    }

    static JsonNode client(JsonNode realm, String clientId) {
        for (JsonNode client : realm.path("clients")) {
            if (client.path("clientId").asText().equals(clientId)) {
                return client;
            }
        }
        throw new AssertionError("no client " + clientId);
    }

    private static List<String> texts(JsonNode array, Function<JsonNode, String> text) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(text.apply(node)));
        return values;
    }

    static JsonNode realm(String file) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path realm = dir.resolve("config/keycloak").resolve(file);
            if (Files.isRegularFile(realm)) {
                try {
                    return new ObjectMapper().readTree(realm.toFile());
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + realm, e);
                }
            }
        }
        throw new IllegalStateException("config/keycloak/" + file + " not found above " + Path.of("").toAbsolutePath());
    }
}
