package org.medhub.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.medhub.platform.testing.conformance.R4Conformance;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Events built by {@link RestAuditEvents} against MedHub's restatement of the IHE BALP 1.1 profiles
 * (test resources {@code conformance/balp/}), and the profiles against the defects issue 14 found,
 * so that a pass of the conformance tests means something.
 */
class BalpProfilesTest {

    private static final String BALP = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.";

    private final R4Conformance conformance = R4Conformance.shared();
    private final AuditActor clinician = new AuditActor(
            "clinician", "sub-3", "medhub-web", "http://localhost:8081/realms/medhub", Set.of("clinician"));

    @Test
    void theProfilesAreLoadedAtBalpsCanonicalUrls() {
        assertThat(conformance.loadedDefinitions()).contains(
                BALP + "Create", BALP + "PatientCreate", BALP + "Read", BALP + "PatientRead", BALP + "Update",
                BALP + "PatientUpdate", BALP + "Delete", BALP + "PatientDelete", BALP + "Query", BALP + "PatientQuery");
    }

    @Disabled("entity slicing not evaluated yet: the snapshot HAPI 8.8 generates from conformance/balp lacks the"
            + " entity slices' type patterns (see tools/conformance/balp_profiles.py)")
    @Test
    void aReadOfAPatientsDataMeetsPatientRead() {
        AuditEvent event = event("GET", "read", AuditEventAction.R, "PatientRead");
        RestAuditEvents.addDataEntity(event, "ImagingStudy/9");
        RestAuditEvents.addPatientEntity(event, "Patient/12");

        conformance.assertConforms(event);
    }

    @Disabled("entity slicing not evaluated yet: the snapshot HAPI 8.8 generates from conformance/balp lacks the"
            + " entity slices' type patterns (see tools/conformance/balp_profiles.py)")
    @Test
    void aCreateMeetsPatientCreateWithTheUserAsAuthor() {
        AuditEvent event = event("POST", "create", AuditEventAction.C, "PatientCreate");
        RestAuditEvents.addDataEntity(event, "ImagingStudy/9");
        RestAuditEvents.addPatientEntity(event, "Patient/12");

        conformance.assertConforms(event);
        assertThat(requestor(event).getType().getCodingFirstRep().getCode()).isEqualTo("AUT");
    }

    @Disabled("entity slicing not evaluated yet: the snapshot HAPI 8.8 generates from conformance/balp lacks the"
            + " entity slices' type patterns (see tools/conformance/balp_profiles.py)")
    @Test
    void aDeleteMeetsPatientDeleteWithAnApplicationACustodianAndNoAltId() {
        AuditEvent event = event("DELETE", "delete", AuditEventAction.D, "PatientDelete");
        RestAuditEvents.addDataEntity(event, "ImagingStudy/9");
        RestAuditEvents.addPatientEntity(event, "Patient/12");

        conformance.assertConforms(event);
        assertThat(event.getAgent()).extracting(a -> a.getType().getCodingFirstRep().getCode())
                .containsExactly("110150", "custodian", "AUT");
        assertThat(requestor(event).hasAltId()).isFalse();
    }

    @Disabled("entity slicing not evaluated yet: the snapshot HAPI 8.8 generates from conformance/balp lacks the"
            + " entity slices' type patterns (see tools/conformance/balp_profiles.py)")
    @Test
    void aSearchMeetsPatientQueryWithTheClientAsSource() {
        AuditEvent event = event("GET", "search-type", AuditEventAction.E, "PatientQuery");
        RestAuditEvents.addRequestEntity(event, request("GET", "/fhir/Observation"));
        RestAuditEvents.addPatientEntity(event, "Patient/12");

        conformance.assertConforms(event);
        assertThat(event.getAgent()).extracting(a -> a.getType().getCodingFirstRep().getCode())
                .containsExactly("110153", "110152", "IRCP");
    }

    @Test
    void theDefectsOfIssue14AreErrorsAgainstTheProfiles() {
        AuditEvent informationRecipientWrites = event("POST", "create", AuditEventAction.C, "Create");
        RestAuditEvents.addDataEntity(informationRecipientWrites, "Device/1");
        requestor(informationRecipientWrites).getType().getCodingFirstRep()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ParticipationType").setCode("IRCP");

        AuditEvent transactionSubtype = event("POST", "transaction", AuditEventAction.C, "Create");
        RestAuditEvents.addDataEntity(transactionSubtype, "Device/1");

        AuditEvent requestIdWithoutValue = event("GET", "read", AuditEventAction.R, "Read");
        RestAuditEvents.addDataEntity(requestIdWithoutValue, "Device/1");
        requestIdWithoutValue.addEntity().getType()
                .setSystem("https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType").setCode("XrequestId");

        AuditEvent deleteWithNamesAndAltId = event("DELETE", "delete", AuditEventAction.D, "PatientDelete");
        RestAuditEvents.addDataEntity(deleteWithNamesAndAltId, "ImagingStudy/9").setName("ImagingStudy/9");
        RestAuditEvents.addPatientEntity(deleteWithNamesAndAltId, "Patient/12").setName("Patient/12");
        requestor(deleteWithNamesAndAltId).setAltId("sub-3");

        AuditEvent deleteWithQueryRoles = event("DELETE", "delete", AuditEventAction.D, "PatientDelete");
        RestAuditEvents.addDataEntity(deleteWithQueryRoles, "ImagingStudy/9");
        RestAuditEvents.addPatientEntity(deleteWithQueryRoles, "Patient/12");
        for (AuditEventAgentComponent agent : deleteWithQueryRoles.getAgent()) {
            if (!agent.getRequestor()) {
                agent.getType().getCodingFirstRep().setCode(agent == deleteWithQueryRoles.getAgentFirstRep() ? "110153" : "110152");
            }
        }

        AuditEvent patientByIdentifierOnly = event("GET", "read", AuditEventAction.R, "PatientRead");
        RestAuditEvents.addDataEntity(patientByIdentifierOnly, "ImagingStudy/9");
        RestAuditEvents.addPatientEntity(patientByIdentifierOnly, null).getWhat().getIdentifier().setValue("PAT-1");

        assertThat(conformance.errors(informationRecipientWrites)).as("IRCP on a create").isNotEmpty();
        assertThat(conformance.errors(transactionSubtype)).as("subtype transaction on a Create").isNotEmpty();
        assertThat(conformance.errors(requestIdWithoutValue)).as("XrequestId without a value").isNotEmpty();
        assertThat(conformance.errors(deleteWithNamesAndAltId)).as("names and altId on a delete").hasSizeGreaterThanOrEqualTo(3);
        assertThat(conformance.errors(deleteWithQueryRoles)).as("110153/110152 on a delete").isNotEmpty();
        assertThat(conformance.errors(patientByIdentifierOnly)).as("patient without a Patient reference").isNotEmpty();
    }

    private AuditEvent event(String method, String interaction, AuditEventAction action, String profile) {
        AuditEvent event = RestAuditEvents.forRequest(
                request(method, "/fhir/Patient/12"), clinician, interaction, action, AuditEventOutcome._0);
        event.getMeta().addProfile(BALP + profile);
        return event;
    }

    private static AuditEventAgentComponent requestor(AuditEvent event) {
        return event.getAgent().stream().filter(AuditEventAgentComponent::getRequestor).findFirst().orElseThrow();
    }

    private static MockHttpServletRequest request(String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setScheme("https");
        request.setServerName("medhub.example.org");
        request.setServerPort(443);
        request.setRemoteAddr("10.1.2.3");
        return request;
    }
}
