package org.medhub.dicomweb.wado;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcceptedTypesTest {

    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    @Test
    void framesAreAcceptedWhenThePartTypeIsUnquotedAsOhifSendsIt() {
        AcceptedTypes ohif = AcceptedTypes.of("multipart/related; type=application/octet-stream; transfer-syntax=*");

        assertThat(ohif.acceptsMultipart("application/octet-stream", EXPLICIT_LE)).isTrue();
        assertThat(ohif.acceptsMultipart("application/dicom", EXPLICIT_LE)).isFalse();
    }

    @Test
    void quotedAndUnquotedPartTypesMeanTheSame() {
        AcceptedTypes quoted = AcceptedTypes.of("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1");
        AcceptedTypes unquoted = AcceptedTypes.of("multipart/related;type=application/dicom;transfer-syntax=1.2.840.10008.1.2.1");

        assertThat(quoted.acceptsMultipart("application/dicom", EXPLICIT_LE)).isTrue();
        assertThat(unquoted.acceptsMultipart("application/dicom", EXPLICIT_LE)).isTrue();
        assertThat(unquoted.acceptsMultipart("application/dicom", "1.2.840.10008.1.2.4.50")).isFalse();
    }

    @Test
    void aListWithUnquotedTypesKeepsEveryAlternative() {
        AcceptedTypes accepted = AcceptedTypes.of(
                "multipart/related; type=image/jls; transfer-syntax=1.2.840.10008.1.2.4.80,"
                        + " multipart/related; type=application/octet-stream; transfer-syntax=*;q=0.5");

        assertThat(accepted.acceptsMultipart("application/octet-stream", EXPLICIT_LE)).isTrue();
    }

    @Test
    void anUnparsableHeaderAcceptsNothing() {
        AcceptedTypes garbage = AcceptedTypes.of("multipart/related; type=\"application/octet-stream");

        assertThat(garbage.acceptsMultipart("application/octet-stream", EXPLICIT_LE)).isFalse();
        assertThat(garbage.acceptsDicomJson()).isFalse();
    }
}
