package org.medhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.medhub.cli.exit.ExitCode;
import org.medhub.cli.MedHubCli;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Java command line ({@code cli}, what {@code ./medhub train} runs) against the all-in-one server
 * and the test Keycloak, over HTTP as a user would run it: a researcher's token from the dev user's
 * password grant, an admin's from {@code MEDHUB_TOKEN}, and the exit codes of data the server refuses,
 * of a role that may not train and of a server that is not there; FHIR bundles loaded in Synthea's
 * order (what {@code ./medhub demo-data} does after Synthea) and a cohort spec trained on them; the
 * packaged jar stopped while it follows a run, which cancels the run.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = MedHubApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "medhub.database.data-directory=target/it-postgres/cli-${random.uuid}",
            "medhub.data-directory=target/it-data/cli-${random.uuid}",
            "medhub.ml.worker-threads=2"
        })
@TestInstance(Lifecycle.PER_CLASS)
class CommandLineIT {

    /** One algorithm and three folds: the test is about the command line, not about the search. */
    private static final List<String> QUICK = List.of("--algorithms", "LOGISTIC_REGRESSION", "--folds", "3");

    @LocalServerPort
    int port;

    final KeycloakTestServer keycloak = KeycloakTestServer.shared();
    Path csv;

    @BeforeAll
    void writeCohort(@TempDir Path dir) throws IOException {
        csv = Files.writeString(dir.resolve("CLI_Cohort.csv"), cohort(200));
    }

    @Test
    void aResearcherTrainsOnACsvAndTheVersionWaitsForAnAdmin() {
        Run run = cli(Map.of(), "--user", "researcher", "train", "--data", csv.toString(), "--target", "event",
                "--positive-class", "yes", "--exclude", "id");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("Uploading " + csv + " ...", "Training 'cli-cohort' ...",
                "Registered cli-cohort v1 (LOGISTIC_REGRESSION); proposed: an admin activates it"
                        + " (POST /ml/api/models/cli-cohort/versions/1/activate with {\"reason\": ...})");
        assertThat(run.out()).containsPattern("\n  \\S+ rows, \\S+ positive \\(yes\\), features: age NUMERIC, sex CATEGORICAL,"
                + " sbp NUMERIC, smoker CATEGORICAL\n");
        assertThat(run.out()).containsPattern("\n  held out \\(\\S+ rows, \\S+ positive\\): AUC 0\\.\\d+, average precision");
        assertThat(run.err()).contains("] 100%  ");
    }

    @Test
    void anAdminTokenFromMedhubTokenTrainsAnActiveFirstVersion() {
        Run run = cli(Map.of("MEDHUB_TOKEN", keycloak.token("admin")), "train", "--data", csv.toString(),
                "--target", "event", "--positive-class", "yes", "--exclude", "id", "--model", "cli-admin");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("Training 'cli-admin' ...", "Registered cli-admin v1 (LOGISTIC_REGRESSION), active");
    }

    @Test
    void dataTheServerRefusesIsBadInputWithTheServersReason() {
        Run run = cli(Map.of(), "train", "--data", csv.toString(), "--target", "outcome");
        assertThat(run.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err()).startsWith("medhub: the dataset was refused: ").contains("outcome");
    }

    @Test
    void aViewerMayNotTrain() {
        Run run = cli(Map.of(), "--user", "viewer", "train", "--data", csv.toString(), "--target", "event");
        assertThat(run.code()).isEqualTo(ExitCode.NOT_ALLOWED);
        assertThat(run.err()).startsWith("medhub: the dataset was refused: ");
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() throws IOException {
        String nowhere;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nowhere = "http://127.0.0.1:" + socket.getLocalPort();
        }
        Run run = new Run(Map.of(), "--server", nowhere, "--issuer", keycloak.issuer(), "train", "--data",
                csv.toString(), "--target", "event");
        assertThat(run.code()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.err()).isEqualTo("medhub: MedHub is not running at " + nowhere
                + "; start it first (./medhub up --detach)" + System.lineSeparator());
    }

