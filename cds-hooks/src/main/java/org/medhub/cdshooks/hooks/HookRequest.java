package org.medhub.cdshooks.hooks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A CDS Hooks 2.0 service request. Unknown members are ignored: clients may send more than this
 * service reads (e.g. {@code extension}).
 *
 * @param prefetch by key: the resource or Bundle, JSON {@code null} when the client found nothing;
 *     a key that is absent was not prefetched
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HookRequest(
        String hook, String hookInstance, String fhirServer, FhirAuthorization fhirAuthorization,
        Map<String, Object> context, Map<String, JsonNode> prefetch) {

    /** The OAuth 2.0 access token the service may use on {@code fhirServer}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FhirAuthorization(
            @JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") Long expiresIn, String scope, String subject, String patient) {}

    String patientId() {
        Object id = context == null ? null : context.get("patientId");
        return id instanceof String text ? text : null;
    }
}
