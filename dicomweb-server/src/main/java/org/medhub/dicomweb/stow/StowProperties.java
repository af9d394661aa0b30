package org.medhub.dicomweb.stow;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * STOW-RS behaviour ({@code medhub.dicomweb.stow.*}).
 *
 * @param transcodedDuplicate what to do with an instance already stored that arrives in another
 *     transfer syntax with the same data set (a PACS or router re-encoded it losslessly): both
 *     answer success with WarningReason B000; {@code keep} leaves the stored encoding, {@code replace}
 *     stores the new one. A genuinely different object under a stored SOP Instance UID follows
 *     {@code medhub.dicomweb.duplicate-policy} instead.
 */
@Validated
@ConfigurationProperties("medhub.dicomweb.stow")
public record StowProperties(@NotNull @DefaultValue("keep") TranscodedDuplicate transcodedDuplicate) {

    /** What STOW-RS stores when an instance it holds arrives again, only differently encoded. */
    public enum TranscodedDuplicate {
        /** The stored object stays; the instance is reported stored, with a warning. */
        KEEP,
        /** The received encoding replaces the stored object (index and change feed updated). */
        REPLACE
    }
}
