package org.medhub.fhir;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The FHIR server's settings ({@code medhub.fhir.*}).
 *
 * @param serverAddress the public base URL written into links and {@code Location} headers
 *     (e.g. {@code https://medhub.example.org/fhir}); blank derives it from each request
 * @param defaultPageSize search results per page when the client sends no {@code _count}
 * @param maxPageSize the largest {@code _count} honoured
 * @param cors which browser origins may call {@code /fhir}
 * @param bulkExport whether {@code $export} is offered
 * @param maxRequestBytes the largest request body accepted (413 beyond); checked before HAPI reads it
 */
@Validated
@ConfigurationProperties("medhub.fhir")
public record FhirProperties(
        String serverAddress,
        @Min(1) @Max(1000) @DefaultValue("20") int defaultPageSize,
        @Min(1) @Max(5000) @DefaultValue("500") int maxPageSize,
        @Valid @DefaultValue Cors cors,
        @Valid @DefaultValue BulkExport bulkExport,
        @DefaultValue("32MB") DataSize maxRequestBytes) {

    public FhirProperties {
        if (maxRequestBytes.toBytes() < 1024) {
            throw new IllegalArgumentException(
                    "medhub.fhir.max-request-bytes must be at least 1KB, got " + maxRequestBytes);
        }
        if (defaultPageSize > maxPageSize) {
            throw new IllegalArgumentException("medhub.fhir.default-page-size (" + defaultPageSize
                    + ") must not exceed medhub.fhir.max-page-size (" + maxPageSize + ")");
        }
    }

    /**
     * @param allowedOrigins origins (patterns allowed, e.g. {@code https://*.example.org}); empty turns CORS off
     * @param allowCredentials whether browsers may send cookies; never combine with a {@code *} origin
     */
    public record Cors(@DefaultValue List<String> allowedOrigins, @DefaultValue("false") boolean allowCredentials) {

        public Cors {
            if (allowCredentials && allowedOrigins.contains("*")) {
                throw new IllegalArgumentException(
                        "medhub.fhir.cors: allow-credentials cannot be combined with the '*' origin; list the origins");
            }
        }

        public boolean enabled() {
            return !allowedOrigins.isEmpty();
        }
    }

    /**
     * @param enabled whether the FHIR Bulk Data {@code $export} operations are offered
     * @param stepInterval how often HAPI's batch framework moves jobs (export among them) to their next
     *     step; HAPI's own default of one minute makes a small export take several minutes
     */
    public record BulkExport(
            @DefaultValue("true") boolean enabled, @DefaultValue("10s") java.time.Duration stepInterval) {

        public BulkExport {
            if (stepInterval.toMillis() < 1000) {
                throw new IllegalArgumentException("medhub.fhir.bulk-export.step-interval must be at least 1s");
            }
        }
    }
}
