package org.medhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * of a role that may not train and of a server that is not there.
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
