package org.medhub.platform.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;
import org.springframework.mock.env.MockEnvironment;

/** The dev realm's service clients get tokens MedHub's resource servers accept, through the real Keycloak. */
@ExtendWith(KeycloakExtension.class)
class ServiceClientsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"dicomweb", "ml", "cds-hooks"})
    void eachModuleActsAsAClinicianServiceAccountForMedHub(String module, KeycloakTestServer keycloak) throws Exception {
        ServiceClients clients = clients(keycloak, devClients(keycloak));

        String token = clients.credentials(module).bearerToken();

        JsonNode claims = claims(token);
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(claims.path("aud").toString()).contains("\"medhub\"");
        assertThat(claims.path("azp").asText()).isEqualTo("medhub-" + module);
        assertThat(claims.path("realm_access").path("roles").toString()).contains("\"clinician\"");
        assertThat(clients.credentials(module).bearerToken())
                .as("the token is kept until shortly before it expires").isEqualTo(token);
    }

    @Test
    void aWrongSecretIsRefusedByTheIssuer(KeycloakTestServer keycloak) {
        Map<String, String> settings = devClients(keycloak);
        settings.put("medhub.services.clients.ml.client-secret", "not-the-secret");

        assertThatThrownBy(() -> clients(keycloak, settings).credentials("ml").bearerToken())
                .hasMessageContaining("401 Unauthorized");
    }

    @Test
    void aModuleWithoutClientIsToldWhichSettingsAreMissing(KeycloakTestServer keycloak) {
        assertThatThrownBy(() -> clients(keycloak, Map.of()).credentials("dicomweb"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("medhub.services.clients.dicomweb.client-id");
    }

    @Test
    void theFhirBaseDefaultsToThisServersOwnPort(KeycloakTestServer keycloak) {
        MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "18123");
        ServiceClients clients = new ServiceClients(new ServicesProperties(null, Map.of()), keycloak.issuer(), environment);

        assertThat(clients.fhirBaseUrl()).hasToString("http://localhost:18123/fhir");
    }

    private static Map<String, String> devClients(KeycloakTestServer keycloak) {
        return new HashMap<>(keycloak.serviceClientProperties());
    }

    private static ServiceClients clients(KeycloakTestServer keycloak, Map<String, String> settings) {
        Map<String, ServicesProperties.Client> clients = new HashMap<>();
        for (String module : new String[] {"dicomweb", "ml", "cds-hooks"}) {
            String prefix = "medhub.services.clients." + module + ".";
            if (settings.containsKey(prefix + "client-id")) {
                clients.put(module, new ServicesProperties.Client(
                        settings.get(prefix + "client-id"), settings.get(prefix + "client-secret")));
            }
        }
        return new ServiceClients(new ServicesProperties(null, clients), keycloak.issuer(), new MockEnvironment());
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
