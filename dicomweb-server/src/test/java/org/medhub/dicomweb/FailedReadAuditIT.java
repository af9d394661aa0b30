package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.dicom.TestObjects;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.store.DicomStorage;
import org.medhub.platform.database.SchemaDataSources;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A read that fails after its instance was found is audited as a failed access to that patient's
 * study: an answer the server cannot give in the type asked for (406), and a stored object that
 * can no longer be read (500).
 */
@DicomwebServerTest
class FailedReadAuditIT {

    @LocalServerPort
    int port;

    @Autowired
    DicomIndex index;

    @Autowired
    DicomStorage storage;

    @Autowired
    SchemaDataSources dataSources;

    @Test
    void readsThatFailAfterTheLookupAreAuditedAsFailures() throws IOException {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        HttpResponse<byte[]> stored = clinician.stow("/studies", List.of(TestObjects.withNewUids("CT_small.dcm")));
        assertThat(stored.statusCode()).isEqualTo(200);
        String url = DicomwebHttp.parse(stored).path("00081199").path("Value").path(0).path("00081190").path("Value").path(0).asText();
        String instancePath = url.substring(url.indexOf("/studies/"));
        IndexedInstance instance = index.find(instancePath.substring(instancePath.lastIndexOf('/') + 1)).orElseThrow();

        HttpResponse<byte[]> unacceptable = clinician.get(instancePath + "/metadata", "application/xml");
        assertThat(unacceptable.statusCode()).isEqualTo(406);
        assertThat(failedReads(instancePath + "/metadata")).singleElement().satisfies(event -> assertThat(event)
                .contains("urn:oid:" + instance.studyUid()).contains("\"1CT1\"").contains("clinician")
                .contains("406 metadata is offered as application/dicom+json"));

        Files.write(storage.file(instance.storageKey()), "no longer DICOM".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> unreadable = clinician.get(instancePath + "/frames/1",
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertThat(unreadable.statusCode()).isEqualTo(500);
        assertThat(new String(unreadable.body(), StandardCharsets.UTF_8)).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(failedReads(instancePath + "/frames/1")).singleElement().satisfies(event -> assertThat(event)
                .contains("urn:oid:" + instance.studyUid()).contains("\"1CT1\"").contains("500 "));
        assertThat(clinician.get(instancePath + "/metadata", "application/dicom+json").statusCode()).isEqualTo(500);
        assertThat(failedReads(instancePath + "/metadata")).hasSize(2);
    }

    /** The audit records of failed reads (outcome 4, minor failure) of a request path. */
    private List<String> failedReads(String path) {
        try (var audit = dataSources.forSchema("audit")) {
            return new JdbcTemplate(audit).queryForList("SELECT event_json::text FROM audit_outbox"
                    + " WHERE event_json::text LIKE ? AND event_json->>'outcome' = '4' ORDER BY id", String.class,
                    "%" + path + "%");
        }
    }
}
