package org.medhub.dicomweb.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.medhub.dicomweb.dicom.PatientRewrite;

/**
 * Demo images for the demo patients ({@code ./medhub up}, first start): real images from Debian's
 * pydicom corpus, rewritten per FHIR Patient (PatientID and IssuerOfPatientID = the patient's
 * medical record number and its system, so that publication to FHIR links the ImagingStudy to that
 * same Patient) and stored through STOW-RS.
 *
 * <p>Usage: {@code DemoImages <server base URL> <corpus directory>}, with an admin access token in
 * the environment variable {@code MEDHUB_TOKEN} (not an argument: arguments show in the process list).
 * UIDs derive from the patient and the image, so running it again stores nothing new.
 */
public final class DemoImages {

    /** One CT and one MR per patient: small, uncompressed, and drawn by OHIF. */
    static final List<String> IMAGES = List.of("CT_small.dcm", "MR_small.dcm");
    static final String MEDICAL_RECORD_NUMBER = "MR";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final String token;

    DemoImages(String base, String token) {
        this.base = base.replaceAll("/+$", "");
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        String token = System.getenv("MEDHUB_TOKEN");
        if (args.length != 2 || token == null || token.isBlank()) {
            System.err.println("usage: MEDHUB_TOKEN=<admin token> DemoImages <server base URL> <corpus directory>");
            System.exit(2);
        }
        Path corpus = Path.of(args[1]);
        DemoImages demo = new DemoImages(args[0], token);
        List<PatientRewrite> patients = demo.patients();
        Path work = Files.createTempDirectory("medhub-demo-images");
        int stored = 0;
        for (PatientRewrite patient : patients) {
            for (String image : IMAGES) {
                Path file = work.resolve(patient.patientId() + "-" + image);
                patient.apply(corpus.resolve(image), file, uid(patient, image, "study"), uid(patient, image, "series"),
                        uid(patient, image, "instance"));
                demo.stow(file);
                Files.delete(file);
                stored++;
            }
        }
        Files.delete(work);
        System.out.printf("  Stored %d demo images for %d patients through STOW-RS%n", stored, patients.size());
    }

    /** Every Patient on /fhir with a medical record number (Synthea gives each one). */
    List<PatientRewrite> patients() throws IOException, InterruptedException {
        List<PatientRewrite> patients = new ArrayList<>();
        String next = base + "/fhir/Patient?_count=100&_elements=identifier,name,birthDate,gender";
        while (next != null) {
            JsonNode bundle = json.readTree(send(HttpRequest.newBuilder(URI.create(next))
                    // no-cache: HAPI would otherwise answer a repeated search from its cache for a minute,
                    // leaving out the patients demo-data has just loaded.
                    .header("Accept", "application/fhir+json").header("Cache-Control", "no-cache").GET(), "search patients"));
            for (JsonNode entry : bundle.path("entry")) {
                patient(entry.path("resource")).ifPresent(patients::add);
            }
            next = null;
            for (JsonNode link : bundle.path("link")) {
                if (link.path("relation").asText().equals("next")) {
                    next = link.path("url").asText();
                }
            }
        }
        return patients;
    }

    static java.util.Optional<PatientRewrite> patient(JsonNode patient) {
        for (JsonNode identifier : patient.path("identifier")) {
            for (JsonNode coding : identifier.path("type").path("coding")) {
                if (coding.path("code").asText().equals(MEDICAL_RECORD_NUMBER)) {
                    JsonNode name = patient.path("name").path(0);
                    List<String> given = new ArrayList<>();
                    name.path("given").forEach(g -> given.add(g.asText()));
                    // Synthea appends digits to names; the PN keeps them as they are in FHIR.
                    String personName = name.path("family").asText("") + "^" + String.join(" ", given);
                    String birthDate = patient.path("birthDate").asText("").replace("-", "");
                    return java.util.Optional.of(new PatientRewrite(identifier.path("value").asText(),
                            identifier.path("system").asText(), personName,
                            birthDate.length() == 8 ? birthDate : null, sex(patient.path("gender").asText(""))));
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static String sex(String gender) {
        return switch (gender) {
            case "male" -> "M";
            case "female" -> "F";
            case "other" -> "O";
            default -> null;
        };
    }

    /** A UID under 2.25 (PS3.5 B.2) derived from the patient and image, so reruns are idempotent. */
    static String uid(PatientRewrite patient, String image, String level) {
        UUID uuid = UUID.nameUUIDFromBytes((patient.issuerOfPatientId() + "|" + patient.patientId() + "|" + image + "|"
                + level).getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, bytes.array());
    }

    private void stow(Path file) throws IOException, InterruptedException {
        String boundary = "medhub-demo-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(Files.readAllBytes(file));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        send(HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), "store " + file.getFileName());
    }

    private String send(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(what + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
