package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.dicom.TestObjects;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code medhub.dicomweb.limits.min-free-disk}: a store that would keep less free space than the
 * setting refuses STOW-RS with 413 naming it, and stores nothing (here: a limit no disk meets).
 */
@DicomwebServerTest
@TestPropertySource(properties = "medhub.dicomweb.limits.min-free-disk=1000TB")
class StowFreeDiskIT {

    @LocalServerPort
    int port;

    @Test
    void aStoreShortOfMinFreeDiskRefusesStowAndStoresNothing() {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        HttpResponse<byte[]> response = clinician.stow("/studies", List.of(TestObjects.withNewUids("MR_small.dcm")));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\"00000902\"")
                .contains("medhub.dicomweb.limits.min-free-disk").contains("nothing was stored");
        assertThat(clinician.json("/instances")).isEmpty();
    }
}
