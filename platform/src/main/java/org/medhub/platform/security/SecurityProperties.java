package org.medhub.platform.security;

import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which tokens MedHub accepts ({@code medhub.security.*}).
 *
 * @param issuer the OIDC issuer whose tokens are accepted (its discovery document names the keys);
 *     the dev default is the Keycloak realm {@code ./medhub up} starts
 * @param audience the value the token's {@code aud} claim must contain
 * @param jwkSetUri where the signing keys are, when the issuer publishes no discovery document
 * @param clockSkew tolerance for {@code exp}/{@code nbf} between MedHub's clock and the issuer's
 */
@Validated
@ConfigurationProperties("medhub.security")
public record SecurityProperties(
        @NotBlank String issuer,
        @NotBlank @DefaultValue("medhub") String audience,
        URI jwkSetUri,
        @DefaultValue("30s") Duration clockSkew) {

    public SecurityProperties {
        if (issuer != null && !issuer.startsWith("https://") && !issuer.startsWith("http://localhost")
                && !issuer.startsWith("http://127.0.0.1")) {
            throw new IllegalArgumentException(
                    "medhub.security.issuer must be an https URL (plain http only on localhost), got: " + issuer);
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("medhub.security.clock-skew must be between 0 and 5 minutes");
        }
    }
}
