package org.medhub.cdshooks.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medhub.cdshooks.prefetch.FhirServers;

/**
 * The CDS clients whose JWTs are accepted, by issuer, each with its keys: a JWKS URL (fetched and
 * cached by Nimbus, refreshed on an unknown {@code kid}), an inline JWK set, or PEM public keys
 * (whose {@code kid} is their RFC 7638 thumbprint). Read once at start-up; a file that does not parse
 * stops the server with a message naming it.
 *
 * <pre>{@code
 * clients:
 *   - issuer: https://sandbox.cds-hooks.org
 *     jwksUrl: https://sandbox.cds-hooks.org/.well-known/jwks.json
 *   - issuer: medhub-dev-ehr
 *     publicKeyPem: [cds-hooks-dev-ehr.pub.pem]   # relative to this file
 *   - issuer: some-ehr
 *     jwks: {keys: [{kty: EC, crv: P-384, x: ..., y: ...}]}
 *     fhir-servers: [https://ehr.example.org/fhir]   # the fhirServer values it may name
 * }</pre>
 *
 * <p>{@code fhir-servers} lists the FHIR bases the client may send as {@code fhirServer}: absolute
 * URLs, or paths on this server's public base URL; none listed means this server's own {@code /fhir}
 * ({@link FhirServers}).
 */
public final class TrustedClients {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    record Client(String issuer, String jwksUrl, JsonNode jwks, List<String> publicKeyPem,
            @JsonProperty("fhir-servers") List<String> fhirServers) {}

    record ClientsFile(List<Client> clients) {}

    private final Map<String, JWKSource<SecurityContext>> keys;
    private final Map<String, List<String>> fhirServers;

    TrustedClients(Map<String, JWKSource<SecurityContext>> keys, Map<String, List<String>> fhirServers) {
        this.keys = Map.copyOf(keys);
        this.fhirServers = Map.copyOf(fhirServers);
    }

    public static TrustedClients load(List<Path> files) {
        Map<String, JWKSource<SecurityContext>> keys = new HashMap<>();
        Map<String, List<String>> fhirServers = new HashMap<>();
        for (Path file : files) {
            ClientsFile parsed;
            try {
                parsed = YAML.readValue(file.toFile(), ClientsFile.class);
            } catch (IOException e) {
                throw new IllegalStateException("medhub.cds.client-files: cannot read " + file.toAbsolutePath() + ": "
                        + e.getMessage(), e);
            }
            for (Client client : parsed == null || parsed.clients() == null ? List.<Client>of() : parsed.clients()) {
                if (client.issuer() == null || client.issuer().isBlank()) {
                    throw new IllegalStateException(file + ": a client has no issuer");
                }
                if (keys.put(client.issuer(), source(file, client)) != null) {
                    throw new IllegalStateException(file + ": issuer " + client.issuer() + " is listed twice");
                }
                List<String> bases = client.fhirServers() == null ? FhirServers.DEFAULT : List.copyOf(client.fhirServers());
                FhirServers.validate(file + " (issuer " + client.issuer() + ")", bases);
                fhirServers.put(client.issuer(), bases);
            }
        }
        return new TrustedClients(keys, fhirServers);
    }

    private static JWKSource<SecurityContext> source(Path file, Client client) {
        String where = file + " (issuer " + client.issuer() + ")";
        int given = (client.jwksUrl() != null ? 1 : 0) + (client.jwks() != null ? 1 : 0)
                + (client.publicKeyPem() != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalStateException(where + ": set exactly one of jwksUrl, jwks, publicKeyPem");
        }
        try {
            if (client.jwksUrl() != null) {
                URL url = URI.create(client.jwksUrl()).toURL();
                if (!"https".equals(url.getProtocol()) && !"localhost".equals(url.getHost())) {
                    throw new IllegalStateException(where + ": jwksUrl must be https");
                }
                return JWKSourceBuilder.create(url).build();
            }
            if (client.jwks() != null) {
                return new ImmutableJWKSet<>(JWKSet.parse(client.jwks().toString()));
            }
            List<com.nimbusds.jose.jwk.JWK> pem = new ArrayList<>();
            for (String name : client.publicKeyPem()) {
                Path path = file.toAbsolutePath().getParent().resolve(name);
                pem.add(PemKeys.publicJwk(Files.readString(path)));
            }
            return new ImmutableJWKSet<>(new JWKSet(pem));
        } catch (IOException | ParseException | IllegalArgumentException e) {
            throw new IllegalStateException(where + ": bad keys: " + e.getMessage(), e);
        }
    }

    /** The keys of {@code issuer}, or null when it is not trusted. */
    JWKSource<SecurityContext> keys(String issuer) {
        return keys.get(issuer);
    }

    /** The FHIR bases {@code issuer} may name as {@code fhirServer}; empty when it is not trusted. */
    public List<String> fhirServers(String issuer) {
        return fhirServers.getOrDefault(issuer, List.of());
    }

    public int size() {
        return keys.size();
    }
}