    @Test
    void syntheaStyleBundlesLoadAndAFhirCohortTrainsFromASpec(@TempDir Path bundles) throws IOException {
        writeCohortBundles(bundles, 60);
        Run load = cli(Map.of(), "--user", "admin", "load-bundles", bundles.toString());
        assertThat(load.code()).as(load.out() + load.err()).isEqualTo(ExitCode.OK);
        assertThat(load.out()).contains("Loading 61 bundles into http://localhost:" + port + "/fhir ...",
                        "  [1/61] hospitalInformation1 ")
                .containsPattern("\\n  \\[61/61] patient-\\d+ +[23] resources in +\\d+\\.\\d\\ds\\n")
                .containsPattern("\\nLoaded \\d+ resources from 61 bundles in \\d+s");

        Path spec = Files.writeString(bundles.resolveSibling(bundles.getFileName() + "-cohort.yaml"), """
                name: cli-cohort
                indexDate: 2018-01-01
                minAge: 30
                maxAge: 90
                label:
                  name: event
                  horizonYears: 5
                  condition: {system: http://snomed.info/sct, codes: ["22298006"]}
                features:
                  - name: age
                    patient: age
                  - name: sex
                    patient: sex
                  - name: sbp
                    observation: {system: http://loinc.org, codes: ["8480-6"]}
                training:
                  modelName: cli-fhir
                """);
        Run train = cli(Map.of(), "--user", "admin", "train", "--fhir-spec", spec.toString());
        assertThat(train.code()).as(train.out() + train.err()).isEqualTo(ExitCode.OK);
        assertThat(train.out()).contains("Pulling the FHIR cohort of " + spec + " ...",
                "in the cohort (index date 2018-01-01)", "Training 'cli-fhir' ...",
                "Registered cli-fhir v1 (LOGISTIC_REGRESSION), active");
    }

    @Test
    void aBundleTheServerRefusesIsReportedAndTheRestStillLoad(@TempDir Path bundles) throws IOException {
        Files.writeString(bundles.resolve("broken.json"), """
                {"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient",
                 "birthDate":"not a date"},"request":{"method":"POST","url":"Patient"}}]}""");
        writeCohortBundles(bundles, 1);
        Run load = cli(Map.of(), "--user", "admin", "load-bundles", bundles.toString());
        assertThat(load.code()).isEqualTo(ExitCode.FAILED);
        assertThat(load.out()).contains("  [2/3] broken                                        FAILED (HTTP 400): ")
                .containsPattern("\\n  \\[3/3] patient-0 +[23] resources in ")
                .containsPattern("\\nLoaded \\d+ resources from 2 bundles in ");
    }

