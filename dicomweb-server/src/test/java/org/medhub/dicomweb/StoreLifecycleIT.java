package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.store.DicomStorage;
import org.medhub.dicomweb.store.StoreReconciliation;
import org.medhub.platform.database.SchemaDataSources;
import org.medhub.platform.testing.KeycloakTestServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The store's life beyond STOW: DELETE (admins only) removes index rows and files, the start-up
 * repair removes what a crash between writing and indexing leaves, and every access is in the
 * audit trail with its patient and study.
 */
@DicomwebServerTest
class StoreLifecycleIT {

    private static final String RT_DOSE = "rtdose.dcm";

    @LocalServerPort
    int port;

    @Autowired
    DicomIndex index;

    @Autowired
    DicomStorage storage;

    @Autowired
    StoreReconciliation reconciliation;

    @Autowired
    SchemaDataSources dataSources;

    @Test
    void onlyAdminsDeleteAndADeletedStudyIsGoneFromIndexAndStore() throws Exception {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        byte[] dose = Files.readAllBytes(DicomwebIT.TEST_FILES.resolve(RT_DOSE));
        HttpResponse<byte[]> stored = clinician.stow("/studies", List.of(dose));
        assertThat(stored.statusCode()).isIn(200);
        String study = DicomwebHttp.value(DicomwebHttp.parse(stored), "00081190");
        String studyPath = study.substring(study.indexOf("/dicomweb") + "/dicomweb".length());
        String key = index.instances(studyPath.substring("/studies/".length()), null, null).get(0).storageKey();
        assertThat(storage.keys()).contains(key);

        assertThat(delete(studyPath, "clinician")).isEqualTo(403);
        assertThat(delete(studyPath, "viewer")).isEqualTo(403);
        assertThat(delete(studyPath, "admin")).isEqualTo(204);
        assertThat(clinician.get(studyPath, null).statusCode()).isEqualTo(404);
        assertThat(storage.keys()).doesNotContain(key);
        assertThat(delete(studyPath, "admin")).isEqualTo(404);
    }

    @Test
    void startUpRepairRemovesUnindexedFilesAndRowsWithoutFile() throws IOException {
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");
        byte[] plan = Files.readAllBytes(DicomwebIT.TEST_FILES.resolve("rtplan.dcm"));
        HttpResponse<byte[]> stored = clinician.stow("/studies", List.of(plan));
        assertThat(stored.statusCode()).isEqualTo(200);
        String sop = DicomwebHttp.value(DicomwebHttp.parse(stored).path("00081199").path("Value").get(0), "00081155");
        String key = index.find(sop).orElseThrow().storageKey();
        // A crash after the file was written but before it was indexed ...
        String orphan;
        try (DicomStorage.Staged staged = storage.stage(new ByteArrayInputStream("half an upload".getBytes()))) {
            orphan = storage.commit(staged);
        }
        // ... and a file lost under an index row.
        storage.delete(key);

        reconciliation.reconcile();

        assertThat(storage.keys()).doesNotContain(orphan);
        assertThat(index.find(sop)).isEmpty();
        assertThat(clinician.json("/instances?SOPInstanceUID=" + sop)).isEmpty();
    }

    @Test
    void accessesAreAuditedWithPatientAndStudy() {
        DicomwebHttp viewer = DicomwebHttp.as(port, "viewer");
        DicomwebHttp.as(port, "clinician").stow("/studies", List.of(read("CT_small.dcm")));
        assertThat(viewer.get("/studies/" + DicomwebIT.CT_STUDY + "/metadata", null).statusCode()).isEqualTo(200);
        try (var audit = dataSources.forSchema("audit")) {
            JdbcTemplate jdbc = new JdbcTemplate(audit);
            List<String> events = jdbc.queryForList(
                    "SELECT event_json::text FROM audit_outbox WHERE event_json::text LIKE ? ORDER BY id",
                    String.class, "%" + DicomwebIT.CT_STUDY + "/metadata%");
            assertThat(events).isNotEmpty();
            String event = events.get(events.size() - 1);
            assertThat(event).contains("urn:oid:" + DicomwebIT.CT_STUDY).contains("1CT1").contains("viewer");
        }
    }

    private static byte[] read(String name) {
        try {
            return Files.readAllBytes(DicomwebIT.TEST_FILES.resolve(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int delete(String path, String user) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/dicomweb" + path))
                .header("Authorization", "Bearer " + KeycloakTestServer.shared().token(user))
                .DELETE()
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
