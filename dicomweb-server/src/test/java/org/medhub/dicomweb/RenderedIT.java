package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.medhub.dicomweb.dicom.DicomObjects;
import org.medhub.dicomweb.dicom.ParsedInstance;
import org.medhub.dicomweb.dicom.TestObjects;
import org.medhub.dicomweb.stow.MultipartParts;
import org.medhub.platform.database.SchemaDataSources;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rendered and thumbnail resources, WADO-URI, transcoded retrieval and CORS through HTTP with
 * real tokens, on copies of pydicom corpus objects under fresh UIDs.
 */
@DicomwebServerTest
@TestInstance(Lifecycle.PER_CLASS)
class RenderedIT {

    private static final String ELE = "1.2.840.10008.1.2.1";

    @LocalServerPort
    int port;

    @Autowired
    SchemaDataSources dataSources;

    DicomwebHttp clinician;
    String ct;
    String mrRle;
    String jpegLs;
    String colourFrames;
    String plan;
    byte[] mrPixels;

    @BeforeAll
    void storeTestObjects() throws Exception {
        clinician = DicomwebHttp.as(port, "clinician");
        ct = store("CT_small.dcm");
        mrRle = store("MR_small_RLE.dcm");
        jpegLs = store("MR_small_jpeg_ls_lossless.dcm");
        colourFrames = store("SC_rgb_rle_2frame.dcm");
        plan = store("rtplan.dcm");
        mrPixels = DicomObjects.frames(TestObjects.TEST_FILES.resolve("MR_small.dcm"), new int[] {1})[0];
    }

    @Test
    void anInstanceRendersAsJpegOrPngOfItsSizeWithItsOwnWindow() {
        BufferedImage jpeg = image(clinician.get(ct + "/rendered", "image/jpeg"), "image/jpeg");
        assertThat(jpeg.getWidth()).isEqualTo(128);
        assertThat(jpeg.getHeight()).isEqualTo(128);
        assertThat(distinctGreys(jpeg)).isGreaterThan(20);
        BufferedImage png = image(clinician.get(ct + "/rendered?accept=image/png", "image/jpeg"), "image/png");
        assertThat(png.getWidth()).isEqualTo(128);
        assertThat(distinctGreys(png)).isGreaterThan(20);
    }

    @Test
    void theWindowParameterChangesWhatIsShown() {
        BufferedImage own = image(clinician.get(ct + "/rendered?accept=image/png", null), "image/png");
        BufferedImage binary = image(clinician.get(ct + "/rendered?accept=image/png&window=40,1,linear", null), "image/png");
        assertThat(distinctGreys(binary)).isEqualTo(2);
        BufferedImage sigmoid = image(clinician.get(ct + "/rendered?accept=image/png&window=40,400,sigmoid", null), "image/png");
        assertThat(greys(sigmoid)).isNotEqualTo(greys(own));
        assertThat(clinician.get(ct + "/rendered?window=40", null).statusCode()).isEqualTo(400);
        assertThat(clinician.get(ct + "/rendered?window=40,400,cubic", null).statusCode()).isEqualTo(400);
        assertThat(clinician.get(ct + "/rendered?quality=0", null).statusCode()).isEqualTo(400);
    }

    @Test
    void theViewportScalesAndCutsKeepingTheAspectRatio() {
        BufferedImage fitted = image(clinician.get(ct + "/rendered?viewport=64,32", null), "image/jpeg");
        assertThat(new int[] {fitted.getWidth(), fitted.getHeight()}).containsExactly(32, 32);
        BufferedImage region = image(clinician.get(ct + "/rendered?viewport=50,50,0,0,64,32", null), "image/jpeg");
        assertThat(new int[] {region.getWidth(), region.getHeight()}).containsExactly(50, 25);
        assertThat(clinician.get(ct + "/rendered?viewport=50", null).statusCode()).isEqualTo(400);
        assertThat(clinician.get(ct + "/rendered?viewport=50,50,500,500,10,10", null).statusCode()).isEqualTo(400);
    }

    @Test
    void thumbnailsAsOhifAsksForThemAtEveryLevel() {
        String series = ct.substring(0, ct.indexOf("/instances/"));
        String study = ct.substring(0, ct.indexOf("/series/"));
        for (String path : List.of(study, series, ct)) {
            HttpResponse<byte[]> ohif = clinician.get(path + "/thumbnail?accept=image/jpeg&viewport=256,256", "image/*");
            BufferedImage thumbnail = image(ohif, "image/jpeg");
            assertThat(thumbnail.getWidth()).as(path).isEqualTo(256);
            assertThat(distinctGreys(thumbnail)).isGreaterThan(20);
            assertThat(ohif.headers().firstValue("Cross-Origin-Resource-Policy")).hasValue("cross-origin");
            assertThat(image(clinician.get(path + "/thumbnail", null), "image/jpeg").getWidth()).isEqualTo(128);
        }
    }

