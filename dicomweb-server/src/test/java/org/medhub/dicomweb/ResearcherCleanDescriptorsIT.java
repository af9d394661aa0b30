package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.medhub.dicomweb.deid.Pseudonyms;
import org.medhub.dicomweb.dicom.TestObjects;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Clean Descriptors (PS3.15 E.3.5) with the study's patient identity on every path a researcher
 * reaches: a clinician stores an object whose every free-text attribute that Table E.1-1 cleans or
 * removes names the patient (name, ID, birth date, accession number); no researcher answer may
 * carry any of those values, whichever level, form, or retrieval the researcher uses. Study-scoped
 * QIDO rows carry no PatientName/PatientID of their own, which is how the identity once slipped through.
 */
@DeidServerTest
// A context of its own: DeidStowIT scans its whole store for identity, and this one plants identity on purpose.
@TestPropertySource(properties = "medhub.deid.research-profile=research")
@TestInstance(Lifecycle.PER_CLASS)
class ResearcherCleanDescriptorsIT {

    private static final String FAMILY = "Quaxley";
    private static final String GIVEN = "Zebulon";
    private static final String PATIENT_ID = "MRN77341";
    private static final String BIRTH_DATE = "19410923";
    private static final String ACCESSION = "ACC55190";
    private static final List<String> IDENTITY = List.of(FAMILY, GIVEN, PATIENT_ID, BIRTH_DATE, ACCESSION);
    private static final String PLANTED = "seen " + GIVEN + " " + FAMILY + " " + PATIENT_ID + " dob " + BIRTH_DATE
            + " acc " + ACCESSION;
    private static final Set<String> FREE_TEXT_VRS = Set.of("LO", "SH", "ST", "LT", "UT", "UC", "PN");
    private static final String ANY_DICOM = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String ANY_OCTETS = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";

    private final Pseudonyms research = new Pseudonyms(DeidServerTest.SECRET, "research");

    @LocalServerPort
    int port;

    private List<String> plantedTags;
    private String study;
    private String series;
    private String instance;

