package org.medhub.dicomweb;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The DICOMweb server's settings ({@code medhub.dicomweb.*}).
 *
 * @param storageDirectory where stored DICOM objects live (filesystem store); unset means
 *     {@code ${medhub.data-directory}/dicom}
 * @param duplicatePolicy what STOW-RS does with a different object under a SOP Instance UID that is
 *     already stored; storing the identical object again always succeeds
 * @param defaultQueryLimit QIDO-RS results per response when the client sends no {@code limit}
 * @param maxQueryLimit the largest {@code limit} honoured
 */
@Validated
@ConfigurationProperties("medhub.dicomweb")
public record DicomwebProperties(
        Path storageDirectory,
        @NotNull @DefaultValue("reject") DuplicatePolicy duplicatePolicy,
        @Min(1) @Max(10000) @DefaultValue("100") int defaultQueryLimit,
        @Min(1) @Max(100000) @DefaultValue("1000") int maxQueryLimit) {

    public DicomwebProperties {
        if (defaultQueryLimit > maxQueryLimit) {
            throw new IllegalArgumentException("medhub.dicomweb.default-query-limit (" + defaultQueryLimit
                    + ") must not exceed medhub.dicomweb.max-query-limit (" + maxQueryLimit + ")");
        }
    }

    /** STOW-RS behaviour for a SOP Instance UID already stored with different content. */
    public enum DuplicatePolicy {
        /** Fail the instance with reason 0x0111 (duplicate SOP Instance); the stored object stays. */
        REJECT,
        /** Replace the stored object and its index entry. */
        REPLACE
    }
}
