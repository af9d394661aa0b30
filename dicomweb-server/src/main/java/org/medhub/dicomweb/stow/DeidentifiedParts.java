package org.medhub.dicomweb.stow;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.medhub.dicomweb.deid.DeidProfile;
import org.medhub.dicomweb.deid.Deidentifier;
import org.medhub.dicomweb.dicom.DeidentifiedObjects;
import org.medhub.dicomweb.dicom.DicomFormatException;

/**
 * The de-identifying route's part transform: each part de-identified in memory, straight from the
 * request, under {@code profile}; a part that is not DICOM fails with 0xC000, one the profile
 * withholds (burned-in text no rule cleans) with 0x0110.
 */
record DeidentifiedParts(Deidentifier deidentifier, DeidProfile profile) implements PartTransform {

    @Override
    public InputStream apply(InputStream part) throws RejectedPartException {
        AtomicReference<Deidentifier.Outcome> outcome = new AtomicReference<>();
        Optional<byte[]> object;
        try {
            object = DeidentifiedObjects.transform(part, dataset -> {
                outcome.set(deidentifier.deidentify(dataset, profile));
                return outcome.get().released();
            });
        } catch (DicomFormatException e) {
            throw new RejectedPartException(StowService.CANNOT_UNDERSTAND, e.getMessage());
        }
        if (object.isEmpty()) {
            throw new RejectedPartException(StowService.PROCESSING_FAILURE,
                    "withheld by profile " + profile.name() + ": " + outcome.get().withheldBecause());
        }
        return new ByteArrayInputStream(object.get());
    }
}
