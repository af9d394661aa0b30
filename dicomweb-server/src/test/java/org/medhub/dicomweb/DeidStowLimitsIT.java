package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The de-identifying STOW-RS route under {@code medhub.dicomweb.limits.max-part-size}: a valid object
 * over the limit is read through the de-identification parser, which wraps whatever its source throws;
 * the request is still refused whole with 413 naming the setting, as on the plain route, not answered
 * with one failed part.
 */
@DeidServerTest
@TestPropertySource(properties = "medhub.dicomweb.limits.max-part-size=100KB")
class DeidStowLimitsIT {

    @LocalServerPort
    int port;

    @Test
    void aPartOverMaxPartSizeOnTheDeidentifyingRouteIsRefusedWhole() throws IOException {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        byte[] small = Files.readAllBytes(DicomwebIT.TEST_FILES.resolve("MR_small.dcm"));
        byte[] large = Files.readAllBytes(DicomwebIT.TEST_FILES.resolve("SC_rgb_jpeg_dcmd.dcm"));
        assertThat(large.length).as("the test object is over the limit").isGreaterThan(100 * 1024);
        JsonNode indexedBefore = clinician.json("/instances?limit=1000");

        HttpResponse<byte[]> response = clinician.stow("/deid/research/studies", List.of(small, large));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("medhub.dicomweb.limits.max-part-size");
        assertThat(clinician.json("/instances?limit=1000")).isEqualTo(indexedBefore);
    }
}
