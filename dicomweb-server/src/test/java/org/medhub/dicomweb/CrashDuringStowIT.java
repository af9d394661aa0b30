package org.medhub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.dicomweb.standalone.DicomwebServerApplication;
import org.medhub.dicomweb.stow.MultipartParts;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;

/**
 * The server process is killed with SIGKILL in the middle of a large STOW-RS and started again on
 * the same store and database: afterwards the index and the store agree (ARCHITECTURE.md, "Data":
 * no index row without its file, no stored file left invisible).
 *
 * <p>The standalone DICOMweb server runs as a separate JVM (this test's class path, its own data
 * directory), so the kill is a real one: no shutdown hook, no finally block, the upload cut off at
 * an arbitrary byte. The database is a PostgreSQL started by the test, as an external database the
 * server connects to, so it outlives the killed process as a production database would.
 */
@ExtendWith(KeycloakExtension.class)
class CrashDuringStowIT {

    /** Distinct CT slices sent in the upload: about 390 MB. */
    private static final int INSTANCES = 10_000;
    /** Committed objects in the store before the kill: part of the upload, not all of it. */
    private static final int STORED_BEFORE_KILL = 150;
    private static final String BOUNDARY = "crash-test-boundary";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private final Path dataDirectory = Path.of("target", "it-data", "crash-" + UUID.randomUUID()).toAbsolutePath();
    private final Path objects = dataDirectory.resolve("dicom").resolve("objects");
    private EmbeddedPostgres database;
    private Process server;

    @BeforeEach
    void startDatabase() throws IOException {
        database = EmbeddedPostgres.builder().setDataDirectory(dataDirectory.resolve("postgres"))
                .setCleanDataDirectory(true).start();
    }

    @AfterEach
    void stopAll() throws IOException {
        if (server != null) {
            server.destroyForcibly();
        }
        database.close();
    }

