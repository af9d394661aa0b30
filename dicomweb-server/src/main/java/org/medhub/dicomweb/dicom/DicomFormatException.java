package org.medhub.dicomweb.dicom;

/** The bytes are not a DICOM object this server can understand, or lack what it must have. */
public final class DicomFormatException extends Exception {

    public DicomFormatException(String message) {
        super(message);
    }

    public DicomFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
