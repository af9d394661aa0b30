package org.medhub.platform.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Points the MedHub server of a Spring test at the test Keycloak ({@link KeycloakTestServer#shared()}):
 * starts it if needed and sets the system properties the resource server reads,
 * {@value #ISSUER_PROPERTY} (the realm's issuer on the test Keycloak's port) and
 * {@value #CLOCK_SKEW_PROPERTY} ({@link KeycloakTestServer#CLOCK_SKEW}, so that
 * {@link KeycloakTestServer#expiredToken} is refused without waiting a minute), and the dev service
 * clients' {@code medhub.services.clients.*} (see {@link KeycloakTestServer#serviceClientProperties()}),
 * and {@value #DEV_MODE_PROPERTY}{@code =true}: the dev realm and its secrets are dev material, which a
 * server outside dev mode refuses to start with.
 *
 * <p><b>Order matters.</b> The properties must be set before the Spring application context is
 * built, so declare this extension <em>before</em> {@code @SpringBootTest} (which registers Spring's
 * extension); JUnit runs extensions in the order they are declared:
 *
 * <pre>{@code
 * @ExtendWith(KeycloakExtension.class)
 * @SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * class PatientSecurityIT {
 *     @Test
 *     void viewerMayRead(KeycloakTestServer keycloak) {
 *         String token = keycloak.token("viewer", "user/Patient.rs");
 *         ...
 *     }
 * }
 * }</pre>
 *
 * Declared after {@code @SpringBootTest}, a context may be built (or taken from Spring's context
 * cache) with whatever issuer was configured before. The extension also acts when test instances
 * are post-processed, so {@code @TestInstance(PER_CLASS)} classes, whose instance (and with it the
 * context) is created before any {@code beforeAll}, are covered too, as long as the order above is
 * kept. The system properties stay set for the rest of the JVM, which has only this one Keycloak.
 *
 * <p>Test and lifecycle methods may declare a {@link KeycloakTestServer} parameter to get the
 * running server.
 */
public final class KeycloakExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

    /** The issuer MedHub's resource server trusts (environment: {@code MEDHUB_OIDC_ISSUER}). */
    public static final String ISSUER_PROPERTY = "medhub.security.issuer";

    /** The clock skew MedHub's resource server tolerates when checking {@code exp}. */
    public static final String CLOCK_SKEW_PROPERTY = "medhub.security.clock-skew";

    /** Dev mode: the server accepts the dev realm's issuer and secrets (and listens on loopback only). */
    public static final String DEV_MODE_PROPERTY = "medhub.dev-mode";

    @Override
    public void beforeAll(ExtensionContext context) {
        configure();
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        configure();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KeycloakTestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return configure();
    }

    private static KeycloakTestServer configure() {
        KeycloakTestServer keycloak = KeycloakTestServer.shared();
        System.setProperty(ISSUER_PROPERTY, keycloak.issuer());
        System.setProperty(CLOCK_SKEW_PROPERTY, KeycloakTestServer.CLOCK_SKEW.toSeconds() + "s");
        keycloak.serviceClientProperties().forEach(System::setProperty);
        System.setProperty(DEV_MODE_PROPERTY, "true");
        return keycloak;
    }
}