    @Test
    void stoppingTheCommandLineCancelsTheRunItFollows() throws Exception {
        Path jar = Path.of("..", "cli", "target", "medhub-cli.jar").toAbsolutePath().normalize();
        assertThat(jar).as("built by the reactor before this module (-am)").exists();
        Path large = Files.writeString(csv.resolveSibling("cancelled.csv"), cohort(4000));
        ProcessBuilder command = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                        jar.toString(), "--server", "http://localhost:" + port, "train", "--data", large.toString(),
                        "--target", "event", "--exclude", "id", "--folds", "5")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        command.environment().put("MEDHUB_TOKEN", keycloak.token("admin"));
        Process cli = command.start();
        List<String> errors = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(cli.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                errors.add(line);
                if (line.matches("  \\[[#.]+] +\\d+%.*")) {
                    // SIGTERM, which runs the JVM's shutdown hooks as Ctrl-C's SIGINT does; through the
                    // handle, because Process.destroy() also closes the stream this test still reads
                    cli.toHandle().destroy();
                }
            }
        }
        assertThat(cli.waitFor()).as(String.join("\n", errors)).isEqualTo(143);
        assertThat(errors).contains("  Cancelling the training run ...", "  The training run was cancelled.");
    }

    /** The command line pointed at this test's server and Keycloak; quick training options appended to train. */
    private Run cli(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", "http://localhost:" + port, "--issuer", keycloak.issuer()));
        all.addAll(List.of(args));
        if (all.contains("train")) {
            all.addAll(QUICK);
        }
        return new Run(env, all.toArray(String[]::new));
    }

    /** One run of the command line in this JVM (not on a terminal): exit code and both streams. */
    record Run(int code, String out, String err) {
        Run(Map<String, String> env, String... args) {
            this(new StringWriter(), new StringWriter(), env, args);
        }

        private Run(StringWriter out, StringWriter err, Map<String, String> env, String... args) {
            this(MedHubCli.execute(env, new PrintWriter(out), new PrintWriter(err), false, args), out.toString(),
                    err.toString());
        }
    }

    /**
     * Bundles shaped like Synthea's: an organization bundle, then one transaction per patient (Patient,
     * a systolic blood pressure before the index date, for some a myocardial infarction after it) whose
     * Patient names the organization by a conditional reference, which only resolves once the
     * organization is stored: so the command line must load hospitalInformation first.
     */
    private static void writeCohortBundles(Path directory, int patients) throws IOException {
        Files.writeString(directory.resolve("hospitalInformation1.json"), """
                {"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:0d0c1e25-0000-4000-8000-000000000001",
                 "resource":{"resourceType":"Organization","identifier":[{"system":"urn:medhub:cli-it","value":"org-1"}],
                 "name":"CLI test hospital"},
                 "request":{"method":"POST","url":"Organization","ifNoneExist":"identifier=urn:medhub:cli-it|org-1"}}]}""");
        Random random = new Random(2026);
        for (int i = 0; i < patients; i++) {
            int born = 1935 + random.nextInt(50);
            int sbp = 105 + random.nextInt(70);
            boolean event = random.nextDouble() < (born < 1960 ? 0.3 : 0.1) + (sbp - 105) / 70.0 * 0.4;
            String patient = "urn:uuid:" + new UUID(random.nextLong(), random.nextLong());
            List<String> entries = new ArrayList<>(List.of("""
                    {"fullUrl":"%s","resource":{"resourceType":"Patient","identifier":[{"system":"urn:medhub:cli-it",
                     "value":"p%d"}],"gender":"%s","birthDate":"%d-03-15",
                     "managingOrganization":{"reference":"Organization?identifier=urn:medhub:cli-it|org-1"}},
                     "request":{"method":"POST","url":"Patient"}}""".formatted(patient, i,
                    random.nextBoolean() ? "female" : "male", born), """
                    {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":
                     "http://loinc.org","code":"8480-6"}]},"subject":{"reference":"%s"},"effectiveDateTime":"2017-06-01",
                     "valueQuantity":{"value":%d,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
                     "request":{"method":"POST","url":"Observation"}}""".formatted(patient, sbp)));
            if (event) {
                entries.add("""
                        {"resource":{"resourceType":"Condition","code":{"coding":[{"system":"http://snomed.info/sct",
                         "code":"22298006"}]},"subject":{"reference":"%s"},"onsetDateTime":"2020-06-01"},
                         "request":{"method":"POST","url":"Condition"}}""".formatted(patient));
            }
            Files.writeString(directory.resolve("patient-" + i + ".json"),
                    "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}");
        }
    }

    /**
     * A seeded table in which older patients with higher blood pressure who smoke have more events,
     * so that a model has something to learn.
     */
    private static String cohort(int rows) {
        Random random = new Random(15);
        StringBuilder csv = new StringBuilder("id,age,sex,sbp,smoker,event\n");
        for (int i = 0; i < rows; i++) {
            int age = 35 + random.nextInt(45);
            int sbp = 105 + random.nextInt(60);
            boolean smoker = random.nextInt(3) == 0;
            double risk = (age - 35) / 45.0 * 0.5 + (sbp - 105) / 60.0 * 0.3 + (smoker ? 0.2 : 0);
            csv.append("c").append(i).append(',').append(age).append(',').append(random.nextBoolean() ? "F" : "M")
                    .append(',').append(sbp).append(',').append(smoker ? "current" : "never").append(',')
                    .append(random.nextDouble() < risk ? "yes" : "no").append('\n');
        }
        return csv.toString();
    }
}
