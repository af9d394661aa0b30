package org.medhub.platform.services;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * What a module needs to call another MedHub API as itself rather than as the user in front of it:
 * its service account's tokens and the FHIR base URL. Used where work outlives the request (the
 * DICOMweb change feed publishing to FHIR) or must not run with the caller's rights (an ML cohort
 * pull for a researcher, who may not read identified data).
 */
public final class ServiceClients {

    private final ServicesProperties properties;
    private final String issuer;
    private final Environment environment;
    private final Map<String, ServiceCredentials> credentials = new ConcurrentHashMap<>();

    public ServiceClients(ServicesProperties properties, String issuer, Environment environment) {
        this.properties = properties;
        this.issuer = issuer;
        this.environment = environment;
    }

    /**
     * The service account of {@code module} ({@code dicomweb}, {@code ml}, {@code cds-hooks}).
     *
     * @throws IllegalStateException naming the settings when the module has no client configured
     */
    public ServiceCredentials credentials(String module) {
        return credentials.computeIfAbsent(module, this::create);
    }

    /** The FHIR base URL, without a trailing slash: configured, or this server's own {@code /fhir}. */
    public URI fhirBaseUrl() {
        if (properties.fhirBaseUrl() != null) {
            return URI.create(properties.fhirBaseUrl().toString().replaceAll("/+$", ""));
        }
        // local.server.port is the port actually bound (server.port may be 0 = any free port).
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return URI.create("http://localhost:" + port + "/fhir");
    }

    private ServiceCredentials create(String module) {
        ServicesProperties.Client client = properties.clients().get(module);
        if (client == null || isBlank(client.clientId()) || isBlank(client.clientSecret())) {
            throw new IllegalStateException("Module " + module + " has no service client: set medhub.services.clients."
                    + module + ".client-id and .client-secret (a confidential client of " + issuer
                    + " with the client credentials grant)");
        }
        return new ServiceCredentials(module, () -> ClientRegistrations.fromIssuerLocation(issuer)
                .registrationId(module)
                .clientId(client.clientId())
                .clientSecret(client.clientSecret())
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .build());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
