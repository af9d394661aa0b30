package org.medhub.platform.security;

import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * How a bearer token is judged: signature by the issuer's published keys (RS256 and the other
 * asymmetric algorithms the keys declare; never {@code none} or HMAC), issuer, expiry and
 * not-before with the configured skew, and MedHub's audience.
 */
final class TokenValidation {

    private TokenValidation() {}

    /**
     * The issuer's keys are looked up on first use, not at start-up, so MedHub and its identity
     * provider can start in any order; a failed lookup is retried on the next request.
     */
    static JwtDecoder decoder(SecurityProperties properties) {
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = properties.jwkSetUri() != null
                    ? NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri().toString()).build()
                    : JwtDecoders.fromIssuerLocation(properties.issuer());
            decoder.setJwtValidator(validator(properties));
            return decoder;
        });
    }

    static OAuth2TokenValidator<Jwt> validator(SecurityProperties properties) {
        return new DelegatingOAuth2TokenValidator<>(List.of(
                new JwtTimestampValidator(properties.clockSkew()),
                new JwtIssuerValidator(properties.issuer()),
                audience(properties.audience())));
    }

    private static OAuth2TokenValidator<Jwt> audience(String audience) {
        OAuth2Error missing = new OAuth2Error(
                OAuth2ErrorCodes.INVALID_TOKEN, "The token is not meant for this service (aud)", null);
        return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(missing);
    }
}
