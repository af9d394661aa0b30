package org.medhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medhub.cli.exit.ExitCode;

/** Argument parsing, help and the exit codes that need no server (nothing listens where they point). */
class MedHubCliTest {

    @TempDir
    Path dir;

    @Test
    void withoutACommandItIsBadInputAndListsTheCommands() {
        CommandLineRun run = CommandLineRun.of(Map.of());
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err()).contains("a command is needed", "train", "load-bundles", "token", "Exit codes:");
    }

    @Test
    void trainHelpNamesEveryOptionTheLauncherAccepted() {
        CommandLineRun run = CommandLineRun.of(Map.of(), "train", "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("Usage: medhub train", "--data=FILE.csv", "--target=COLUMN",
                "--positive-class=VALUE", "--exclude=COLUMN", "--fhir-spec=FILE.yaml", "--model=NAME",
                "--algorithms=A,B", "--folds=N", "--search=GRID|RANDOM");
    }

    @Test
    void trainNeedsDataOrASpec() {
        assertBadInput(CommandLineRun.of(Map.of(), "train"), "train needs --data FILE.csv --target COLUMN, or --fhir-spec");
    }

    @Test
    void trainTakesDataOrASpecNotBoth() throws IOException {
        Path csv = csv();
        assertBadInput(CommandLineRun.of(Map.of(), "train", "--data", csv.toString(), "--target", "event",
                "--fhir-spec", csv.toString()), "give either --data or --fhir-spec, not both");
    }

    @Test
    void aCsvNeedsItsTarget() throws IOException {
        assertBadInput(CommandLineRun.of(Map.of(), "train", "--data", csv().toString()), "--data needs --target COLUMN");
    }

    @Test
    void aMissingFileIsBadInputBeforeAnyCall() {
        assertBadInput(CommandLineRun.of(Map.of(), "--server", unusedAddress(), "train", "--data",
                dir.resolve("missing.csv").toString(), "--target", "event"), "no such file: ");
    }

    @Test
    void foldsMustBeANumberAndSearchGridOrRandom() throws IOException {
        CommandLineRun folds = CommandLineRun.of(Map.of(), "train", "--data", csv().toString(), "--target", "e",
                "--folds", "five");
        assertThat(folds.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(folds.err()).contains("Invalid value for option '--folds': 'five' is not an int");
        CommandLineRun search = CommandLineRun.of(Map.of(), "train", "--data", csv().toString(), "--target", "e",
                "--search", "BAYES");
        assertThat(search.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(search.err()).contains("--search", "GRID, RANDOM");
    }

    @Test
    void anUnreachableServerIsExitCode3NamingItsAddress() throws IOException {
        String server = unusedAddress();
        CommandLineRun run = CommandLineRun.of(Map.of("MEDHUB_TOKEN", "given"), "--server", server, "train",
                "--data", csv().toString(), "--target", "event");
        assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.err()).contains("medhub: MedHub is not running at " + server);
    }

    @Test
    void anUnreachableKeycloakIsExitCode3NamingTheIssuer() throws IOException {
        String issuer = unusedAddress() + "/realms/medhub";
        CommandLineRun run = CommandLineRun.of(Map.of(), "--server", unusedAddress(), "--issuer", issuer, "train",
                "--data", csv().toString(), "--target", "event");
        assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.err()).contains("medhub: Keycloak is not running at " + issuer);
    }

    @Test
    void theServerAndIssuerComeFromTheEnvironmentWithoutOptions() {
        String issuer = unusedAddress() + "/realms/medhub";
        CommandLineRun run = CommandLineRun.of(Map.of("MEDHUB_OIDC_ISSUER", issuer, "MEDHUB_USER", "admin"), "token");
        assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.err()).contains("Keycloak is not running at " + issuer);
    }

    @Test
    void tokenPrintsMedhubTokenAsGiven() {
        CommandLineRun run = CommandLineRun.of(Map.of("MEDHUB_TOKEN", "eyJ.given.token"), "token");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).isEqualTo("eyJ.given.token" + System.lineSeparator());
    }

    @Test
    void loadBundlesNeedsAFolderOfJsonBundles() {
        assertThat(CommandLineRun.of(Map.of(), "load-bundles", dir.resolve("none").toString()).err())
                .contains("no such folder: ");
        CommandLineRun empty = CommandLineRun.of(Map.of(), "load-bundles", dir.toString());
        assertThat(empty.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(empty.err()).contains("no FHIR bundles (*.json) in " + dir);
    }

    private static void assertBadInput(CommandLineRun run, String message) {
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.err()).startsWith("medhub: " + message);
    }

    private Path csv() throws IOException {
        return Files.writeString(dir.resolve("cohort.csv"), "age,event\n61,yes\n");
    }

    /** A loopback address where nothing listens: a port the system just handed out and took back. */
    private static String unusedAddress() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
