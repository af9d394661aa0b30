package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.dicomweb.DicomwebHttp.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.dicomweb.standalone.DicomwebServerApplication;
import org.medhub.platform.database.SchemaDataSources;
import org.medhub.platform.testing.KeycloakExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 5: pseudonyms and shifted dates are stable across restarts. The standalone server stores a
 * study, a researcher reads its de-identified QIDO-RS result and metadata; the server stops
 * completely (its embedded PostgreSQL too) and starts again on the same data directory and key, and
 * the researcher reads the same pseudonyms and dates and can still address the study by them. With
 * another key on the same data, every pseudonym and the date shift change, the old pseudonyms find
 * nothing and the index no longer maps them back.
 */
@ExtendWith(KeycloakExtension.class)
class PseudonymRestartIT {

    private static final String KEY = "restart-test-secret-of-at-least-32-characters";
    private static final String OTHER_KEY = "another-restart-test-secret-of-32-characters";

    private final String dataDirectory = "target/it-data/deid-restart-" + UUID.randomUUID();

    @Test
    void pseudonymsAndShiftedDatesSurviveARestartAndChangeWithTheKey() throws IOException {
        Seen before;
        try (ConfigurableApplicationContext first = start(KEY)) {
            int port = port(first);
            assertThat(DicomwebHttp.as(port, "clinician").stow("/studies",
                    List.of(Files.readAllBytes(DicomwebIT.TEST_FILES.resolve("CT_small.dcm")))).statusCode()).isEqualTo(200);
            before = Seen.by(port);
            assertThat(before.study()).startsWith("2.25.").isNotEqualTo(DicomwebIT.CT_STUDY);
            assertThat(before.patientId()).startsWith("DEID-");
            assertThat(before.studyDate()).hasSize(8).isLessThan("20040119");
        }

        try (ConfigurableApplicationContext again = start(KEY)) {
            Seen after = Seen.by(port(again));
            assertThat(after).isEqualTo(before);
        }

        try (ConfigurableApplicationContext rekeyed = start(OTHER_KEY)) {
            int port = port(rekeyed);
            Seen other = Seen.by(port);
            assertThat(other.patientId()).isNotEqualTo(before.patientId());
            assertThat(other.study()).isNotEqualTo(before.study());
            assertThat(other.instance()).isNotEqualTo(before.instance());
            assertThat(other.studyDate()).isNotEqualTo(before.studyDate());
            DicomwebHttp researcher = DicomwebHttp.as(port, "researcher");
            assertThat(researcher.json("/studies?StudyInstanceUID=" + before.study())).as("the old pseudonym").isEmpty();
            assertThat(researcher.json("/studies?PatientID=" + before.patientId())).isEmpty();
            try (var dicomweb = rekeyed.getBean(SchemaDataSources.class).forSchema("dicomweb")) {
                assertThat(new JdbcTemplate(dicomweb).queryForObject("SELECT count(*) FROM deid_pseudonym WHERE pseudonym IN (?, ?, ?)",
                        Integer.class, before.patientId(), before.study(), before.instance()))
                        .as("the old key's map back to the originals").isZero();
                assertThat(new JdbcTemplate(dicomweb).queryForObject("SELECT count(*) FROM deid_study WHERE patient_id = ?",
                        Integer.class, before.patientId())).as("the old key's projection of the study").isZero();
            }
        }
    }

    /**
     * What the researcher sees of the stored study, each value read from an answer found by the
     * pseudonyms of the one before it (so the pseudonyms are also usable, not only printed).
     */
    private record Seen(String patientId, String study, String studyDate, String series, String instance,
            String contentDate) {

        static Seen by(int port) {
            DicomwebHttp researcher = DicomwebHttp.as(port, "researcher");
            JsonNode studies = researcher.json("/studies?includefield=all");
            String patientId = value(only(studies, "the stored study"), "00100020");
            JsonNode byPatient = only(researcher.json("/studies?PatientID=" + patientId), "the study by its PatientID");
            String study = value(byPatient, "0020000D");
            JsonNode metadata = only(researcher.json("/studies/" + study + "/metadata"), "the metadata by the StudyInstanceUID");
            assertThat(value(metadata, "00100020")).isEqualTo(patientId);
            return new Seen(patientId, study, value(byPatient, "00080020"), value(metadata, "0020000E"),
                    value(metadata, "00080018"), value(metadata, "00080023"));
        }

        private static JsonNode only(JsonNode answer, String what) {
            assertThat(answer).as(what).hasSize(1);
            return answer.get(0);
        }
    }

    /** The standalone server with de-identification on, on this test's data directory (embedded PostgreSQL under it). */
    private ConfigurableApplicationContext start(String key) {
        return new SpringApplicationBuilder(DicomwebServerApplication.class).run(
                "--server.port=0",
                "--medhub.data-directory=" + dataDirectory,
                "--medhub.database.data-directory=" + dataDirectory + "/postgres",
                "--medhub.dicomweb.publish.enabled=false",
                "--medhub.deid.enabled=true",
                "--medhub.deid.secret=" + key,
                "--medhub.deid.profiles-directory=../config/deid");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
