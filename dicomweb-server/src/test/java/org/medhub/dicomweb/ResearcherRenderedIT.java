package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.medhub.dicomweb.deid.Pseudonyms;
import org.medhub.dicomweb.dicom.DicomObjects;
import org.medhub.dicomweb.dicom.ParsedInstance;
import org.medhub.dicomweb.dicom.TestObjects;
import org.medhub.dicomweb.stow.MultipartParts;
import org.medhub.platform.database.SchemaDataSources;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The researcher's view of rendered images, thumbnails and WADO-URI through HTTP: addressed by
 * pseudonymous UIDs, drawn from the de-identified object (so a pixel rule's region is blank), with
 * withheld instances and encapsulated documents not shown, the original UIDs finding nothing and no
 * identified value in any answer.
 *
 * <p>One series of three CT slices made from pydicom's CT_small: one as it is; one from a device a
 * test pixel rule covers (its rectangle is the middle of the slice, where the body is, so the
 * clinician's image has detail there); one of modality OT without BurnedInAnnotation and no rule,
 * which the research profile withholds. It is the middle instance, so the thumbnail has to pass it by.
 */
@DeidServerTest
@TestInstance(Lifecycle.PER_CLASS)
class ResearcherRenderedIT {

    private static final String TEST_SCANNER = "MEDHUB TEST SCANNER";
    /** The test rule's rectangle on the 128 x 128 slice: x, y, width, height. */
    private static final int[] REGION = {32, 32, 64, 64};
    /** A fixed VOI window, so that both renderings map stored values to the same greys. */
    private static final String WINDOW = "window=0,4000";
    private static final int TIMED_REQUESTS = 50;
    /** CT_small's identity besides its UIDs (which this test replaces). */
    private static final List<String> IDENTITY = List.of("CompressedSamples", "1CT1", "JFK IMAGING CENTER", "20040119",
            "19970430", "ABCD1234");

    private final Pseudonyms research = new Pseudonyms(DeidServerTest.SECRET, "research");
    private final String study = freshUid();
    private final String series = freshUid();
    private final String plain = freshUid();
    private final String withheld = freshUid();
    private final String burnedIn = freshUid();

    @LocalServerPort
    int port;

    @Autowired
    SchemaDataSources dataSources;

    DicomwebHttp clinician;
    DicomwebHttp researcher;
    String pdfPath;

    /** The shipped profiles with a pixel rule for the test scanner instead of the shipped example rule. */
    @DynamicPropertySource
    static void profilesWithATestPixelRule(DynamicPropertyRegistry registry) throws IOException {
        Path directory = Files.createDirectories(Path.of("target", "it-data", "deid-profiles-" + UUID.randomUUID()));
        try (Stream<Path> shipped = Files.list(Path.of("../config/deid"))) {
            for (Path profile : shipped.filter(f -> !f.getFileName().toString().equals("pixel-rules.yaml")).toList()) {
                Files.copy(profile, directory.resolve(profile.getFileName()));
            }
        }
        Files.writeString(directory.resolve("pixel-rules.yaml"), """
                assume-clean-modalities: [CT]
                rules:
                  - name: test-scanner-text
                    modality: CT
                    manufacturer: %s
                    regions:
                      - [%d, %d, %d, %d]
                """.formatted(TEST_SCANNER, REGION[0], REGION[1], REGION[2], REGION[3]));
        registry.add("medhub.deid.profiles-directory", directory::toString);
    }

    @BeforeAll
    void storeIdentified() throws IOException {
        clinician = DicomwebHttp.as(port, "clinician");
        researcher = DicomwebHttp.as(port, "researcher");
        List<byte[]> slices = List.of(
                slice(plain, "1", Map.of()),
                slice(withheld, "2", Map.of("Modality", "OT")),
                slice(burnedIn, "3", Map.of("Manufacturer", TEST_SCANNER)));
        HttpResponse<byte[]> stored = clinician.stow("/studies", slices);
        assertThat(stored.statusCode()).as(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo(200);

        byte[] pdfObject = TestObjects.encapsulatedPdf("%PDF-1.4\n% Report for CompressedSamples\n%%EOF\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(clinician.stow("/studies", List.of(pdfObject)).statusCode()).isEqualTo(200);
        ParsedInstance pdf = parse(TestObjects.file(pdfObject));
        pdfPath = path(pdf.studyUid(), pdf.seriesUid(), pdf.sopInstanceUid());
    }

    @Test
    void theResearcherGetsRenderedImagesAndThumbnailsAtEveryLevel() {
        String seriesPath = pseudonymous(study, series);
        String instancePath = pseudonymous(study, series, plain);
        for (String path : List.of(instancePath + "/rendered", instancePath + "/frames/1/rendered",
                instancePath + "/thumbnail", instancePath + "/frames/1/thumbnail", seriesPath + "/thumbnail",
                "/studies/" + research.uid(study) + "/thumbnail")) {
            HttpResponse<byte[]> response = researcher.get(path, "image/jpeg");
            BufferedImage image = image(response, "image/jpeg");
            assertThat(image.getWidth()).as(path).isEqualTo(128);
            assertThatNothingIdentifies(response);
        }
        for (String path : List.of(seriesPath + "/rendered", "/studies/" + research.uid(study) + "/rendered")) {
            HttpResponse<byte[]> response = researcher.get(path + "?accept=image/png", null);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            List<MultipartParts.Body> parts = DicomwebHttp.parts(response);
            assertThat(parts).as("the withheld slice is left out of " + path).hasSize(2);
            parts.forEach(part -> assertThat(decode(part.bytes()).getHeight()).isEqualTo(128));
            assertThatNothingIdentifies(response);
        }
    }

    @Test
    void burnedInTextARuleCoversIsBlankInTheResearchersImageAndOnlyThere() {
        BufferedImage identified = image(clinician.get(path(study, series, burnedIn) + "/rendered?accept=image/png&" + WINDOW, null),
                "image/png");
        BufferedImage deidentified = image(researcher.get(pseudonymous(study, series, burnedIn) + "/rendered?accept=image/png&"
                + WINDOW, null), "image/png");
        List<Integer> regionBefore = new ArrayList<>();
        List<Integer> regionAfter = new ArrayList<>();
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                int before = identified.getRaster().getSample(x, y, 0);
                int after = deidentified.getRaster().getSample(x, y, 0);
                if (inRegion(x, y)) {
                    regionBefore.add(before);
                    regionAfter.add(after);
                } else {
                    assertThat(after).as("pixel %d,%d outside the rule's region", x, y).isEqualTo(before);
                }
            }
        }
        assertThat(regionBefore.stream().distinct().count()).as("the clinician sees the body there").isGreaterThan(10);
        assertThat(regionAfter.stream().distinct().count()).as("the researcher sees one blank value there").isEqualTo(1);

        BufferedImage viaWadoUri = image(researcher.get(wadoUri(research.uid(study), research.uid(series),
                research.uid(burnedIn)) + "&contentType=image/png&windowCenter=0&windowWidth=4000", null), "image/png");
        assertThat(greys(viaWadoUri)).as("WADO-URI renders the same de-identified object").isEqualTo(greys(deidentified));
    }

    @Test
    void aWithheldInstanceOrAnEncapsulatedDocumentIsNotShownToTheResearcher() {
        String withheldPath = pseudonymous(study, series, withheld);
        assertThat(clinician.get(path(study, series, withheld) + "/rendered", null).statusCode())
                .as("the clinician sees it").isEqualTo(200);
        for (String path : List.of(withheldPath + "/rendered", withheldPath + "/frames/1/rendered", withheldPath + "/thumbnail",
                withheldPath + "/frames/1/thumbnail", wadoUri(research.uid(study), research.uid(series), research.uid(withheld)))) {
            HttpResponse<byte[]> response = researcher.get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThatNothingIdentifies(response);
        }

        String[] pdf = pdfPath.replace("/studies/", "").split("/series/|/instances/");
        assertThat(clinician.get(pdfPath + "/rendered", "application/pdf").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> document = researcher.get(pseudonymous(pdf[0], pdf[1], pdf[2]) + "/rendered", "application/pdf");
        assertThat(document.statusCode()).isEqualTo(404);
        HttpResponse<byte[]> retrieved = researcher.get("/studies/" + research.uid(pdf[0]), DicomwebHttp.DICOM_RELATED);
        assertThat(retrieved.statusCode()).isEqualTo(200);
        assertThat(DicomwebHttp.parts(retrieved)).as("WADO-RS withholds the document too").isEmpty();
        assertThat(new String(retrieved.body(), StandardCharsets.ISO_8859_1)).doesNotContain("CompressedSamples");
    }

    @Test
    void theOriginalUidsInAResearchersRequestFindNothing() {
        for (String path : List.of(path(study, series, plain) + "/rendered", path(study, series, plain) + "/thumbnail",
                "/studies/" + study + "/series/" + series + "/rendered", "/studies/" + study + "/thumbnail",
                wadoUri(study, series, plain))) {
            HttpResponse<byte[]> response = researcher.get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).doesNotStartWith("image/");
            assertThatNothingIdentifies(response);
        }
    }

    @Test
    void wadoUriGivesTheResearcherTheDeidentifiedObject() {
        HttpResponse<byte[]> object = researcher.get(wadoUri(research.uid(study), research.uid(series), research.uid(plain))
                + "&contentType=application/dicom", null);
        assertThat(object.statusCode()).isEqualTo(200);
        assertThat(object.headers().firstValue("Content-Type")).hasValue("application/dicom");
        String bytes = new String(object.body(), StandardCharsets.ISO_8859_1);
        assertThat(bytes).contains(research.uid(plain)).contains(research.patientId("id:1CT1^")).contains("DICM");
        assertThatNothingIdentifies(object);

        HttpResponse<byte[]> jpeg = researcher.get(wadoUri(research.uid(study), research.uid(series), research.uid(plain)), null);
        assertThat(image(jpeg, "image/jpeg").getWidth()).isEqualTo(128);
    }

    @Test
    void theResearchersRenderedReadsAreAudited() {
        String thumbnail = pseudonymous(study, series, plain) + "/thumbnail";
        assertThat(researcher.get(thumbnail, null).statusCode()).isEqualTo(200);
        assertThat(researcher.get(path(study, series, plain) + "/thumbnail", null).statusCode()).isEqualTo(404);
        try (var audit = dataSources.forSchema("audit")) {
            JdbcTemplate jdbc = new JdbcTemplate(audit);
            List<String> reads = jdbc.queryForList("SELECT event_json::text FROM audit_outbox WHERE event_json::text LIKE ?",
                    String.class, "%" + thumbnail + "%");
            // The record is the site's own: it names the real study, so a privacy officer can tell what was seen.
            assertThat(reads).anySatisfy(event -> assertThat(event).contains("researcher").contains("urn:oid:" + study));
            List<String> misses = jdbc.queryForList("SELECT event_json::text FROM audit_outbox WHERE event_json::text LIKE ?",
                    String.class, "%" + path(study, series, plain) + "/thumbnail%");
            assertThat(misses).anySatisfy(event -> assertThat(event).contains("researcher").contains("404 not found"));
        }
    }

    /**
     * Printed for the report: what drawing from the de-identified object (de-identification, a
     * temporary file, rendering) costs against the stored one. The bound only catches a gross regression.
     */
    @Test
    void theCostOfTheResearchersRenderingIsMeasured() {
        double clinicianMs = medianMillis(clinician, path(study, series, burnedIn) + "/rendered");
        double researcherMs = medianMillis(researcher, pseudonymous(study, series, burnedIn) + "/rendered");
        System.out.printf("rendered cost: CT_small (128 x 128, 16 bits) as JPEG through HTTP, median of %d requests:"
                + " clinician %.1f ms, researcher (de-identified, pixel rule applied) %.1f ms%n", TIMED_REQUESTS, clinicianMs,
                researcherMs);
        assertThat(researcherMs).isLessThan(1000);
    }

    private static double medianMillis(DicomwebHttp http, String path) {
        for (int i = 0; i < 10; i++) {
            assertThat(http.get(path, "image/jpeg").statusCode()).isEqualTo(200);
        }
        long[] nanos = new long[TIMED_REQUESTS];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            assertThat(http.get(path, "image/jpeg").statusCode()).isEqualTo(200);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2] / 1e6;
    }

    private void assertThatNothingIdentifies(HttpResponse<byte[]> response) {
        List<String> identity = new ArrayList<>(IDENTITY);
        identity.addAll(List.of(study, series, plain, withheld, burnedIn));
        assertThat(new String(response.body(), StandardCharsets.ISO_8859_1)).doesNotContain(identity);
        assertThat(response.headers().map().toString()).doesNotContain(identity);
    }

    private static ParsedInstance parse(Path file) {
        try {
            return DicomObjects.parse(file);
        } catch (Exception e) {
            throw new AssertionError("not a readable DICOM object", e);
        }
    }

    private byte[] slice(String instance, String number, Map<String, String> changes) {
        return TestObjects.rewritten("CT_small.dcm", withUids(changes, instance, number));
    }

    private Map<String, String> withUids(Map<String, String> changes, String instance, String number) {
        Map<String, String> all = new HashMap<>(Map.of("StudyInstanceUID", study, "SeriesInstanceUID", series,
                "SOPInstanceUID", instance, "MediaStorageSOPInstanceUID", instance, "InstanceNumber", number));
        all.putAll(changes);
        return all;
    }

    private String pseudonymous(String... uids) {
        return path(Arrays.stream(uids).map(research::uid).toArray(String[]::new));
    }

    private static String path(String... uids) {
        String path = "/studies/" + uids[0] + (uids.length > 1 ? "/series/" + uids[1] : "");
        return uids.length > 2 ? path + "/instances/" + uids[2] : path;
    }

    private static String wadoUri(String study, String series, String instance) {
        return "/wado?requestType=WADO&studyUID=" + study + "&seriesUID=" + series + "&objectUID=" + instance;
    }

    private static boolean inRegion(int x, int y) {
        return x >= REGION[0] && x < REGION[0] + REGION[2] && y >= REGION[1] && y < REGION[1] + REGION[3];
    }

    private static String freshUid() {
        return "2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
    }

    /** The answer's image, after checking it is one: 200, of the media type asked for, decodable. */
    private static BufferedImage image(HttpResponse<byte[]> response, String mediaType) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(mediaType);
        return decode(response.body());
    }

    private static BufferedImage decode(byte[] bytes) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new AssertionError("unreadable image", e);
        }
        assertThat(image).as("a decodable image").isNotNull();
        return image;
    }

    private static int[] greys(BufferedImage image) {
        return image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (int[]) null);
    }
}
