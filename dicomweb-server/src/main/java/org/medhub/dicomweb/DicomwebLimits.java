package org.medhub.dicomweb;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What one DICOMweb request may ask of the server ({@code medhub.dicomweb.limits.*}); a request over
 * a limit is refused whole (413, or 400 for a frame list) with a message naming the setting.
 *
 * @param maxParts parts of one STOW-RS request
 * @param maxPartSize bytes of one STOW-RS part (one DICOM object)
 * @param maxRequestSize bytes of one STOW-RS request body
 * @param minFreeDisk free space the store must keep after a STOW-RS part is staged
 * @param maxFramesPerRequest frame numbers in one {@code .../frames/{list}} request
 */
@Validated
@ConfigurationProperties("medhub.dicomweb.limits")
public record DicomwebLimits(
        @Min(1) @Max(100_000) @DefaultValue("1000") int maxParts,
        @NotNull @DefaultValue("1GB") DataSize maxPartSize,
        @NotNull @DefaultValue("4GB") DataSize maxRequestSize,
        @NotNull @DefaultValue("1GB") DataSize minFreeDisk,
        @Min(1) @Max(100_000) @DefaultValue("1000") int maxFramesPerRequest) {

    public static final String PREFIX = "medhub.dicomweb.limits.";

    public DicomwebLimits {
        if (maxPartSize == null || maxPartSize.toBytes() < 1) {
            throw new IllegalArgumentException(PREFIX + "max-part-size must be at least 1 byte");
        }
        if (maxRequestSize == null || maxRequestSize.compareTo(maxPartSize) < 0) {
            throw new IllegalArgumentException(PREFIX + "max-request-size (" + maxRequestSize
                    + ") must not be less than " + PREFIX + "max-part-size (" + maxPartSize + ")");
        }
        if (minFreeDisk == null || minFreeDisk.isNegative()) {
            throw new IllegalArgumentException(PREFIX + "min-free-disk must not be negative");
        }
    }
}
