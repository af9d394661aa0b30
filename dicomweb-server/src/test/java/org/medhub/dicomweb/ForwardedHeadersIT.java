package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.dicomweb.DicomwebHttp.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.medhub.platform.testing.KeycloakTestServer;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 13 item 3: a client's {@code X-Forwarded-*} headers (the client is not a configured trusted
 * proxy) move no URL the server generates: STOW-RS and QIDO-RS RetrieveURLs and the WADO-RS frame
 * parts' Content-Location stay on {@code medhub.public-base-url}.
 */
@DicomwebServerTest
class ForwardedHeadersIT {

    private static final String[] FORGED = {
        "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https", "X-Forwarded-Port", "443",
        "X-Forwarded-For", "203.0.113.66", "Forwarded", "for=198.51.100.1;host=evil.example;proto=https"};

    @LocalServerPort
    int port;

    @Test
    void forwardedHeadersOfAClientMoveNeitherRetrieveUrlsNorContentLocations() throws Exception {
        String base = "http://localhost:" + port + "/dicomweb";
        byte[] ct = Files.readAllBytes(DicomwebIT.TEST_FILES.resolve("CT_small.dcm"));
        String boundary = "forged";
        byte[] body = concat(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                ct, ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> stored = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/studies"))
                .header("Authorization", "Bearer " + KeycloakTestServer.shared().tokens("clinician").get())
                .header("Content-Type", DicomwebHttp.DICOM_RELATED + "; boundary=" + boundary)
                .headers(FORGED).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(stored.statusCode()).as(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(value(DicomwebHttp.parse(stored), "00081190")).isEqualTo(base + "/studies/" + DicomwebIT.CT_STUDY);

        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        JsonNode study = DicomwebHttp.parse(clinician.send("GET", "/studies?StudyInstanceUID=" + DicomwebIT.CT_STUDY,
                withForged("Accept", "application/dicom+json"))).get(0);
        assertThat(value(study, "00081190")).isEqualTo(base + "/studies/" + DicomwebIT.CT_STUDY);
        String frame = "/studies/" + DicomwebIT.CT_STUDY + "/series/" + DicomwebIT.CT_SERIES + "/instances/"
                + DicomwebIT.CT_INSTANCE + "/frames/1";
        HttpResponse<byte[]> frames = clinician.send("GET", frame,
                withForged("Accept", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*"));
        assertThat(frames.statusCode()).isEqualTo(200);
        assertThat(DicomwebHttp.parts(frames).get(0).headers().get("content-location")).isEqualTo(base + frame);
    }

    private static String[] withForged(String... headers) {
        String[] all = new String[headers.length + FORGED.length];
        System.arraycopy(headers, 0, all, 0, headers.length);
        System.arraycopy(FORGED, 0, all, headers.length, FORGED.length);
        return all;
    }

    private static byte[] concat(byte[]... pieces) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }
}
