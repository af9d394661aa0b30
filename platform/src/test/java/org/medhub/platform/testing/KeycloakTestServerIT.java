package org.medhub.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Keycloak test harness hands out the tokens its Javadoc promises, signed by Keycloak. */
@ExtendWith(KeycloakExtension.class)
class KeycloakTestServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"admin", "clinician", "researcher", "viewer"})
    void devUserTokensCarryTheirRoleAndTheMedhubAudienceAndAreSignedByTheRealm(String user) throws Exception {
        KeycloakTestServer keycloak = KeycloakTestServer.shared();

        String token = keycloak.token(user);

        JsonNode claims = payload(token);
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(texts(claims.path("realm_access").path("roles"))).containsExactly(user);
        assertThat(audiences(claims)).contains(KeycloakTestServer.AUDIENCE);
        assertThat(claims.path("preferred_username").asText()).isEqualTo(user);
        assertThat(claims.path("exp").asLong() * 1000).isGreaterThan(System.currentTimeMillis());
        assertThat(signatureValid(token, keycloak.issuer())).isTrue();
    }

    @Test
    void requestedSmartScopesAppearInTheScopeClaim() throws Exception {
        String token = KeycloakTestServer.shared().token("clinician", "user/Observation.rs", "user/Patient.rs");

        assertThat(payload(token).path("scope").asText().split(" "))
                .contains("user/Observation.rs", "user/Patient.rs");
    }

    @Test
    void expiredTokenIsPastItsExpiryByMoreThanTheClockSkewButOtherwiseGenuine() throws Exception {
        KeycloakTestServer keycloak = KeycloakTestServer.shared();

        String token = keycloak.expiredToken("viewer");

        JsonNode claims = payload(token);
        assertThat(claims.path("exp").asLong() * 1000 + KeycloakTestServer.CLOCK_SKEW.toMillis())
                .isLessThan(System.currentTimeMillis());
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(audiences(claims)).contains(KeycloakTestServer.AUDIENCE);
        assertThat(texts(claims.path("realm_access").path("roles"))).containsExactly("viewer");
        assertThat(signatureValid(token, keycloak.issuer())).isTrue();
    }

    @Test
    void tokenWithoutAudienceLacksMedhubInAudButIsOtherwiseGenuine() throws Exception {
        KeycloakTestServer keycloak = KeycloakTestServer.shared();

        String token = keycloak.tokenWithoutAudience("clinician");

        JsonNode claims = payload(token);
        assertThat(audiences(claims)).doesNotContain(KeycloakTestServer.AUDIENCE);
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(texts(claims.path("realm_access").path("roles"))).containsExactly("clinician");
        assertThat(signatureValid(token, keycloak.issuer())).isTrue();
    }

    @Test
    void tokenFromOtherIssuerComesFromAnotherRealmAndIsSignedByThatRealm() throws Exception {
        KeycloakTestServer keycloak = KeycloakTestServer.shared();

        String token = keycloak.tokenFromOtherIssuer();

        String issuer = payload(token).path("iss").asText();
        assertThat(issuer).isNotEqualTo(keycloak.issuer()).startsWith(keycloak.baseUrl() + "/realms/");
        assertThat(signatureValid(token, issuer)).isTrue();
        assertThat(signatureValid(token, keycloak.issuer())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"viewer", "admin"})
    void tamperedTokenKeepsKeycloaksHeaderAndSignatureWhichNoLongerMatch(String user) throws Exception {
        KeycloakTestServer keycloak = KeycloakTestServer.shared();

        String token = keycloak.tamperedToken(user);

        JsonNode claims = payload(token);
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(texts(claims.path("realm_access").path("roles"))).contains(user, "admin");
        assertThat(signatureValid(token, keycloak.issuer())).isFalse();
    }

    @Test
    void extensionPointsTheServerPropertiesAtTheSharedKeycloak(KeycloakTestServer keycloak) {
        assertThat(keycloak).isSameAs(KeycloakTestServer.shared());
        assertThat(System.getProperty(KeycloakExtension.ISSUER_PROPERTY))
                .isEqualTo(keycloak.issuer())
                .matches("http://localhost:\\d+/realms/medhub");
        assertThat(System.getProperty(KeycloakExtension.CLOCK_SKEW_PROPERTY)).isEqualTo("1s");
    }

    private static JsonNode payload(String token) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    /** {@code aud} is a string when there is one audience, an array otherwise, or absent. */
    private static List<String> audiences(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        return aud.isArray() ? texts(aud) : aud.isTextual() ? List.of(aud.asText()) : List.of();
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** Verifies an RS256 signature against the issuer's published keys (JWKS), with the JDK only. */
    private static boolean signatureValid(String token, String issuer) throws Exception {
        String[] parts = token.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        HttpClient http = HttpClient.newHttpClient();
        JsonNode jwks = JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/certs")).build(),
                        BodyHandlers.ofString())
                .body());
        for (JsonNode key : jwks.path("keys")) {
            if (key.path("kid").asText().equals(header.path("kid").asText())) {
                PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                        new BigInteger(1, Base64.getUrlDecoder().decode(key.path("n").asText())),
                        new BigInteger(1, Base64.getUrlDecoder().decode(key.path("e").asText()))));
                Signature verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify(publicKey);
                verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
                return verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
            }
        }
        return false;
    }
}
