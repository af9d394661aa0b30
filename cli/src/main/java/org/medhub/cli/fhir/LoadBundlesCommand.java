package org.medhub.cli.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.medhub.cli.exit.CliFailure;
import org.medhub.cli.exit.ExitCode;
import org.medhub.cli.http.ApiResponse;
import org.medhub.cli.http.MedHubApi;
import org.medhub.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code load-bundles}: posts the FHIR transaction bundles Synthea wrote (its {@code fhir/} folder)
 * to {@code /fhir} one by one, with a line per bundle and the ingest rate at the end. A bundle that
 * fails is reported and the rest still load; the exit code then says that not everything did.
 */
@Command(name = "load-bundles",
        description = {"Post every FHIR transaction bundle (*.json) in DIR to the server's /fhir, the organizations"
                + " and practitioners first (Synthea's patient bundles reference them by identifier), and report"
                + " each bundle and the ingest rate. Exit code 1 if any bundle was refused."})
public final class LoadBundlesCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    Session cli;

    @Parameters(paramLabel = "DIR", description = "a folder of FHIR bundles, e.g. Synthea's output/fhir")
    Path directory;

    @Override
    public Integer call() {
        List<Path> bundles = SyntheaBundles.inLoadOrder(directory);
        MedHubApi api = cli.api();
        PrintWriter out = cli.out();
        out.println("Loading " + bundles.size() + " bundles into " + api.server() + "/fhir ...");
        out.flush();
        long started = System.nanoTime();
        long resources = 0;
        int failed = 0;
        for (int i = 0; i < bundles.size(); i++) {
            Path file = bundles.get(i);
            String name = abbreviate(file.getFileName().toString().replaceFirst("\\.json$", ""), 45);
            long count = entries(file);
            long sent = System.nanoTime();
            ApiResponse response = api.post("/fhir", "application/fhir+json", publisher(file));
            double seconds = (System.nanoTime() - sent) / 1e9;
            String position = "[%d/%d]".formatted(i + 1, bundles.size());
            if (response.status() == 200) {
                resources += count;
                out.printf("  %s %-45s %5d resources in %6.2fs%n", position, name, count, seconds);
            } else {
                failed++;
                out.printf("  %s %-45s FAILED (HTTP %d): %s%n", position, name, response.status(),
                        abbreviate(response.body(), 300));
            }
            out.flush();
        }
        long elapsed = (System.nanoTime() - started) / 1_000_000_000L;
        out.println("Loaded %d resources from %d bundles in %ds%s.".formatted(resources, bundles.size() - failed,
                elapsed, elapsed > 0 ? " (" + resources / elapsed + " resources/s)" : ""));
        out.flush();
        return failed == 0 ? ExitCode.OK : ExitCode.FAILED;
    }

    /** The entries a bundle asks the server to write (those with a {@code request}). */
    private static long entries(Path bundle) {
        try {
            long count = 0;
            for (JsonNode entry : JSON.readTree(bundle.toFile()).path("entry")) {
                count += entry.has("request") ? 1 : 0;
            }
            return count;
        } catch (IOException e) {
            throw new CliFailure(ExitCode.BAD_INPUT, bundle + " is not a JSON FHIR bundle: " + e.getMessage());
        }
    }

    private static java.net.http.HttpRequest.BodyPublisher publisher(Path file) {
        try {
            return BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new CliFailure(ExitCode.BAD_INPUT, "no such file: " + file);
        }
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }
}