    @BeforeAll
    void clinicianStoresAStudyNamingThePatientInItsFreeText() throws IOException {
        Map<Integer, String> attributes = new LinkedHashMap<>();
        for (int tag : cleanedOrRemovedFreeText()) {
            attributes.put(tag, PLANTED);
        }
        // The identity attributes themselves (Other Patient IDs and Names are X) hold identity, not a sentence.
        attributes.put(0x00101000, PATIENT_ID);
        attributes.put(0x00101001, FAMILY + "^" + GIVEN);
        attributes.put(0x00100010, FAMILY + "^" + GIVEN);
        attributes.put(0x00100020, PATIENT_ID);
        attributes.put(0x00100030, BIRTH_DATE);
        attributes.put(0x00080050, ACCESSION);
        plantedTags = cleanedOrRemovedFreeText().stream().map(tag -> String.format(Locale.ROOT, "%08X", tag)).toList();
        HttpResponse<byte[]> stored = DicomwebHttp.as(port, "clinician")
                .stow("/studies", List.of(TestObjects.withAttributes("CT_small.dcm", attributes)));
        assertThat(stored.statusCode()).as(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        String url = DicomwebHttp.parse(stored).path("00081199").path("Value").path(0).path("00081190")
                .path("Value").path(0).asText();
        String[] path = url.substring(url.indexOf("/studies/") + 1).split("/");
        study = research.uid(path[1]);
        series = research.uid(path[3]);
        instance = research.uid(path[5]);
    }

    @Test
    void plantedIdentityIsNoResearcherAnswerOnAnyPath() {
        assertThat(plantedTags).as("the table's free-text attributes").hasSizeGreaterThan(50)
                .contains("0008103E", "00204000", "00081030");
        DicomwebHttp researcher = DicomwebHttp.as(port, "researcher");
        String include = "&includefield=all&includefield=" + String.join(",", plantedTags);
        String studyPath = "/studies/" + study;
        String seriesPath = studyPath + "/series/" + series;
        String instancePath = seriesPath + "/instances/" + instance;
        Map<String, String> reads = new LinkedHashMap<>();
        for (String level : List.of("/studies", "/series", "/instances")) {
            reads.put(level + "?StudyInstanceUID=" + study + include, "application/dicom+json");
        }
        // The planted IssuerOfPatientID is part of the patient's key.
        String patientPseudonym = research.patientId("id:" + PATIENT_ID + "^" + PLANTED);
        assertThat(researcher.json("/studies?PatientID=" + patientPseudonym)).hasSize(1);
        reads.put("/studies?PatientID=" + patientPseudonym + include, "application/dicom+json");
        reads.put(studyPath + "/series?" + include.substring(1), "application/dicom+json");
        reads.put(studyPath + "/instances?" + include.substring(1), "application/dicom+json");
        reads.put(seriesPath + "/instances?" + include.substring(1), "application/dicom+json");
        reads.put(studyPath + "/series?SeriesInstanceUID=" + series, "application/dicom+json");
        for (String path : List.of(studyPath, seriesPath, instancePath)) {
            reads.put(path + "/metadata", "application/dicom+json");
            reads.put(path, ANY_DICOM);
            reads.put(path + "/rendered", "image/jpeg");
            reads.put(path + "/thumbnail", "image/jpeg");
        }
        reads.put(instancePath + "/frames/1", ANY_OCTETS);
        reads.put(instancePath + "/frames/1/rendered", "image/png");
        reads.put(instancePath + "/bulkdata/7FE00010", ANY_OCTETS);
        reads.put("/wado?requestType=WADO&studyUID=" + study + "&seriesUID=" + series + "&objectUID=" + instance
                + "&contentType=application/dicom", "application/dicom");
        reads.put("/wado?requestType=WADO&studyUID=" + study + "&seriesUID=" + series + "&objectUID=" + instance
                + "&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2.1", "application/dicom");

        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> read : reads.entrySet()) {
            HttpResponse<byte[]> response = researcher.get(read.getKey(), read.getValue());
            assertThat(response.statusCode()).as("GET " + read.getKey()).isEqualTo(200);
            String body = new String(response.body(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            List<String> found = IDENTITY.stream().filter(value -> body.contains(value.toLowerCase(Locale.ROOT))).toList();
            if (!found.isEmpty()) {
                String path = read.getKey().replace(include.substring(1), "includefield=(all planted)");
                leaks.add("GET " + path + " names " + found + " in " + leakingAttributes(body));
            }
        }
        assertThat(leaks).isEmpty();

        JsonNode seriesOfStudy = researcher.json(studyPath + "/series?includefield=0008103E");
        assertThat(seriesOfStudy.get(0).path("0008103E").path("Value").path(0).asText())
                .as("Clean Descriptors keeps the description, without the patient").isEqualTo("seen * * * dob * acc *");
        HttpResponse<byte[]> feed = researcher.get("/changefeed", "application/json");
        assertThat(feed.statusCode()).as("the change feed names original UIDs: not for researchers").isEqualTo(403);
    }

    /** The tags of a JSON answer whose value names the patient (for the failure message), or "the object". */
    private static String leakingAttributes(String body) {
        if (!body.startsWith("[")) {
            return "the object";
        }
        List<String> tags = new ArrayList<>();
        java.util.regex.Matcher attribute = java.util.regex.Pattern.compile("\"([0-9a-f]{8})\":\\{[^{}]*(\\{[^{}]*\\}[^{}]*)?\\}")
                .matcher(body);
        while (attribute.find()) {
            String text = attribute.group();
            if (IDENTITY.stream().anyMatch(value -> text.contains(value.toLowerCase(Locale.ROOT)))) {
                tags.add(attribute.group(1));
            }
        }
        return tags.toString();
    }

    /**
     * Every attribute of Table E.1-1 that some column of it cleans (C) or removes (X) and whose VR is
     * free text: the descriptions, comments and names that Clean Descriptors may keep once cleaned.
     */
    private static List<Integer> cleanedOrRemovedFreeText() throws IOException {
        List<Integer> tags = new ArrayList<>();
        try (BufferedReader table = new BufferedReader(new InputStreamReader(
                ResearcherCleanDescriptorsIT.class.getResourceAsStream("/deid/ps3.15-table-e.1-1.csv"), StandardCharsets.UTF_8))) {
            for (String line : table.lines().collect(Collectors.toList())) {
                String[] fields = line.split(",", -1);
                if (line.startsWith("#") || !fields[0].matches("[0-9A-Fa-f]{8}")) {
                    continue;
                }
                int tag = Integer.parseUnsignedInt(fields[0], 16);
                boolean cleanedOrRemoved = false;
                for (int column = 3; column < fields.length; column++) {
                    cleanedOrRemoved |= fields[column].contains("C") || fields[column].contains("X");
                }
                if (cleanedOrRemoved && (tag >>> 16) != 0x0002 && FREE_TEXT_VRS.contains(TestObjects.dictionaryVr(tag))) {
                    tags.add(tag);
                }
            }
        }
        return tags;
    }
}
