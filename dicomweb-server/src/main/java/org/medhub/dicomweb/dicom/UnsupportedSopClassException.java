package org.medhub.dicomweb.dicom;

/** A readable DICOM object that this server does not store (e.g. a DICOMDIR). */
public final class UnsupportedSopClassException extends Exception {

    public UnsupportedSopClassException(String message) {
        super(message);
    }
}
