package org.medhub.cli.fhir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.medhub.cli.exit.CliFailure;
import org.medhub.cli.exit.ExitCode;

/** The order in which Synthea's bundles can be loaded. */
final class SyntheaBundles {

    private SyntheaBundles() {}

    /**
     * The {@code *.json} files of {@code directory} by name, Synthea's {@code hospitalInformation*}
     * and {@code practitionerInformation*} first: patient bundles reference their organizations and
     * practitioners by conditional reference, which fails for a resource not yet stored.
     */
    static List<Path> inLoadOrder(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new CliFailure(ExitCode.BAD_INPUT, "no such folder: " + directory);
        }
        List<Path> bundles;
        try (Stream<Path> files = Files.list(directory)) {
            bundles = files.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
                    .sorted(Comparator.comparingInt(SyntheaBundles::rank).thenComparing(f -> f.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new CliFailure(ExitCode.BAD_INPUT, "cannot read " + directory + ": " + e.getMessage());
        }
        if (bundles.isEmpty()) {
            throw new CliFailure(ExitCode.BAD_INPUT, "no FHIR bundles (*.json) in " + directory);
        }
        return bundles;
    }

    private static int rank(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith("hospitalInformation")) {
            return 0;
        }
        return name.startsWith("practitionerInformation") ? 1 : 2;
    }
}
