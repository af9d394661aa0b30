package org.medhub.ml.cohort;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.medhub.ml.cohort.CohortFeatures.PatientRecord;
import org.medhub.ml.cohort.CohortFeatures.Row;
import org.medhub.ml.cohort.CohortSpec.Codes;
import org.medhub.ml.cohort.CohortSpec.FeatureSpec;

/**
 * Pulls a cohort by FHIR search: the patients (birth date and sex only), the observations with the
 * features' codes (as code or as component code) up to the index date, and the conditions of the
 * features and the label; then one row per patient in the cohort.
 */
final class CohortPull {

    /** Receives the pull's progress: a phase and how far it is (0..1 of all phases). */
    interface Listener {
        void progress(String phase, double fraction);

        boolean cancelled();
    }

    /** The rows and how many patients were read. */
    record Result(List<Row> rows, int patientsRead) {}

    private final FhirSearch search;

    CohortPull(FhirSearch search) {
        this.search = search;
    }

    Result pull(CohortSpec spec, LocalDate index, Listener listener) {
        Map<String, Patient> patients = new TreeMap<>();
        Map<String, List<Observation>> observations = new HashMap<>();
        Map<String, List<Condition>> conditions = new HashMap<>();
        List<Phase> phases = phases(spec, index);
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            int done = i;
            int[] read = {0};
            search.search(phase.resourceType(), phase.parameters(), page -> {
                FhirSearch.forEachResource(page.bundle(), resource -> {
                    switch (resource) {
                        case Patient p -> patients.put(p.getIdPart(), p);
                        case Observation o -> add(observations, o.getSubject(), o);
                        case Condition c -> add(conditions, c.getSubject(), c);
                        default -> { }
                    }
                });
                read[0] += page.bundle().getEntry().size();
                double within = page.total() > 0 ? Math.min(1.0, (double) read[0] / page.total()) : 0.5;
                listener.progress(phase.label() + ": " + read[0] + (page.total() >= 0 ? " of " + page.total() : ""),
                        (done + within) / phases.size());
                return !listener.cancelled();
            });
            if (listener.cancelled()) {
                return new Result(List.of(), patients.size());
            }
        }
        List<Row> rows = new ArrayList<>();
        patients.forEach((id, patient) -> CohortFeatures.row(spec, new PatientRecord(patient,
                        observations.getOrDefault(id, List.of()), conditions.getOrDefault(id, List.of())), index)
                .ifPresent(rows::add));
        return new Result(rows, patients.size());
    }

    private record Phase(String label, String resourceType, Map<String, String> parameters) {}

    private static List<Phase> phases(CohortSpec spec, LocalDate index) {
        List<Phase> phases = new ArrayList<>();
        phases.add(new Phase("patients", "Patient", Map.of("_elements", "birthDate,gender")));
        Optional<String> observationCodes = joined(spec.features().stream().map(FeatureSpec::observation));
        observationCodes.ifPresent(codes -> {
            phases.add(new Phase("observations", "Observation", parameters("code", codes, "date", "le" + index)));
            // Blood pressure and other panels carry their values as components (LOINC 8480-6 inside 85354-9).
            phases.add(new Phase("observation components", "Observation",
                    parameters("component-code", codes, "date", "le" + index)));
        });
        joined(Stream.concat(spec.features().stream().map(FeatureSpec::condition), Stream.of(spec.label().condition())))
                .ifPresent(codes -> phases.add(new Phase("conditions", "Condition", Map.of("code", codes))));
        return phases;
    }

    private static Map<String, String> parameters(String... pairs) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.put(pairs[i], pairs[i + 1]);
        }
        return parameters;
    }

    private static Optional<String> joined(Stream<Codes> codes) {
        List<String> values = codes.filter(java.util.Objects::nonNull).map(Codes::searchValue).distinct().toList();
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(",", values));
    }

    private static <T> void add(Map<String, List<T>> byPatient, Reference subject, T resource) {
        if (subject != null && subject.getReferenceElement().hasIdPart()
                && "Patient".equals(subject.getReferenceElement().getResourceType())) {
            byPatient.computeIfAbsent(subject.getReferenceElement().getIdPart(), k -> new ArrayList<>()).add(resource);
        }
    }
}
