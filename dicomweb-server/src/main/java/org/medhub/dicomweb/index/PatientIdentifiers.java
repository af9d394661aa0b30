package org.medhub.dicomweb.index;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Identifier;

/**
 * A DICOM patient as a FHIR {@link Identifier}: PatientID (0010,0020) in the namespace of
 * IssuerOfPatientID (0010,0021), the issuer itself when it is a URI, a URN made of it otherwise,
 * {@code medhub.dicomweb.publish.default-patient-identifier-system} without one. The publisher
 * creates FHIR Patients by this identifier and the audit records name patients by it, so that the
 * audit trail can resolve it to the same Patient.
 */
public record PatientIdentifiers(String defaultSystem) {

    public static final String ISSUER_URN = "urn:medhub:dicom-issuer:";
    /** The default of {@code medhub.dicomweb.publish.default-patient-identifier-system}. */
    public static final String DEFAULT_SYSTEM = "urn:medhub:dicom:patient-id";
    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:\\S+$");

    /** @return null without a PatientID */
    public Identifier of(String patientId, String issuerOfPatientId) {
        if (blank(patientId)) {
            return null;
        }
        return new Identifier().setSystem(system(issuerOfPatientId, defaultSystem)).setValue(patientId.trim());
    }

    /**
     * An issuer's namespace as a FHIR identifier system: the issuer itself when it is a URI, a URN
     * made of it otherwise, {@code defaultSystem} without one. Accession numbers follow the same rule.
     */
    public static String system(String issuer, String defaultSystem) {
        if (blank(issuer)) {
            return defaultSystem;
        }
        if (URI_SCHEME.matcher(issuer.trim()).matches()) {
            return issuer.trim();
        }
        return ISSUER_URN + URLEncoder.encode(issuer.trim(), StandardCharsets.UTF_8);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
