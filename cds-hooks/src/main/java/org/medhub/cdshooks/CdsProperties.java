package org.medhub.cdshooks;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The CDS Hooks services' settings ({@code medhub.cds.*}).
 *
 * @param enabled whether {@code /cds-services} is part of this server
 * @param clientFiles YAML files listing the CDS clients (EHRs) whose JWTs are trusted; none means
 *     every call is refused. Production lists {@code config/cds-hooks/clients.yaml}; the dev setup
 *     adds {@code config/dev/cds-hooks-dev-ehr.yaml} (issuer {@code medhub-dev-ehr})
 * @param specDirectory where the FHIR feature specs of the models are ({@code <model>.yaml}); an
 *     active model gets a service when its spec is there
 * @param thresholds risk bands of the card's indicator
 * @param maxObservationAge an observation older than this is named on the card as too old, not used
 *     (conditions do not age: a diagnosis stays true)
 * @param clockSkew tolerance for the JWT's {@code exp}, {@code iat} and {@code nbf}
 * @param fhirTimeout how long a FHIR write, or all reads of one call from the client's FHIR server
 *     together (bodies included), may take before the call gives up
 * @param allowedOrigins origins of browser-based CDS clients (the sandbox, web EHRs); {@code *} by
 *     default, which is safe because calls carry a JWT in a header, never a cookie
 * @param maxRequestBytes the largest body of a service call or feedback (413 above it); read only
 *     after the client's JWT is verified
 * @param maxFhirResponseBytes the most the service reads of one response of a client's FHIR server
 */
@Validated
@ConfigurationProperties("medhub.cds")
public record CdsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<Path> clientFiles,
        @DefaultValue("config/ml") Path specDirectory,
        @Valid @DefaultValue Thresholds thresholds,
        @NotNull @DefaultValue("P2Y") Period maxObservationAge,
        @NotNull @DefaultValue("30s") Duration clockSkew,
        @NotNull @DefaultValue("10s") Duration fhirTimeout,
        @DefaultValue("*") List<String> allowedOrigins,
        @NotNull @DefaultValue("1MB") DataSize maxRequestBytes,
        @NotNull @DefaultValue("4MB") DataSize maxFhirResponseBytes) {

    /** Kept below what one byte array can hold; a body larger than this is no CDS Hooks request. */
    static final DataSize MAX_BODY = DataSize.ofMegabytes(256);

    public CdsProperties {
        for (var limit : java.util.Map.of("medhub.cds.max-request-bytes", maxRequestBytes,
                "medhub.cds.max-fhir-response-bytes", maxFhirResponseBytes).entrySet()) {
            if (limit.getValue() != null && (limit.getValue().toBytes() < 1 || limit.getValue().compareTo(MAX_BODY) > 0)) {
                throw new IllegalArgumentException(limit.getKey() + " (" + limit.getValue() + ") must be between 1B and "
                        + MAX_BODY);
            }
        }
        if (fhirTimeout != null && (fhirTimeout.isNegative() || fhirTimeout.isZero())) {
            throw new IllegalArgumentException("medhub.cds.fhir-timeout must be positive");
        }
    }

    /**
     * Probabilities (0..1) at which the card's indicator becomes {@code warning} and {@code critical};
     * below {@code warning} it is {@code info}. The defaults are the usual 10-year cardiovascular
     * risk bands (below 10 % low, 10-20 % intermediate, 20 % and above high).
     */
    public record Thresholds(
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.1") double warning,
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.2") double critical) {

        public Thresholds {
            if (warning > critical) {
                throw new IllegalArgumentException("medhub.cds.thresholds.warning (" + warning
                        + ") must not be above medhub.cds.thresholds.critical (" + critical + ")");
            }
        }
    }
}