    @Test
    void killedInTheMiddleOfALargeStowTheServerRestartsWithStoreAndIndexConsistent(KeycloakTestServer keycloak)
            throws Exception {
        CtVariants upload = new CtVariants(Files.readAllBytes(DicomwebIT.TEST_FILES.resolve("CT_small.dcm")));
        int port = startServer(keycloak);
        CompletableFuture<HttpResponse<String>> stow = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/dicomweb/studies"))
                        .header("Authorization", "Bearer " + keycloak.token("clinician"))
                        .header("Content-Type", DicomwebHttp.DICOM_RELATED + "; boundary=" + BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(upload::multipart), upload.multipartLength()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        awaitStoredObjects(STORED_BEFORE_KILL, stow);
        server.destroyForcibly().waitFor();
        assertThat(stow).failsWithin(Duration.ofMinutes(1));

        port = startServer(keycloak);
        DicomwebHttp clinician = DicomwebHttp.as(port, "clinician");

        // The store: no upload left half-written, every object complete (its name is its SHA-256).
        assertThat(listFiles(dataDirectory.resolve("dicom").resolve("tmp"))).isEmpty();
        Set<String> stored = new HashSet<>();
        for (Path file : listFiles(objects)) {
            String hash = sha256(Files.readAllBytes(file));
            assertThat(file.getFileName()).hasToString(hash + ".dcm");
            stored.add(hash);
        }

        // The index: what QIDO lists is exactly what the store holds, and its counts agree.
        Set<String> indexed = indexedInstances(clinician, upload.studyUid());
        // Parts are committed one after the other (once the whole body is staged), so the kill finds at most
        // one object committed but not yet indexed; the start-up repair removes it, and the store must then hold exactly what is indexed.
        assertThat(indexed).hasSizeGreaterThanOrEqualTo(STORED_BEFORE_KILL - 1).hasSizeLessThan(INSTANCES);
        Set<String> expectedFiles = new HashSet<>();
        for (String sop : indexed) {
            expectedFiles.add(sha256(upload.instance(upload.number(sop))));
        }
        assertThat(stored).isEqualTo(expectedFiles);
        JsonNode study = clinician.json("/studies?StudyInstanceUID=" + upload.studyUid()).get(0);
        assertThat(DicomwebHttp.value(study, "00201208")).isEqualTo(String.valueOf(indexed.size()));

        // WADO-RS returns every indexed instance byte for byte.
        List<MultipartParts.Body> parts = DicomwebHttp.parts(
                clinician.get("/studies/" + upload.studyUid(), DicomwebHttp.DICOM_RELATED));
        Set<String> retrieved = new HashSet<>();
        for (MultipartParts.Body part : parts) {
            retrieved.add(sha256(part.bytes()));
        }
        assertThat(retrieved).isEqualTo(expectedFiles);

        // The rest of the upload can be sent again: the server stores what it did not have.
        String last = upload.sopUid(INSTANCES - 1);
        assertThat(clinician.stow("/studies", List.of(upload.instance(INSTANCES - 1))).statusCode()).isEqualTo(200);
        assertThat(clinician.json("/instances?SOPInstanceUID=" + last)).hasSize(1);
    }

    /** Starts the standalone server on a free port on this test's class path and waits for readiness. */
    private int startServer(KeycloakTestServer keycloak) throws IOException, InterruptedException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-cp", classPath(), DicomwebServerApplication.class.getName(),
                "--server.port=" + port,
                "--medhub.dicomweb.limits.max-parts=" + INSTANCES,
                // The test realm's service secrets are dev material: only a dev-mode start accepts them.
                "--medhub.dev-mode=true",
                "--medhub.data-directory=" + dataDirectory,
                "--medhub.database.url=" + database.getJdbcUrl("postgres", "postgres"),
                "--medhub.database.username=postgres",
                "--medhub.database.password=postgres",
                "--" + KeycloakExtension.ISSUER_PROPERTY + "=" + keycloak.issuer()));
        keycloak.serviceClientProperties().forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = dataDirectory.resolve("server-" + System.nanoTime() + ".log");
        server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited with " + server.exitValue() + ", see " + log);
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return port;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the server was not ready within " + READY_TIMEOUT + ", see " + log);
    }

    /** The test class path, which holds the server and all it needs (surefire's own property when it forks). */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private void awaitStoredObjects(int count, CompletableFuture<?> stow) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (listFiles(objects).size() < count) {
            if (stow.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("the upload ended or stalled before " + count + " objects were stored: "
                        + stow);
            }
            Thread.sleep(50);
        }
    }

    /** SOP Instance UIDs QIDO-RS lists in the study, page by page. */
    private static Set<String> indexedInstances(DicomwebHttp client, String study) {
        Set<String> sops = new HashSet<>();
        for (int offset = 0; ; offset += 1000) {
            JsonNode page = client.json("/studies/" + study + "/instances?limit=1000&offset=" + offset);
            page.forEach(instance -> sops.add(DicomwebHttp.value(instance, "00080018")));
            if (page.size() < 1000) {
                return sops;
            }
        }
    }

    private static List<Path> listFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /**
     * Distinct instances made from one real CT slice by changing the last component of its SOP
     * Instance UID (in the file meta information and the data set) to another five-digit number, so
     * every byte length stays valid.
     */
    private static final class CtVariants {

        private static final String SOP_UID = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
        private static final String SOP_PREFIX = SOP_UID.substring(0, SOP_UID.length() - 5);
        private static final int FIRST_NUMBER = 10_000;

        private final byte[] template;
        private final List<Integer> uidOffsets = new ArrayList<>();

        CtVariants(byte[] template) {
            this.template = template;
            byte[] uid = SOP_UID.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i + uid.length <= template.length; i++) {
                if (java.util.Arrays.equals(template, i, i + uid.length, uid, 0, uid.length)) {
                    uidOffsets.add(i + uid.length - 5);
                }
            }
            assertThat(uidOffsets).as("SOP Instance UID in file meta and data set").hasSize(2);
        }

        String studyUid() {
            return DicomwebIT.CT_STUDY;
        }

        String sopUid(int n) {
            return SOP_PREFIX + (FIRST_NUMBER + n);
        }

        int number(String sopUid) {
            return Integer.parseInt(sopUid.substring(SOP_PREFIX.length())) - FIRST_NUMBER;
        }

        byte[] instance(int n) {
            byte[] copy = template.clone();
            byte[] digits = String.valueOf(FIRST_NUMBER + n).getBytes(StandardCharsets.US_ASCII);
            for (int offset : uidOffsets) {
                System.arraycopy(digits, 0, copy, offset, digits.length);
            }
            return copy;
        }

        private byte[] partHeader() {
            return ("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        private byte[] closing() {
            return ("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        long multipartLength() {
            return (long) INSTANCES * (partHeader().length + template.length + 2) + closing().length;
        }

        /** The whole upload, generated part by part as it is read: it is never in memory at once. */
        InputStream multipart() {
            return new SequenceInputStream(new Enumeration<InputStream>() {
                private int next;

                @Override
                public boolean hasMoreElements() {
                    return next <= INSTANCES;
                }

                @Override
                public InputStream nextElement() {
                    if (next++ == INSTANCES) {
                        return new ByteArrayInputStream(closing());
                    }
                    return new SequenceInputStream(new ByteArrayInputStream(partHeader()), new ByteArrayInputStream(
                            concat(instance(next - 1), "\r\n".getBytes(StandardCharsets.US_ASCII))));
                }
            });
        }

        private static byte[] concat(byte[] first, byte[] second) {
            byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            return both;
        }
    }
}
