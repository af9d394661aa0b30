package org.medhub.platform.realm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;

/**
 * Brute-force protection of the dev realm in the real Keycloak: after the realm's
 * {@code failureFactor} failed password grants the right password is refused too, and not before.
 * Failures are spaced beyond the realm's {@code quickLoginCheckMilliSeconds}, which would otherwise
 * lock the user out at the second quick failure. Each case uses a user of its own, so the dev users
 * the other tests sign in as are never locked.
 */
@ExtendWith(KeycloakExtension.class)
class DevRealmBruteForceIT {

    private static final int FAILURE_FACTOR = RealmFilesTest.realm("medhub-realm.json").path("failureFactor").asInt();
    private static final long SPACING_MILLIS =
            RealmFilesTest.realm("medhub-realm.json").path("quickLoginCheckMilliSeconds").asLong() + 300;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void oneFailureLessThanTheFailureFactorStillLetsTheRightPasswordIn(KeycloakTestServer keycloak) throws Exception {
        String user = newUser(keycloak);

        failTimes(keycloak, user, FAILURE_FACTOR - 1);

        assertThat(passwordGrant(keycloak, user, user).statusCode()).isEqualTo(200);
    }

    @Test
    void afterTheFailureFactorInFailedPasswordGrantsEvenTheRightPasswordIsRefused(KeycloakTestServer keycloak)
            throws Exception {
        String user = newUser(keycloak);

        failTimes(keycloak, user, FAILURE_FACTOR);

        HttpResponse<String> locked = passwordGrant(keycloak, user, user);
        assertThat(locked.statusCode()).as(locked.body()).isIn(400, 401);
        assertThat(locked.body()).contains("\"error\":\"invalid_grant\"").doesNotContain("access_token");
    }

    private static String newUser(KeycloakTestServer keycloak) throws Exception {
        String user = "lockout-" + UUID.randomUUID().toString().substring(0, 8);
        keycloak.createUser(user, user);
        assertThat(passwordGrant(keycloak, user, user).statusCode()).as("the new user signs in").isEqualTo(200);
        return user;
    }

    private static void failTimes(KeycloakTestServer keycloak, String user, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            Thread.sleep(SPACING_MILLIS);
            HttpResponse<String> refused = passwordGrant(keycloak, user, "wrong-" + i);
            assertThat(refused.statusCode()).as(refused.body()).isIn(400, 401);
            assertThat(refused.body()).contains("\"error\":\"invalid_grant\"");
        }
        Thread.sleep(SPACING_MILLIS);
    }

    private static HttpResponse<String> passwordGrant(KeycloakTestServer keycloak, String user, String password)
            throws Exception {
        String form = "grant_type=password&client_id=medhub-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(BodyPublishers.ofString(form)).build(),
                BodyHandlers.ofString());
    }
}
