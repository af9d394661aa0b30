package org.medhub.dicomweb.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.index.PatientIdentifiers;
import org.medhub.dicomweb.web.DicomwebAccess.StudyRef;
import org.medhub.platform.audit.AuditTrail;
import org.medhub.platform.testing.conformance.R4Conformance;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The audit records of DICOMweb accesses: R4 AuditEvents (they claim no profile: BALP's are for
 * FHIR RESTful interactions) that name each patient by the identifier the publisher gives the FHIR
 * Patient, so that the audit publisher can resolve it to {@code Patient/{id}}.
 */
class DicomwebAuditEventsTest {

    private final List<AuditEvent> recorded = new ArrayList<>();
    private final DicomwebAccess access = new DicomwebAccess(new AuditTrail() {
        @Override
        public void record(AuditEvent event) {
            recorded.add(event);
        }

        @Override
        public void recordAll(List<AuditEvent> events) {
            recorded.addAll(events);
        }
    }, new PatientIdentifiers("urn:example:mrn"));

    @AfterEach
    void forget() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void eachPatientIsNamedByTheIdentifierOfItsPublishedPatientAndTheEventIsValidR4ClaimingNoProfile() {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                "clinician", "n/a", AuthorityUtils.createAuthorityList("ROLE_clinician")));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/dicomweb/studies");
        request.setQueryString("PatientID=7CT4");

        access.audit(request, AuditEventAction.E, "search-type", true, List.of(
                new StudyRef("7CT4", null, "1.2.3"),
                new StudyRef("7CT4", null, "1.2.4"),
                new StudyRef("7CT4", "ST MARY'S", "1.2.5")), null);

        AuditEvent event = recorded.get(0);
        assertThat(event.getMeta().getProfile()).isEmpty();
        R4Conformance.shared().assertConforms(event);
        assertThat(patients(event)).extracting(entity -> entity.getWhat().getIdentifier().getSystem() + "|"
                        + entity.getWhat().getIdentifier().getValue())
                .containsExactly("urn:example:mrn|7CT4", "urn:medhub:dicom-issuer:ST+MARY%27S|7CT4");
        assertThat(patients(event)).allSatisfy(entity -> assertThat(entity.getWhat().getType()).isEqualTo("Patient"));
    }

    private static List<AuditEventEntityComponent> patients(AuditEvent event) {
        return event.getEntity().stream().filter(entity -> "1".equals(entity.getRole().getCode())).toList();
    }
}
