package org.medhub.dicomweb.wado;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Rectangle;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.dicom.VoiWindow;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.springframework.http.HttpStatus;

/** Parameter parsing and media type negotiation of rendered resources, and Accept values as clients send them. */
class RenderOptionsTest {

    @Test
    void theAcceptParameterWinsOverTheHeaderAndWildcardsMeanJpeg() {
        assertThat(RenderOptions.negotiate("image/png", "image/jpeg")).isEqualTo(RenderOptions.PNG);
        assertThat(RenderOptions.negotiate(null, "image/png;q=0.5, image/jpeg")).isEqualTo(RenderOptions.JPEG);
        assertThat(RenderOptions.negotiate(null, "*/*")).isEqualTo(RenderOptions.JPEG);
        assertThat(RenderOptions.negotiate("", null)).isEqualTo(RenderOptions.JPEG);
        assertThat(RenderOptions.negotiate(null, "multipart/related; type=image/png")).isEqualTo(RenderOptions.PNG);
        assertThatThrownBy(() -> RenderOptions.negotiate("image/gif", null))
                .isInstanceOfSatisfying(DicomwebException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_ACCEPTABLE));
        assertThatThrownBy(() -> RenderOptions.negotiate(null, "image/jpeg;q=0"))
                .isInstanceOfSatisfying(DicomwebException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_ACCEPTABLE));
    }

    @Test
    void windowViewportAndQualityAreParsedOrRefusedWith400() {
        assertThat(RenderOptions.window("40,400,linear-exact"))
                .isEqualTo(new VoiWindow(40, 400, VoiWindow.Function.LINEAR_EXACT));
        assertThat(RenderOptions.window(null)).isNull();
        assertThat(RenderOptions.viewport("256,256")).isEqualTo(new RenderOptions.Viewport(256, 256, null));
        assertThat(RenderOptions.viewport("64,64,10,20,30,40").region()).isEqualTo(new Rectangle(10, 20, 30, 40));
        assertThat(RenderOptions.quality(null)).isBetween(1, 100);
        for (Runnable bad : new Runnable[] {
            () -> RenderOptions.window("40"), () -> RenderOptions.window("a,b"), () -> RenderOptions.window("40,0"),
            () -> RenderOptions.viewport("1,2,3"), () -> RenderOptions.viewport("0,10"), () -> RenderOptions.viewport("10,10,0,0,-5,5"),
            () -> RenderOptions.quality("101"), () -> RenderOptions.quality("high")}) {
            assertThatThrownBy(bad::run)
                    .isInstanceOfSatisfying(DicomwebException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST));
        }
    }

    @Test
    void ohifsUnquotedMultipartTypeIsUnderstood() {
        AcceptedTypes ohif = AcceptedTypes.of("multipart/related; type=application/octet-stream; transfer-syntax=*");
        assertThat(ohif.asksForSyntax("application/octet-stream", "1.2.840.10008.1.2.5")).isTrue();
        assertThat(ohif.acceptsMultipart("application/octet-stream", "1.2.840.10008.1.2.1")).isTrue();
        AcceptedTypes plain = AcceptedTypes.of("multipart/related; type=\"application/octet-stream\"");
        assertThat(plain.asksForSyntax("application/octet-stream", "1.2.840.10008.1.2.5")).isFalse();
        assertThat(AcceptedTypes.of("*/*").asksForSyntax("application/octet-stream", "1.2.840.10008.1.2.5")).isFalse();
    }
}
