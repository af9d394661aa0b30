package org.medhub.cdshooks.discovery;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medhub.ml.cohort.CohortSpec;
import org.medhub.ml.cohort.CohortSpec.Codes;
import org.medhub.ml.cohort.CohortSpec.FeatureSpec;

/**
 * One CDS service: a prediction model on {@code patient-view}, with the FHIR feature spec it was
 * trained from. Its prefetch templates ask for exactly what the spec reads: the Patient, the
 * latest Observation of each observation feature (by code, also as a component), and the
 * Conditions of the condition features.
 *
 * @param id the service id, the model's name
 */
public record CdsService(String id, String model, CohortSpec spec) {

    public static final String HOOK = "patient-view";
    public static final String PATIENT = "patient";
    public static final String CONDITIONS = "conditions";
    private static final String PATIENT_ID = "{{context.patientId}}";

    /** Prefetch key to FHIR query (relative to the FHIR base), in the CDS Hooks template syntax. */
    public Map<String, String> prefetch() {
        Map<String, String> prefetch = new LinkedHashMap<>();
        prefetch.put(PATIENT, "Patient/" + PATIENT_ID);
        StringBuilder conditions = new StringBuilder();
        for (FeatureSpec feature : spec.features()) {
            if (feature.observation() != null) {
                // combo-code matches the code or a component's (systolic pressure inside a blood pressure panel).
                prefetch.put(feature.name(), "Observation?patient=" + PATIENT_ID + "&combo-code=" + tokens(feature.observation())
                        + "&_sort=-date&_count=1");
            } else if (feature.condition() != null) {
                conditions.append(conditions.isEmpty() ? "" : ",").append(tokens(feature.condition()));
            }
        }
        if (!conditions.isEmpty()) {
            prefetch.put(CONDITIONS, "Condition?patient=" + PATIENT_ID + "&code=" + conditions);
        }
        return prefetch;
    }

    private static String tokens(Codes codes) {
        return String.join(",", codes.codes().stream().map(code -> codes.system() + "|" + code).toList());
    }

    /** The discovery entry (CDS Hooks 2.0, "Discovery"). */
    public Map<String, Object> discovery() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("hook", HOOK);
        entry.put("title", "MedHub " + model + " prediction");
        entry.put("description", spec.description() == null ? "Risk predicted by model " + model : spec.description().strip());
        entry.put("id", id);
        entry.put("prefetch", prefetch());
        entry.put("usageRequirements", "Needs read access to Patient, Observation and Condition of the patient in context "
                + "(prefetch, or fhirServer with fhirAuthorization).");
        return entry;
    }
}
