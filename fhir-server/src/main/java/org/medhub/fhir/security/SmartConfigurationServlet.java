package org.medhub.fhir.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /fhir/.well-known/smart-configuration} (SMART App Launch 2.x): where apps get tokens for
 * this FHIR server. Endpoints come from the configured issuer's OpenID discovery document, fetched
 * on first use and kept; what is listed is what MedHub enforces: PKCE with S256 only (never
 * {@code plain}, whatever the issuer itself offers), SMART v2 resource scopes on top of roles,
 * standalone launch. EHR launch context ({@code launch}, a {@code patient} in the token response)
 * is not offered: the identity provider does not issue it.
 */
final class SmartConfigurationServlet extends HttpServlet {

    static final String PATH = "/fhir/.well-known/smart-configuration";

    private static final Logger log = LoggerFactory.getLogger(SmartConfigurationServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CAPABILITIES = List.of(
            "launch-standalone", "client-public", "client-confidential-symmetric", "sso-openid-connect",
            "permission-v1", "permission-v2", "permission-user");
    private static final List<String> SCOPES = List.of(
            "openid", "fhirUser", "user/*.rs", "user/*.cruds", "user/Patient.rs", "user/Observation.rs",
            "patient/*.rs", "patient/Patient.rs", "patient/Observation.rs");

    private final String issuer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<byte[]> document = new AtomicReference<>();

    SmartConfigurationServlet(String issuer) {
        this.issuer = issuer;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = document.get();
        if (body == null) {
            try {
                body = build();
                document.set(body);
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("Cannot read the OpenID configuration of {}: {}", issuer, e.getMessage());
                response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                response.setContentType("application/fhir+json");
                response.getWriter().write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                        + "\"code\":\"transient\",\"diagnostics\":\"The identity provider is not reachable; try again.\"}]}");
                return;
            }
        }
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "public, max-age=300");
        response.getOutputStream().write(body);
    }

    private byte[] build() throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("HTTP " + answer.statusCode());
        }
        JsonNode oidc = JSON.readTree(answer.body());
        ObjectNode smart = JSON.createObjectNode();
        smart.put("issuer", issuer);
        for (String field : List.of("jwks_uri", "authorization_endpoint", "token_endpoint",
                "introspection_endpoint", "revocation_endpoint", "userinfo_endpoint")) {
            if (oidc.hasNonNull(field)) {
                smart.set(field, oidc.get(field));
            }
        }
        smart.putArray("grant_types_supported").add("authorization_code").add("client_credentials");
        smart.putArray("token_endpoint_auth_methods_supported").add("client_secret_basic").add("client_secret_post")
                .add("private_key_jwt");
        smart.putArray("response_types_supported").add("code");
        smart.putArray("code_challenge_methods_supported").add("S256");
        SCOPES.forEach(smart.putArray("scopes_supported")::add);
        CAPABILITIES.forEach(smart.putArray("capabilities")::add);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(smart);
    }
}
