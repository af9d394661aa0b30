package org.medhub.dicomweb.publish;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.medhub.dicomweb.index.PatientIdentifiers;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Publication of stored studies to FHIR ({@code medhub.dicomweb.publish.*}). The FHIR base URL and
 * the service account come from {@code medhub.services.*}.
 *
 * @param enabled whether stored studies are published as Patient + ImagingStudy
 * @param defaultPatientIdentifierSystem {@code Identifier.system} of a PatientID whose object has no
 *     IssuerOfPatientID (0010,0021)
 * @param defaultAccessionNumberSystem {@code Identifier.system} of an AccessionNumber whose object
 *     has no Issuer of Accession Number Sequence (0008,0051); unset means
 *     {@code <DICOMweb base URL>/accession-number}, a namespace of this installation (accession
 *     numbers are unique only within the RIS that assigns them)
 * @param dicomwebBaseUrl the DICOMweb base URL clients should use, written into the Endpoint
 *     resource; unset means {@code /dicomweb} next to the FHIR base
 * @param pollInterval how often the publisher looks for new feed entries when it is idle
 * @param initialBackoff the wait after the first failure to reach FHIR; doubled on each further one
 * @param maxBackoff the longest wait between attempts
 * @param batchSize feed entries read per round; each study they touch is published once per round,
 *     so while a backlog lasts, a larger batch publishes studies that arrive interleaved (a PACS
 *     sending several at once) fewer times
 */
@Validated
@ConfigurationProperties("medhub.dicomweb.publish")
public record PublishProperties(
        @DefaultValue("true") boolean enabled,
        @NotBlank @DefaultValue(PatientIdentifiers.DEFAULT_SYSTEM) String defaultPatientIdentifierSystem,
        URI defaultAccessionNumberSystem,
        URI dicomwebBaseUrl,
        @NotNull @DefaultValue("2s") Duration pollInterval,
        @NotNull @DefaultValue("1s") Duration initialBackoff,
        @NotNull @DefaultValue("5m") Duration maxBackoff,
        @Min(1) @Max(10000) @DefaultValue("1000") int batchSize) {}
