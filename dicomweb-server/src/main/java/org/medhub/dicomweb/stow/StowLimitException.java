package org.medhub.dicomweb.stow;

import org.medhub.dicomweb.DicomwebLimits;

/**
 * A STOW-RS request over one of {@code medhub.dicomweb.limits.*}: answered 413 with a message that
 * names the limit and its setting; nothing of the request is stored.
 */
final class StowLimitException extends RuntimeException {

    private StowLimitException(String message) {
        super(message);
    }

    static StowLimitException parts(DicomwebLimits limits) {
        return new StowLimitException("the request has more than " + limits.maxParts() + " parts ("
                + DicomwebLimits.PREFIX + "max-parts); nothing was stored");
    }

    static StowLimitException partSize(DicomwebLimits limits) {
        return new StowLimitException("a part is larger than " + limits.maxPartSize().toBytes() + " bytes ("
                + DicomwebLimits.PREFIX + "max-part-size); nothing was stored");
    }

    static StowLimitException requestSize(DicomwebLimits limits) {
        return new StowLimitException("the request body is larger than " + limits.maxRequestSize().toBytes() + " bytes ("
                + DicomwebLimits.PREFIX + "max-request-size); nothing was stored");
    }

    static StowLimitException freeDisk(DicomwebLimits limits) {
        return new StowLimitException("the store would keep less than " + limits.minFreeDisk().toBytes()
                + " bytes free (" + DicomwebLimits.PREFIX + "min-free-disk); nothing was stored");
    }
}
