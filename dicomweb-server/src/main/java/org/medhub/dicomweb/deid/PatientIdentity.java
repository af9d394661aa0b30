package org.medhub.dicomweb.deid;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who a study's objects are about, as the index holds it: what Clean (C) takes out of free text
 * (PS3.15 E.3.5 Clean Descriptors, E.3.6 Clean Structured Content) whatever part of an object is
 * being projected. A study-scoped QIDO-RS row or a metadata item carries no PatientName of its own,
 * so cleaning must not depend on the data set at hand naming its patient.
 *
 * @param key the patient key pseudonyms and date shifts derive from ({@link Deidentifier#patientKey}),
 *     or null when the study has no PatientID (the object's own name and birth date then serve)
 * @param values the patient's names, identifiers, birth date and the study's accession numbers
 */
public record PatientIdentity(String key, Set<String> values) {

    /** Nobody known: cleaning falls back to what the data set itself names. */
    public static final PatientIdentity UNKNOWN = new PatientIdentity(null, Set.of());

    public PatientIdentity {
        values = Set.copyOf(values);
    }

    /** The values, with each date among them (DA, {@code YYYYMMDD}) also in the ISO form people write in free text. */
    static Set<String> withDateForms(Set<String> values) {
        Set<String> all = new LinkedHashSet<>(values);
        for (String value : values) {
            String date = value.strip();
            if (date.matches("[0-9]{8}")) {
                all.add(date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6, 8));
            }
        }
        return all;
    }
}
