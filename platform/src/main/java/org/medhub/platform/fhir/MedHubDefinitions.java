package org.medhub.platform.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The StructureDefinitions of what MedHub adds to FHIR (its extensions), one JSON file each under
 * {@value #LOCATION}. They live here because several modules need them: the module that writes an
 * extension, the FHIR server that publishes them at {@code /fhir/StructureDefinition}, and the
 * conformance tests that validate against them. The canonical URL of an extension is the URL it is
 * written with.
 */
public final class MedHubDefinitions {

    public static final String LOCATION = "org/medhub/platform/fhir/definitions";

    /** Where MedHub's canonical URLs start. */
    public static final String CANONICAL_BASE = "https://medhub.org/fhir/StructureDefinition/";

    private MedHubDefinitions() {}

    /** Every definition, ordered by canonical URL. */
    public static List<StructureDefinition> load() {
        List<StructureDefinition> definitions = new ArrayList<>();
        try {
            for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath*:" + LOCATION + "/*.json")) {
                try (InputStream in = file.getInputStream()) {
                    definitions.add(FhirContext.forR4Cached().newJsonParser()
                            .parseResource(StructureDefinition.class, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read MedHub's StructureDefinitions from " + LOCATION, e);
        }
        definitions.sort(Comparator.comparing(StructureDefinition::getUrl));
        return List.copyOf(definitions);
    }
}