    /** A measurement for the closing note (printed, not asserted: timings on a shared machine vary). */
    @Test
    void renderingLatencyThroughHttpIsReported() {
        for (String path : List.of(ct + "/thumbnail?viewport=256,256", mrRle + "/rendered", colourFrames + "/frames/2/rendered")) {
            long[] millis = new long[40];
            for (int i = 0; i < millis.length; i++) {
                long start = System.nanoTime();
                assertThat(clinician.get(path, "image/jpeg").statusCode()).isEqualTo(200);
                millis[i] = (System.nanoTime() - start) / 1_000_000;
            }
            long[] measured = Arrays.stream(millis).skip(10).sorted().toArray();
            System.out.printf("rendered: %s p50 %d ms, p95 %d ms (%d requests after 10 warm-up)%n",
                    path.substring(path.lastIndexOf('/') + 1), measured[measured.length / 2],
                    measured[(int) (measured.length * 0.95)], measured.length);
        }
    }

    @Test
    void framesOfAMultiFrameColourImageRenderOneByOne() {
        BufferedImage second = image(clinician.get(colourFrames + "/frames/2/rendered?accept=image/png", null), "image/png");
        assertThat(second.getWidth()).isEqualTo(100);
        assertThat(second.getRaster().getNumBands()).isEqualTo(3);
        assertThat(colours(second)).isGreaterThan(3);
        HttpResponse<byte[]> both = clinician.get(colourFrames + "/frames/1,2/rendered", null);
        assertThat(both.statusCode()).isEqualTo(200);
        assertThat(MultipartParts.parse(both.headers().firstValue("Content-Type").orElseThrow(), both.body())).hasSize(2);
        assertThat(clinician.get(colourFrames + "/frames/3/rendered", null).statusCode()).isEqualTo(404);

        String series = colourFrames.substring(0, colourFrames.indexOf("/instances/"));
        HttpResponse<byte[]> seriesRendered = clinician.get(series + "/rendered", "multipart/related; type=\"image/jpeg\"");
        assertThat(seriesRendered.statusCode()).isEqualTo(200);
        List<MultipartParts.Body> parts = MultipartParts.parse(seriesRendered.headers().firstValue("Content-Type").orElseThrow(),
                seriesRendered.body());
        assertThat(parts).hasSize(1);
        assertThat(decode(parts.get(0).bytes()).getWidth()).isEqualTo(100);
    }

    @Test
    void whatCannotBeRenderedIs406() {
        assertThat(clinician.get(ct + "/rendered?accept=image/gif", null).statusCode()).isEqualTo(406);
        assertThat(clinician.get(ct + "/rendered", "application/dicom").statusCode()).isEqualTo(406);
        assertThat(clinician.get(plan + "/rendered", null).statusCode()).as("not an image").isEqualTo(406);
        assertThat(clinician.get(jpegLs + "/rendered", null).statusCode()).as("no JPEG-LS decoder").isEqualTo(406);
        assertThat(clinician.get(ct.replaceAll("instances/.*", "instances/1.2.3") + "/rendered", null).statusCode()).isEqualTo(404);
    }

