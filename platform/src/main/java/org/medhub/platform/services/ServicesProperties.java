package org.medhub.platform.services;

import java.net.URI;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How MedHub's modules call other MedHub APIs on their own behalf ({@code medhub.services.*}).
 *
 * @param fhirBaseUrl the FHIR base the modules write to and read from; empty means this server's own
 *     {@code /fhir} on loopback (the all-in-one case)
 * @param clients per module ({@code dicomweb}, {@code ml}, {@code cds-hooks}), the confidential OIDC
 *     client whose service account the module acts as
 */
@ConfigurationProperties("medhub.services")
public record ServicesProperties(URI fhirBaseUrl, @DefaultValue Map<String, Client> clients) {

    /**
     * A confidential client of the issuer, used with the client credentials grant.
     *
     * @param clientId the client's id at the issuer
     * @param clientSecret its secret (never committed for production; dev secrets live in
     *     {@code config/dev/})
     */
    public record Client(String clientId, String clientSecret) {}
}
