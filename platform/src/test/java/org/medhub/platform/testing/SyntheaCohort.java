package org.medhub.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A synthetic patient population from Synthea, generated once per (size, seed) into the module's
 * {@code target/} and reused by later test runs. Synthea runs in its own JVM with the classpath the
 * {@code tools/synthea} module resolved: it pins a HAPI version that cannot share the server's.
 *
 * <p>Modules using this fixture must build after {@code medhub-synthea} (declare it as a test
 * dependency of type pom with all transitive dependencies excluded).
 */
public final class SyntheaCohort {

    private static final Path CLASSPATH_FILE = Path.of("tools", "synthea", "target", "synthea.classpath");

    private final Path directory;

    private SyntheaCohort(Path directory) {
        this.directory = directory;
    }

    /**
     * Generates {@code patients} living patients with a fixed seed and the last {@code yearsOfHistory}
     * years of their records, or reuses an earlier run's output. (A full record of a chronically ill
     * patient runs to tens of thousands of resources.)
     */
    public static synchronized SyntheaCohort generate(int patients, long seed, int yearsOfHistory) {
        Path directory = Path.of("target", "synthea",
                        patients + "-patients-seed-" + seed + "-years-" + yearsOfHistory)
                .toAbsolutePath();
        Path done = directory.resolve("complete");
        if (!Files.exists(done)) {
            runSynthea(patients, seed, yearsOfHistory, directory);
            try {
                Files.writeString(done, "ok");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new SyntheaCohort(directory);
    }

    /** Organization and practitioner bundles first (patients reference them), then one bundle per patient. */
    public List<Path> bundlesInLoadOrder() {
        List<Path> shared = new ArrayList<>();
        List<Path> patients = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory.resolve("fhir"))) {
            files.filter(f -> f.toString().endsWith(".json")).sorted().forEach(file -> {
                String name = file.getFileName().toString();
                if (name.startsWith("hospitalInformation") || name.startsWith("practitionerInformation")) {
                    shared.add(file);
                } else {
                    patients.add(file);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        shared.sort((a, b) -> a.getFileName().toString().startsWith("hospital") ? -1 : 1);
        shared.addAll(patients);
        return shared;
    }

    private static void runSynthea(int patients, long seed, int yearsOfHistory, Path directory) {
        Path classpathFile = findUpwards(CLASSPATH_FILE);
        try {
            Files.createDirectories(directory);
            String java = ProcessHandle.current().info().command().orElse("java");
            Process synthea = new ProcessBuilder(
                            java, "-cp", Files.readString(classpathFile).trim(), "App",
                            "-p", String.valueOf(patients),
                            "-s", String.valueOf(seed),
                            "-cs", String.valueOf(seed),
                            "--exporter.baseDirectory", directory.toString(),
                            "--generate.only_alive_patients", "true",
                            "--exporter.years_of_history", String.valueOf(yearsOfHistory),
                            "--exporter.fhir.excluded_resources", "Claim,ExplanationOfBenefit")
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("synthea.log").toFile())
                    .start();
            if (!synthea.waitFor(10, TimeUnit.MINUTES) || synthea.exitValue() != 0) {
                synthea.destroyForcibly();
                throw new IllegalStateException("Synthea failed; see " + directory.resolve("synthea.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while Synthea was running", e);
        }
    }

    private static Path findUpwards(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath()
                + ": build the tools/synthea module first (./mvnw package)");
    }
}