    @Test
    void anEncapsulatedPdfRendersAsItsDocumentForCrossOriginViewers() throws Exception {
        byte[] document = "%PDF-1.4\n% a test document\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        byte[] pdfObject = TestObjects.encapsulatedPdf(document);
        assertThat(clinician.stow("/studies", List.of(pdfObject)).statusCode()).isEqualTo(200);
        ParsedInstance parsed = parse(TestObjects.file(pdfObject));
        String path = "/studies/" + parsed.studyUid() + "/series/" + parsed.seriesUid() + "/instances/" + parsed.sopInstanceUid();
        HttpResponse<byte[]> pdf = clinician.get(path + "/rendered", "application/pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(pdf.headers().firstValue("Cross-Origin-Resource-Policy")).hasValue("cross-origin");
        assertThat(pdf.body()).isEqualTo(document);
        assertThat(clinician.get(path + "/rendered?accept=image/jpeg", null).statusCode()).isEqualTo(406);
    }

    @Test
    void retrieveInExplicitLittleEndianOnRequestHasTheSamePixels() throws IOException {
        HttpResponse<byte[]> response = clinician.get(mrRle,
                "multipart/related; type=\"application/dicom\"; transfer-syntax=" + ELE);
        assertThat(response.statusCode()).isEqualTo(200);
        MultipartParts.Body part = MultipartParts.parse(response.headers().firstValue("Content-Type").orElseThrow(),
                response.body()).get(0);
        assertThat(part.headers().get("content-type")).isEqualTo("application/dicom; transfer-syntax=" + ELE);
        var file = TestObjects.file(part.bytes());
        assertThat(parse(file).transferSyntaxUid()).isEqualTo(ELE);
        assertThat(DicomObjects.frames(file, new int[] {1})[0]).isEqualTo(mrPixels);

        assertThat(clinician.get(jpegLs, "multipart/related; type=\"application/dicom\"; transfer-syntax=" + ELE)
                .statusCode()).isEqualTo(406);
    }

    @Test
    void framesOfCompressedImagesDecodedByDefaultOrAsStoredOnRequest() {
        HttpResponse<byte[]> decoded = clinician.get(mrRle + "/frames/1", "multipart/related; type=\"application/octet-stream\"");
        MultipartParts.Body plain = parts(decoded).get(0);
        assertThat(plain.headers().get("content-type")).isEqualTo("application/octet-stream; transfer-syntax=" + ELE);
        assertThat(plain.bytes()).isEqualTo(mrPixels);

        // OHIF's default Accept: the stored RLE bit stream, its syntax named in the part (PITFALLS.md).
        HttpResponse<byte[]> asStored = clinician.get(mrRle + "/frames/1",
                "multipart/related; type=application/octet-stream; transfer-syntax=*");
        MultipartParts.Body rle = parts(asStored).get(0);
        assertThat(rle.headers().get("content-type")).isEqualTo("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.5");
        assertThat(rle.bytes()).isNotEqualTo(mrPixels);

        HttpResponse<byte[]> typed = clinician.get(mrRle + "/frames/1",
                "multipart/related; type=\"image/dicom-rle\"; transfer-syntax=1.2.840.10008.1.2.5");
        assertThat(parts(typed).get(0).headers().get("content-type")).isEqualTo("image/dicom-rle; transfer-syntax=1.2.840.10008.1.2.5");
        assertThat(parts(typed).get(0).bytes()).isEqualTo(rle.bytes());

        assertThat(clinician.get(jpegLs + "/frames/1", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=" + ELE)
                .statusCode()).isEqualTo(406);
    }

    @Test
    void wadoUriGivesTheObjectOrARenderedImage() throws IOException {
        String[] uids = mrRle.replace("/studies/", "").split("/series/|/instances/");
        String query = "/wado?requestType=WADO&studyUID=" + uids[0] + "&seriesUID=" + uids[1] + "&objectUID=" + uids[2];
        BufferedImage jpeg = image(clinician.get(query, null), "image/jpeg");
        assertThat(jpeg.getWidth()).isEqualTo(64);
        assertThat(image(clinician.get(query + "&contentType=image/png&rows=32", null), "image/png").getHeight()).isEqualTo(32);
        BufferedImage windowed = image(clinician.get(query + "&contentType=image/png&windowCenter=600&windowWidth=1", null), "image/png");
        assertThat(distinctGreys(windowed)).isEqualTo(2);

        HttpResponse<byte[]> dicom = clinician.get(query + "&contentType=application/dicom", null);
        assertThat(dicom.statusCode()).isEqualTo(200);
        assertThat(dicom.headers().firstValue("Content-Type")).hasValue("application/dicom");
        var file = TestObjects.file(dicom.body());
        assertThat(parse(file).transferSyntaxUid()).isEqualTo(ELE);
        assertThat(DicomObjects.frames(file, new int[] {1})[0]).isEqualTo(mrPixels);
        HttpResponse<byte[]> stored = clinician.get(query + "&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2.5", null);
        assertThat(parse(TestObjects.file(stored.body())).transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.5");

        assertThat(clinician.get(query + "&contentType=image/gif", null).statusCode()).isEqualTo(406);
        assertThat(clinician.get(query + "&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2.4.50", null)
                .statusCode()).isEqualTo(406);
        assertThat(clinician.get(query + "&windowCenter=600", null).statusCode()).isEqualTo(400);
        assertThat(clinician.get(query.replace("requestType=WADO", "requestType=QIDO"), null).statusCode()).isEqualTo(400);
        assertThat(clinician.get(query.replaceAll("&objectUID=.*", ""), null).statusCode()).isEqualTo(400);
        assertThat(clinician.get(query.replaceAll("objectUID=.*", "objectUID=1.2.3"), null).statusCode()).isEqualTo(404);
        assertThat(clinician.get(query + "&frameNumber=2", null).statusCode()).isEqualTo(404);
    }

    @Test
    void eachRoleGetsExactlyThePermissionsOfTheSecurityModel() {
        String[] uids = ct.replace("/studies/", "").split("/series/|/instances/");
        String wado = "/wado?requestType=WADO&studyUID=" + uids[0] + "&seriesUID=" + uids[1] + "&objectUID=" + uids[2];
        Map<String, List<Integer>> expected = new LinkedHashMap<>();
        // rendered, thumbnail, WADO-URI
        expected.put("admin", List.of(200, 200, 200));
        expected.put("clinician", List.of(200, 200, 200));
        expected.put("viewer", List.of(200, 200, 200));
        expected.put("researcher", List.of(403, 403, 403));
        expected.put("anonymous", List.of(401, 401, 401));
        Map<String, List<Integer>> actual = new LinkedHashMap<>();
        for (String user : expected.keySet()) {
            DicomwebHttp http = user.equals("anonymous") ? DicomwebHttp.anonymous(port) : DicomwebHttp.as(port, user);
            actual.put(user, List.of(http.get(ct + "/rendered", null).statusCode(),
                    http.get(ct + "/thumbnail", null).statusCode(), http.get(wado, null).statusCode()));
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void renderedAndWadoUriAccessesAreAudited() {
        String[] uids = ct.replace("/studies/", "").split("/series/|/instances/");
        DicomwebHttp viewer = DicomwebHttp.as(port, "viewer");
        assertThat(viewer.get(ct + "/thumbnail", null).statusCode()).isEqualTo(200);
        assertThat(viewer.get("/wado?requestType=WADO&studyUID=" + uids[0] + "&seriesUID=" + uids[1] + "&objectUID="
                + uids[2], null).statusCode()).isEqualTo(200);
        try (var audit = dataSources.forSchema("audit")) {
            JdbcTemplate jdbc = new JdbcTemplate(audit);
            for (String path : List.of(ct + "/thumbnail", "/dicomweb/wado")) {
                List<String> events = jdbc.queryForList("SELECT event_json::text FROM audit_outbox WHERE event_json::text LIKE ?",
                        String.class, "%" + path + "%");
                assertThat(events).as(path).anySatisfy(event -> assertThat(event)
                        .contains("urn:oid:" + uids[0]).contains("viewer"));
            }
        }
    }

    @Test
    void corsAnswersPreflightsForTheConfiguredOriginOnly() {
        HttpResponse<byte[]> preflight = clinician.send("OPTIONS", "/studies", "Origin", "https://viewer.example.org",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization, accept");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://viewer.example.org");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization").contains("accept");

        HttpResponse<byte[]> stranger = clinician.send("OPTIONS", "/studies", "Origin", "https://evil.example.com",
                "Access-Control-Request-Method", "GET");
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        // A refusal must reach the viewer's code, so it carries the CORS headers too.
        HttpResponse<byte[]> unauthorised = DicomwebHttp.anonymous(port).send("GET", "/studies",
                "Origin", "https://viewer.example.org");
        assertThat(unauthorised.statusCode()).isEqualTo(401);
        assertThat(unauthorised.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://viewer.example.org");
        HttpResponse<byte[]> search = clinician.send("GET", "/studies?limit=1", "Origin", "https://viewer.example.org");
        assertThat(search.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Warning");
    }

    /** Stores a copy of a corpus file under fresh UIDs; its WADO-RS instance path. */
    private String store(String name) throws Exception {
        byte[] copy = TestObjects.withNewUids(name);
        HttpResponse<byte[]> response = clinician.stow("/studies", List.of(copy));
        assertThat(response.statusCode()).as(name + ": " + new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        ParsedInstance parsed = parse(TestObjects.file(copy));
        return "/studies/" + parsed.studyUid() + "/series/" + parsed.seriesUid() + "/instances/" + parsed.sopInstanceUid();
    }

    private static ParsedInstance parse(java.nio.file.Path file) {
        try {
            return DicomObjects.parse(file);
        } catch (Exception e) {
            throw new AssertionError("not a readable DICOM object", e);
        }
    }

    private static List<MultipartParts.Body> parts(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return MultipartParts.parse(response.headers().firstValue("Content-Type").orElseThrow(), response.body());
    }

    private static BufferedImage image(HttpResponse<byte[]> response, String mediaType) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(mediaType);
        return decode(response.body());
    }

    private static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertThat(image).as("decodable image").isNotNull();
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] greys(BufferedImage image) {
        return image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (int[]) null);
    }

    private static long distinctGreys(BufferedImage image) {
        return Arrays.stream(greys(image)).distinct().count();
    }

    private static long colours(BufferedImage image) {
        return Arrays.stream(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()))
                .distinct().count();
    }
}
