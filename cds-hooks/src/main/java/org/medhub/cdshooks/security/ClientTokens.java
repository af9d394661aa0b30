package org.medhub.cdshooks.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks the JWT a CDS client sends with every call (CDS Hooks 2.0, "Trusting CDS Clients"): signed
 * with an asymmetric algorithm by a key of a trusted issuer ({@code kid} selects it), {@code typ}
 * JWT, {@code aud} the service endpoint called, {@code exp} no more than five minutes ahead,
 * {@code iat} not in the future, and a {@code jti} not seen before. Other claims ({@code sub},
 * {@code nbf}, {@code tenant}) are tolerated; {@code nbf}, when present, is honoured.
 */
public final class ClientTokens {

    /** The spec: "The expiration time SHALL be set no more than five minutes in the future". */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    private static final Set<String> REQUIRED = Set.of("iss", "aud", "exp", "iat", "jti");

    private final TrustedClients clients;
    private final Duration clockSkew;
    private final Clock clock;
    private final ReplayGuard replays;

    public ClientTokens(TrustedClients clients, Duration clockSkew, Clock clock) {
        this.clients = clients;
        this.clockSkew = clockSkew;
        this.clock = clock;
        this.replays = new ReplayGuard(clock);
    }

    /** The verified claims of the {@code Authorization: Bearer} header for a call to {@code endpoint}. */
    public JWTClaimsSet verify(String authorization, Set<String> endpoints) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ClientTokenException("the request has no Authorization: Bearer JWT");
        }
        SignedJWT jwt;
        String issuer;
        try {
            jwt = SignedJWT.parse(authorization.substring(7).strip());
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new ClientTokenException("the bearer token is not a signed JWT");
        }
        JWKSource<SecurityContext> keys = issuer == null ? null : clients.keys(issuer);
        if (keys == null) {
            throw new ClientTokenException("issuer " + issuer + " is not a trusted CDS client");
        }
        JWTClaimsSet claims;
        try {
            claims = processor(keys, endpoints).process(jwt, null);
        } catch (BadJOSEException | JOSEException e) {
            throw new ClientTokenException("the JWT is not valid: " + e.getMessage());
        }
        Instant now = clock.instant();
        Instant expires = claims.getExpirationTime().toInstant();
        if (expires.isAfter(now.plus(MAX_LIFETIME).plus(clockSkew))) {
            throw new ClientTokenException("the JWT expires more than five minutes from now");
        }
        if (claims.getIssueTime().toInstant().isAfter(now.plus(clockSkew))) {
            throw new ClientTokenException("the JWT was issued in the future");
        }
        if (!replays.firstUse(issuer, claims.getJWTID(), expires.plus(clockSkew))) {
            throw new ClientTokenException("the JWT (jti " + claims.getJWTID() + ") was already used");
        }
        return claims;
    }

    private DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> keys, Set<String> endpoints) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(new HashSet<>(endpoints), null, new HashSet<>(REQUIRED), null);
        claims.setMaxClockSkew((int) clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }
}
