package org.medhub.platform.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;
import org.medhub.platform.testing.conformance.R4Conformance;

/** Every extension MedHub writes has a definition, and each definition is one a validator can use. */
class MedHubDefinitionsTest {

    /** A MedHub canonical URL in any main source or resource file (the code that writes an extension names it). */
    private static final Pattern MEDHUB_URL = Pattern.compile(Pattern.quote(MedHubDefinitions.CANONICAL_BASE) + "[A-Za-z0-9._-]+");

    /** The URL given to an extension as a literal: HL7's own, or MedHub's (caught by {@link #MEDHUB_URL}). */
    private static final Pattern EXTENSION_LITERAL = Pattern.compile("(?:new Extension|addExtension|getExtensionByUrl)\\(\"(https?://[^\"]+)\"");

    @Test
    void everyExtensionUrlInMainCodeOfEveryModuleHasADefinitionFile() throws IOException {
        Set<String> defined = MedHubDefinitions.load().stream().map(StructureDefinition::getUrl).collect(Collectors.toSet());
        Set<String> used = new TreeSet<>();
        Set<String> foreign = new TreeSet<>();
        for (Path file : mainSources()) {
            String text = read(file);
            MEDHUB_URL.matcher(text).results().map(java.util.regex.MatchResult::group).forEach(used::add);
            EXTENSION_LITERAL.matcher(text).results().map(m -> m.group(1))
                    .filter(url -> !url.startsWith(MedHubDefinitions.CANONICAL_BASE))
                    .filter(url -> !url.startsWith("http://hl7.org/fhir/StructureDefinition/"))
                    .forEach(foreign::add);
        }
        assertThat(used).as("MedHub extension URLs in main code").isNotEmpty()
                .contains("https://medhub.org/fhir/StructureDefinition/risk-explanation");
        assertThat(defined).as("definition files in " + MedHubDefinitions.LOCATION).containsAll(used);
        assertThat(foreign).as("extension URLs defined neither by HL7 nor by MedHub").isEmpty();
    }

    @Test
    void eachDefinitionSaysWhatAValidatorNeedsAndConformsToR4() {
        assertThat(MedHubDefinitions.load()).isNotEmpty().allSatisfy(definition -> {
            assertThat(definition.getUrl()).startsWith(MedHubDefinitions.CANONICAL_BASE)
                    .endsWith("/" + definition.getIdElement().getIdPart());
            assertThat(definition.getStatus()).isEqualTo(PublicationStatus.ACTIVE);
            assertThat(definition.getVersion()).isNotBlank();
            assertThat(definition.getDescription()).isNotBlank();
            assertThat(definition.getType()).isEqualTo("Extension");
            assertThat(definition.getContext()).isNotEmpty();
            assertThat(definition.getDifferential().getElementFirstRep().getMax()).as("cardinality").isNotBlank();
            assertThat(R4Conformance.shared().errors(definition)).as("R4 on " + definition.getUrl()).isEmpty();
        });
    }

    @Test
    void theRiskExplanationDefinitionAcceptsWhatMedHubWritesAndRefusesWhatItDoesNot() {
        assertThat(R4Conformance.shared().errors(assessment(explanation("tree", "log-odds", new DecimalType("-2.1")))))
                .isEmpty();
        assertThat(R4Conformance.shared().errors(assessment(explanation(null, "log-odds", new DecimalType("-2.1")))))
                .as("without method").isNotEmpty();
        assertThat(R4Conformance.shared().errors(assessment(explanation("tree", "log-odds", new StringType("-2.1")))))
                .as("baseValue as a string").isNotEmpty();
    }

    private static RiskAssessment assessment(Extension explanation) {
        RiskAssessment assessment = new RiskAssessment();
        assessment.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL);
        assessment.setSubject(new Reference("Patient/1"));
        assessment.addExtension(explanation);
        return assessment;
    }

    private static Extension explanation(String method, String outputSpace, org.hl7.fhir.r4.model.Type baseValue) {
        Extension explanation = new Extension(MedHubDefinitions.CANONICAL_BASE + "risk-explanation");
        if (method != null) {
            explanation.addExtension("method", new CodeType(method));
        }
        explanation.addExtension("outputSpace", new CodeType(outputSpace));
        explanation.addExtension("baseValue", baseValue);
        Extension contribution = explanation.addExtension().setUrl("contribution");
        contribution.addExtension("feature", new StringType("sbp"));
        contribution.addExtension("value", new StringType("162"));
        contribution.addExtension("shap", new DecimalType("0.4123"));
        return explanation;
    }

    /** Main sources and resources of every module of the repository (the test runs in {@code platform/}). */
    private static Set<Path> mainSources() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        Set<Path> files = new TreeSet<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path main : modules.map(m -> m.resolve("src/main")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> walk = Files.walk(main)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
            }
        }
        assertThat(files).as("main sources under " + root).hasSizeGreaterThan(50);
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (MalformedInputException binary) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
