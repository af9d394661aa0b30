package org.medhub.cdshooks.hooks;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Set;
import org.medhub.cdshooks.request.RequestBodies;
import org.medhub.cdshooks.security.ClientTokens;
import org.medhub.platform.web.PublicBaseUrl;

/**
 * The first step of every call to a service or its feedback: the client's JWT is verified (its
 * {@code aud} must be the service's URL under {@code medhub.public-base-url}, whatever Host the
 * request came with), and only then is the body read, capped. An unauthenticated caller costs the
 * server no more than its headers.
 */
final class ClientCalls {

    /** A verified client and the bytes it sent. */
    record Call(JWTClaimsSet client, byte[] body) {}

    private final ClientTokens tokens;
    private final RequestBodies bodies;
    private final PublicBaseUrl publicBaseUrl;

    ClientCalls(ClientTokens tokens, RequestBodies bodies, PublicBaseUrl publicBaseUrl) {
        this.tokens = tokens;
        this.bodies = bodies;
        this.publicBaseUrl = publicBaseUrl;
    }

    /** A call to the service {@code serviceId}: the JWT must name the service's URL. */
    Call service(String serviceId, String authorization, HttpServletRequest request) throws IOException {
        JWTClaimsSet client = tokens.verify(authorization, Set.of(endpoint(serviceId)));
        return new Call(client, bodies.read(request));
    }

    /** Feedback on the service's cards: the JWT may name the service's URL or its feedback URL. */
    Call feedback(String serviceId, String authorization, HttpServletRequest request) throws IOException {
        String endpoint = endpoint(serviceId);
        JWTClaimsSet client = tokens.verify(authorization, Set.of(endpoint, endpoint + "/feedback"));
        return new Call(client, bodies.read(request));
    }

    String baseUrl() {
        return publicBaseUrl.base();
    }

    private String endpoint(String serviceId) {
        return publicBaseUrl.resolve("/cds-services/" + serviceId);
    }
}
